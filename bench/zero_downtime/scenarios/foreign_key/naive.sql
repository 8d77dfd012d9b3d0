-- SHARE ROW EXCLUSIVE on accounts and orgs while every row is checked: writes wait.
ALTER TABLE accounts ADD CONSTRAINT accounts_org_id_fkey FOREIGN KEY (org_id) REFERENCES orgs (id);
