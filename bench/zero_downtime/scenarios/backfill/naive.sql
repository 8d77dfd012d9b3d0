-- One UPDATE of every row in one transaction: each row stays locked until the end, so
-- live writes to rows it has passed wait for the whole update.
UPDATE accounts SET email_domain = split_part(email, '@', 2);
