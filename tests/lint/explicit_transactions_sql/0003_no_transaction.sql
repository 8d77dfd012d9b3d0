-- mig:no-transaction
ALTER TABLE users ADD CONSTRAINT users_org_fk FOREIGN KEY (org_id) REFERENCES orgs (id) NOT VALID;
ALTER TABLE users VALIDATE CONSTRAINT users_org_fk;
BEGIN;
DROP INDEX CONCURRENTLY users_old_idx;
COMMIT;
