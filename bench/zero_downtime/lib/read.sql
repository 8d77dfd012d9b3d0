\set id random(1, :rows)
SELECT balance FROM accounts WHERE id = :id;
