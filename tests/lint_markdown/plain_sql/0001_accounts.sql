CREATE TABLE accounts (id bigint PRIMARY KEY, email text, plan varchar(20));
CREATE INDEX accounts_email_idx ON accounts (email);
ALTER TABLE users ADD COLUMN plan text NOT NULL;
