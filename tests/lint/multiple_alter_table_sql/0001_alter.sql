ALTER TABLE users ADD COLUMN status text;
ALTER TABLE users ADD COLUMN plan text;
ALTER TABLE orgs ADD COLUMN name text;
