SELECT count(*) = 0 FROM accounts WHERE email_domain IS DISTINCT FROM split_part(email, '@', 2);
