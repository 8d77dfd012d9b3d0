-- A plain index build takes SHARE on accounts: reads go on, every write waits for the build.
CREATE INDEX accounts_email_idx ON accounts (email);
