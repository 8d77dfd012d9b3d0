ALTER TABLE users ADD COLUMN touched_at timestamptz DEFAULT clock_timestamp();
ALTER TABLE users ADD COLUMN n bigserial;
ALTER TABLE users ADD COLUMN status text DEFAULT 'active';
