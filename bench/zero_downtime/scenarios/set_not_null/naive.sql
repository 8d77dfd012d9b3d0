-- Scans all rows for NULLs while holding ACCESS EXCLUSIVE: reads and writes wait.
ALTER TABLE accounts ALTER COLUMN org_id SET NOT NULL;
