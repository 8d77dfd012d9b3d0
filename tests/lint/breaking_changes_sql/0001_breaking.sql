ALTER TABLE users RENAME COLUMN name TO full_name;
ALTER TABLE users RENAME TO accounts;
ALTER TABLE accounts DROP COLUMN legacy;
DROP TABLE legacy_sessions, old_audit;
-- mig:allow drop-table archived first
DROP TABLE tmp_import;
