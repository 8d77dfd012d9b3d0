INSERT INTO settings (key, value) VALUES ('separator', ';'), ('quote', E'\';'), ("k;", $$;$$);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
  NEW.updated_at := now();  -- a ; in a comment
  RETURN NEW;
END;
$body$;
/* a ; in a block comment /* nested ; */ still ; */
SELECT * FROM (SELECT ';');
-- mig:allow locking-index countries has 250 rows
CREATE INDEX countries_name_idx ON countries (name);
CREATE INDEX users_email_idx ON users ("e;mail");
