SELECT bool_and(indisvalid) AND count(*) = 1 FROM pg_index WHERE indexrelid = 'accounts_email_idx'::regclass;
