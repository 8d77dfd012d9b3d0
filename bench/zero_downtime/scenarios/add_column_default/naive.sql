-- The playbook's three steps: add the column nullable, fill every row, then default and
-- NOT NULL. The UPDATE rewrites every row and holds their row locks until it commits;
-- SET NOT NULL scans the table under ACCESS EXCLUSIVE.
ALTER TABLE accounts ADD COLUMN status text;
UPDATE accounts SET status = 'active';
ALTER TABLE accounts ALTER COLUMN status SET DEFAULT 'active';
ALTER TABLE accounts ALTER COLUMN status SET NOT NULL;
