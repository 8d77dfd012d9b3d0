-- The playbook's batches of 10000 by LIMIT/OFFSET, each in its own transaction (psql
-- autocommit; under Alembic they would all share the migration's one transaction).
-- Every batch walks past all the rows before its offset again.
SELECT format($$UPDATE accounts SET email_domain = split_part(email, '@', 2)
                WHERE id IN (SELECT id FROM accounts ORDER BY id LIMIT 10000 OFFSET %s)$$, o)
FROM generate_series(0, (SELECT count(*) FROM accounts) - 1, 10000) AS o
\gexec
