ALTER DOMAIN positive_amount ADD CONSTRAINT positive_amount_check CHECK (VALUE > 0);
ALTER DOMAIN email_address ADD CONSTRAINT email_has_at CHECK (VALUE LIKE '%@%') NOT VALID;
ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist (room WITH =, during WITH &&);
CREATE TABLE rooms (id bigint PRIMARY KEY, name text);
ALTER TABLE rooms ADD CONSTRAINT rooms_name_excl EXCLUDE (name WITH =);
