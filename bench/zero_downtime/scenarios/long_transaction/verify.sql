SELECT count(*) = 1 FROM pg_attribute WHERE attrelid = 'accounts'::regclass AND attname = 'note' AND NOT attisdropped;
