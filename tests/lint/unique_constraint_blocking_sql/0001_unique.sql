ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);
ALTER TABLE users ADD CONSTRAINT users_age_key UNIQUE USING INDEX users_age_idx;
ALTER TABLE orgs ADD COLUMN code text PRIMARY KEY;
