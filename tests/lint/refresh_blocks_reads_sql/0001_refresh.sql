refresh materialized view emails;
refresh materialized view concurrently emails;
create materialized view fresh as select 1 as x;
refresh materialized view fresh;
refresh materialized view emails with no data;
