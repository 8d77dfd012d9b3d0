\set id random(1, :rows)
UPDATE accounts SET balance = balance + 1 WHERE id = :id;
