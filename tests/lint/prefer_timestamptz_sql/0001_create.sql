CREATE TABLE audit (id bigint PRIMARY KEY, at timestamp, at2 timestamptz);
-- mig:allow prefer-timestamptz the legacy reporting tool reads local times
ALTER TABLE audit ADD COLUMN local_at timestamp;
