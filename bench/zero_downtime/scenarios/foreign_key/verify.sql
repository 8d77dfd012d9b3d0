SELECT convalidated FROM pg_constraint WHERE conname = 'accounts_org_id_fkey';
