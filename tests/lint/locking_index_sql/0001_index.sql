CREATE TABLE teams (id bigint PRIMARY KEY, name text);
CREATE INDEX teams_name_idx ON teams (name);
CREATE INDEX users_email_idx ON users (email);
