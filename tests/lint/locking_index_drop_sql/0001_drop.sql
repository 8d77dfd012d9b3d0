DROP INDEX users_email_idx;
-- mig:allow locking-index-drop the table has ten rows
DROP INDEX users_name_idx;
