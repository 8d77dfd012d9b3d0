CREATE TABLE events (id serial PRIMARY KEY, kind char(1), payload json, name varchar(40), org_id integer REFERENCES orgs (id));
CREATE TABLE good (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, payload jsonb, name text);
