-- mig:no-transaction
DROP DATABASE IF EXISTS staging_copy;
