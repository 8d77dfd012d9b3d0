-- Many statements: the report folds their SQL.
UPDATE settings SET value = 'v1' WHERE key = 'k1';
UPDATE settings SET value = 'v2' WHERE key = 'k2';
UPDATE settings SET value = 'v3' WHERE key = 'k3';
UPDATE settings SET value = 'v4' WHERE key = 'k4';
TRUNCATE audit_log;
