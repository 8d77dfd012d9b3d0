-- Catalog-only, but it needs ACCESS EXCLUSIVE: it waits behind the open transaction, and
-- every query on accounts queues behind it.
ALTER TABLE accounts ADD COLUMN note text;
