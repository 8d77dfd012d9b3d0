alter table events attach partition events_2024 for values from ('2024-01-01') to ('2025-01-01');
alter table events_2023 add constraint events_2023_bound check (at >= '2023-01-01' and at < '2024-01-01') not valid;
alter table events_2023 validate constraint events_2023_bound;
alter table events attach partition events_2023 for values from ('2023-01-01') to ('2024-01-01');
alter table events_2022 add constraint events_2022_bound check (at >= '2022-01-01' and at < '2023-01-01') not valid;
alter table events attach partition events_2022 for values from ('2022-01-01') to ('2023-01-01');
create table events_2021 (id bigint not null, at date not null);
alter table events attach partition events_2021 for values from ('2021-01-01') to ('2022-01-01');
