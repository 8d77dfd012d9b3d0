-- Alembic and Flyway style: the tool's transaction is ended for the concurrent build.
COMMIT;
CREATE INDEX CONCURRENTLY users_email_idx ON users (email);
BEGIN;
ALTER TABLE users ADD CONSTRAINT users_age_positive CHECK (age > 0) NOT VALID;
COMMIT;
ALTER TABLE users VALIDATE CONSTRAINT users_age_positive;
