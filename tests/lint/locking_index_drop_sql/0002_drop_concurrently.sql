-- mig:no-transaction
DROP INDEX CONCURRENTLY users_email_idx;
DROP INDEX users_name_idx, users_age_idx;
