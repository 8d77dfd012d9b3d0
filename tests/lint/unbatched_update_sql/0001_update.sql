UPDATE users SET status = 'active' WHERE status IS NULL;
DELETE FROM sessions;
