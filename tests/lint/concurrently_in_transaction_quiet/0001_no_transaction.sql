-- mig:no-transaction
ALTER TABLE users ADD COLUMN email_verified boolean;
CREATE INDEX CONCURRENTLY users_email_idx ON users (email);
DROP INDEX CONCURRENTLY users_old_idx;
REINDEX INDEX CONCURRENTLY users_name_idx;
