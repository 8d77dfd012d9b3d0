-- mig:no-transaction
CREATE INDEX CONCURRENTLY users_plan_idx ON users (plan);
DROP INDEX users_old_idx;
