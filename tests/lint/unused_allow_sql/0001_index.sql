-- mig:allow locking-index nothing to suppress here
CREATE TABLE teams (id bigint PRIMARY KEY);
