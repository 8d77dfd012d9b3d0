ALTER TABLE users ADD COLUMN email_verified boolean;
CREATE INDEX CONCURRENTLY users_email_idx ON users (email);
DROP INDEX CONCURRENTLY users_old_idx;
REINDEX INDEX CONCURRENTLY users_name_idx;
-- mig:allow concurrently-in-transaction checking the rule is suppressible
CREATE INDEX CONCURRENTLY users_name2_idx ON users (name);
