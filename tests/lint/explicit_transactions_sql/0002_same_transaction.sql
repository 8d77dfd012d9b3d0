BEGIN;
ALTER TABLE users ADD CONSTRAINT users_name_nonempty CHECK (name <> '') NOT VALID;
ALTER TABLE users VALIDATE CONSTRAINT users_name_nonempty;
COMMIT;
CREATE INDEX CONCURRENTLY users_name_idx ON users (name);
