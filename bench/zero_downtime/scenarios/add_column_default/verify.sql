SELECT attnotnull FROM pg_attribute WHERE attrelid = 'accounts'::regclass AND attname = 'status';
