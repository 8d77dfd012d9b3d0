CREATE TABLE teams (id bigint PRIMARY KEY, name text);
-- PostgreSQL 18: a named NOT NULL constraint
-- mig:allow constraint-without-not-valid goes with the statement mig cannot read
ALTER TABLE users ADD CONSTRAINT users_email_not_null NOT NULL email;
CREATE INDEX users_email_idx ON users (email);
-- PostgreSQL 16: a subquery without an alias
INSERT INTO teams SELECT * FROM (SELECT 1, 'core');
-- PostgreSQL 17: MERGE ... RETURNING
MERGE INTO teams t USING teams s ON t.id = s.id WHEN MATCHED THEN DO NOTHING RETURNING t.id;
ALTER TABLE users ADD CONSTRAINT users_team_fk FOREIGN KEY (team_id) REFERENCES teams (id);
