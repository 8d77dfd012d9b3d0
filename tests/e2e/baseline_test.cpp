// `mig baseline` against a real PostgreSQL: a database built by hand with raw SQL is written
// as `.mig`, and that source, applied by `mig up` to an empty database, gives the same
// `pg_dump --schema-only`; the original is recorded as up to date.

#include <fmt/format.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "runtime/scratch_server.hpp"
#include "tests/e2e/mig_process.hpp"
#include "tests/e2e/schema_dump.hpp"
#include "tests/text_files.hpp"

namespace fs = std::filesystem;
using mig::test::execute;
using mig::test::number;
using mig::test::read_text;
using mig::test::run_mig;
using mig::test::schema_dump;

namespace {

mig::ScratchServer& server() {
  static mig::ScratchServer s;
  return s;
}

constexpr const char* kHandMadeSchema = R"sql(
create schema "Sales Dept";
create extension pgcrypto schema public;
create type public.mood as enum ('sad', 'o''k', 'happy');
create schema crm;
create type crm."Stage" as enum ('lead', 'won');
create function public.touch() returns trigger language plpgsql as $$
begin
  new.updated_at := now();
  return new;
end
$$;
create table public.customers (
  id bigint generated always as identity primary key,
  email text not null,
  "Display Name" varchar(80) default 'anonymous',
  feeling mood not null default 'o''k',
  updated_at timestamptz not null default now(),
  email_lower text generated always as (lower(email)) stored,
  constraint customers_email_key unique (email),
  constraint "email has @" check (position('@' in email) > 1)
);
create table "Sales Dept"."Order Lines" (
  "LineNo" serial primary key,
  customer_id bigint not null,
  "order" int not null default 1,
  stage crm."Stage" not null default 'lead',
  amount numeric(12, 2) check (amount >= 0),
  note text collate "C"
);
alter table "Sales Dept"."Order Lines" add constraint "Order Lines_customer_fkey"
  foreign key (customer_id) references public.customers (id) on delete cascade
  deferrable initially deferred;
alter table "Sales Dept"."Order Lines" add constraint lines_note_short check (length(note) < 200) not valid;
create table public.tags (id int primary key, customer_id bigint references public.customers (id) on update cascade)
  with (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.05);
create index "Lines by customer" on "Sales Dept"."Order Lines" (customer_id) where note is not null;
create unique index customers_lower_email on public.customers (lower(email));
create index customers_derived on public.customers (email_lower);
create view public.happy_customers as select id, email from public.customers where feeling = 'happy';
create view "Sales Dept".happy_lines as select l."LineNo", c.email from "Sales Dept"."Order Lines" l join public.happy_customers c on c.id = l.customer_id;
create trigger customers_touch before update on public.customers for each row execute function public.touch();
comment on table public.customers is 'who buys,
and how often';
comment on column "Sales Dept"."Order Lines"."order" is 'position in the order';
comment on schema "Sales Dept" is 'the sales team''s tables';
create materialized view public.customer_count as select count(*) as n from public.customers;
create unique index customer_count_n on public.customer_count (n);
create unique index customers_email_incl on public.customers (email) include (id) nulls not distinct
  with (fillfactor = 80);
create materialized view public.later_count as select count(*) as n from public.customers with no data;
create table public.events (id bigint not null, at date not null, kind text not null)
  partition by range (at);
create table public.events_2025 partition of public.events
  for values from ('2025-01-01') to ('2026-01-01') partition by list (kind);
create table public.events_2025_web partition of public.events_2025 for values in ('web');
create table public.events_2024 partition of public.events
  for values from ('2024-01-01') to ('2025-01-01') with (fillfactor = 90);
create table public.events_other partition of public.events default;
create index events_at_idx on public.events (at);
alter table public.events_2024 add constraint events_2024_id_positive check (id > 0);
create table public.bookings (id int primary key, during tstzrange not null,
  constraint bookings_no_overlap exclude using gist (during with &&) where (id > 0));
create table public.tag_links (customer_id bigint not null, tag_id int,
  foreign key (tag_id) references public.tags (id) on delete set null (tag_id));
create unlogged table public.scratch_notes (id int primary key, body text);
create sequence public.invoice_numbers as integer increment by 10 start with 1000 cache 5 cycle;
create sequence "Sales Dept".countdown minvalue -100 maxvalue 100 start with -5 increment by -1;
create table public.invoices (number int not null default nextval('invoice_numbers'));
create table public.accounts (id int primary key, owner text not null, balance numeric not null);
alter table public.accounts enable row level security;
alter table public.accounts force row level security;
create policy owner_only on public.accounts for select to public using (owner = current_user);
create policy "no overdraft" on public.accounts as restrictive for update using (true)
  with check (balance >= 0);
grant usage on schema "Sales Dept" to baseline_reader;
grant select on public.customers to baseline_writer;
grant select, insert on public.customers to baseline_reader;
grant select on public.happy_customers to public;
grant select on public.customer_count to baseline_reader;
create table public.numbered (id bigint generated by default as identity
  (start with 1000 increment by 5 cache 10) primary key, a text, b int);
create sequence public.free_numbers start 7 increment 3;
comment on sequence public.free_numbers is 'handed out by hand';
create table public.tickets (n int default nextval('free_numbers'), note text);
alter sequence public.free_numbers owned by public.tickets.n;
grant usage, select on sequence public.free_numbers to baseline_reader;
grant usage on sequence public.numbered_id_seq to baseline_writer;
grant usage on sequence "Sales Dept"."Order Lines_LineNo_seq" to baseline_reader;
grant select (a, b), update (a) on public.numbered to baseline_writer;
grant select on public.numbered to baseline_reader with grant option;
create table public.was_named (id serial primary key);
alter table public.was_named rename to now_named;
comment on index public.customers_lower_email is 'one account per address';
comment on constraint "email has @" on public.customers is 'a mail address';
comment on trigger customers_touch on public.customers is 'keeps updated_at';
comment on function public.touch() is 'sets updated_at';
comment on view public.happy_customers is 'the happy ones';
comment on materialized view public.customer_count is 'how many';
create domain public.positive_int as integer default 1 not null
  constraint positive check (value > 0);
comment on domain public.positive_int is 'above zero';
create type crm.address as (street text, "Zip Code" varchar(10));
create table public.stock (sku text primary key, qty positive_int, ship_to crm.address);
create type public.floatrange as range (subtype = float8, subtype_diff = float8mi);
create table public.readings (id int primary key, span floatrange);
create table public.events_2023 (id bigint not null, at date not null, kind text not null default 'web');
alter table public.events attach partition public.events_2023
  for values from ('2023-01-01') to ('2024-01-01');
create table public.uses_stock (s stock, total int generated always as (1) stored);
create function public.stock_label(s stock) returns text language plpgsql as $$
declare
  copy stock%rowtype;
begin
  return s.sku;
end $$;
create function public.default_qty() returns int language sql immutable as $$ select 1 $$;
create table public.orders (id int primary key, qty int default default_qty());
revoke execute on function public.stock_label(stock) from public;
grant execute on function public.stock_label(stock) to baseline_reader;
)sql";

}  // namespace

TEST_CASE("mig baseline writes a database's schema as .mig that rebuilds it", "[e2e][baseline]") {
  const auto original = server().create_database("baseline_original");
  const auto rebuilt = server().create_database("baseline_rebuilt");
  for (const auto* role : {"baseline_reader", "baseline_writer"})
    execute(original, fmt::format("do $$ begin create role {}; exception when duplicate_object "
                                  "then null; end $$",
                                  role));
  execute(original, kHandMadeSchema);
  const auto dir = fs::temp_directory_path() / fmt::format("mig-baseline-{}", getpid());
  fs::remove_all(dir);

  const auto run = run_mig(fmt::format("baseline '{}' --db '{}'", dir.string(), original));
  INFO(run.output);
  REQUIRE(run.exit_code == 0);
  const auto source = read_text(dir / "0001_baseline.mig");
  INFO(source);
  // The report names each object the language cannot express, and why.
  // Materialized views, their indexes, comments and privileges are in the language.
  for (const auto* written :
       {"create materialized view customer_count as (\n",
        "create materialized view later_count as (\n SELECT count(*) AS n\n   FROM customers\n) "
        "with no data\n",
        "create unique index customer_count_n ON public.customer_count USING btree (n)\n",
        "create unique index customers_email_incl ON public.customers USING btree (email) "
        "INCLUDE (id) NULLS NOT DISTINCT WITH (fillfactor='80')\n",
        "comment on materialized view customer_count is 'how many'\n",
        "grant select on customer_count to baseline_reader\n"}) {
    INFO(written);
    CHECK(source.find(written) != std::string::npos);
  }
  CHECK(run.output.find("customer_count") == std::string::npos);
  CHECK(run.output.find("written as sql { }: constraint Order Lines_customer_fkey on table "
                        "\"Sales Dept\".\"Order Lines\": deferrable constraints are not in the "
                        "language") != std::string::npos);
  CHECK(run.output.find("recorded 0001_baseline as applied") != std::string::npos);
  CHECK(source.find("create sequence invoice_numbers as integer increment by 10 minvalue 1 "
                    "maxvalue 2147483647 start with 1000 cache 5 cycle\n") != std::string::npos);
  CHECK(source.find("create sequence \"Sales Dept\".countdown as bigint increment by -1 minvalue "
                    "-100 maxvalue 100 start with -5 cache 1\n") != std::string::npos);
  CHECK(run.output.find("not written: sequence") == std::string::npos);
  CHECK(source.find("sql {\n  CREATE DOMAIN positive_int AS integer DEFAULT 1 NOT NULL CONSTRAINT "
                    "positive CHECK ((VALUE > 0))\n} down {\n  drop domain "
                    "\"public\".\"positive_int\"\n}") != std::string::npos);
  // A sequence a column owns is `serial` only when it is what `serial` makes; this one is
  // not (other options, a nullable column), and that one has the table's old name.
  CHECK(source.find("create sequence free_numbers as bigint increment by 3 minvalue 1 maxvalue "
                    "9223372036854775807 start with 7 cache 1\n") != std::string::npos);
  CHECK(source.find("  n integer default nextval('free_numbers'::regclass)\n") !=
        std::string::npos);
  CHECK(source.find("alter sequence free_numbers owned by tickets.n\n") != std::string::npos);
  CHECK(source.find("  id integer not null default nextval('was_named_id_seq'::regclass)\n") !=
        std::string::npos);
  // Privileges on functions and sequences are in the language.
  for (const auto* grant : {"grant select, usage on sequence free_numbers to baseline_reader\n",
                            "grant usage on sequence numbered_id_seq to baseline_writer\n",
                            "grant usage on sequence \"Sales Dept\".\"Order Lines_LineNo_seq\" "
                            "to baseline_reader\n",
                            "revoke execute on function stock_label(stock) from public\n",
                            "grant execute on function stock_label(stock) to baseline_reader\n"}) {
    INFO(grant);
    CHECK(source.find(grant) != std::string::npos);
  }
  // Comments on sequences, indexes, constraints, triggers and functions are in the language.
  for (const auto* comment :
       {"comment on sequence free_numbers is 'handed out by hand'\n",
        "comment on index customers_lower_email is 'one account per address'\n",
        "comment on constraint \"email has @\" on customers is 'a mail address'\n",
        "comment on trigger customers_touch on customers is 'keeps updated_at'\n",
        "comment on function touch() is 'sets updated_at'\n",
        "comment on table customers is 'who buys,\nand how often'\n",
        "comment on view happy_customers is 'the happy ones'\n"}) {
    INFO(comment);
    CHECK(source.find(comment) != std::string::npos);
  }
  // What the language cannot say of sequences, privileges and comments is raw SQL, reported.
  for (const auto* note :
       {"column \"public\".\"numbered\".\"id\": the options of an identity column's sequence",
        "privileges on table \"public\".\"numbered\": grant options",
        "privileges on table \"public\".\"numbered\": privileges on columns",
        "domain \"public\".\"positive_int\": domains are not in the language",
        "type \"crm\".\"address\": composite and range types are not in the language",
        "type \"public\".\"floatrange\": composite and range types are not in the language",
        "column \"public\".\"events_2023\".\"kind\": a partition's own default is not in the "
        "language",
        "comment on domain \"public\".\"positive_int\": its type is written as sql { }"}) {
    INFO(note);
    CHECK(run.output.find(std::string("written as sql { }: ") + note) != std::string::npos);
  }
  // A table with storage parameters is written, and its parameters after it as raw SQL.
  CHECK(source.find("sql {\n  alter table \"public\".\"tags\" set (fillfactor = '70', "
                    "autovacuum_vacuum_scale_factor = '0.05')\n} down {\n  alter table "
                    "\"public\".\"tags\" reset (fillfactor, autovacuum_vacuum_scale_factor)\n}") !=
        std::string::npos);
  CHECK(source.find("alter table \"public\".\"events_2024\" set (fillfactor = '90')") !=
        std::string::npos);
  CHECK(run.output.find("written as sql { }: table \"public\".\"tags\": storage parameters") !=
        std::string::npos);
  // What the language has is written in it, not as raw SQL.
  CHECK(source.find("create table \"Sales Dept\".\"Order Lines\" {") != std::string::npos);
  CHECK(source.find("  id bigint not null generated always as identity") != std::string::npos);
  CHECK(source.find("  email_lower text generated always as (lower(email)) stored\n  ") !=
        std::string::npos);
  CHECK(source.find("  note text collate \"C\"\n") != std::string::npos);
  CHECK(source.find("  \"LineNo\" serial not null") != std::string::npos);
  CHECK(source.find("create trigger customers_touch") != std::string::npos);
  CHECK(
      source.find("add exclude bookings_no_overlap USING gist (during WITH &&) WHERE ((id > 0))") !=
      std::string::npos);
  CHECK(source.find("on delete set null (tag_id)") != std::string::npos);
  CHECK(source.find("create unlogged table scratch_notes {") != std::string::npos);
  CHECK(source.find("} partition by RANGE (at)\n") != std::string::npos);
  CHECK(source.find("create table events_2025 partition of events FOR VALUES FROM ('2025-01-01') "
                    "TO ('2026-01-01') partition by LIST (kind)\n") != std::string::npos);
  CHECK(source.find("create table events_2025_web partition of events_2025 FOR VALUES IN "
                    "('web')\n") != std::string::npos);
  CHECK(source.find("create table events_other partition of events DEFAULT\n") !=
        std::string::npos);
  CHECK(source.find("create index events_at_idx ON public.events USING btree (at)\n") !=
        std::string::npos);
  CHECK(source.find("alter table events_2024 add check events_2024_id_positive ((id > 0))\n") !=
        std::string::npos);
  CHECK(run.output.find("not written: table") == std::string::npos);
  CHECK(source.find("alter table accounts enable row level security\n"
                    "alter table accounts force row level security\n") != std::string::npos);
  CHECK(source.find("create policy owner_only on accounts AS PERMISSIVE FOR SELECT TO public "
                    "USING ") != std::string::npos);
  CHECK(source.find("create policy \"no overdraft\" on accounts AS RESTRICTIVE FOR UPDATE") !=
        std::string::npos);
  CHECK(run.output.find("unlogged tables are not in the language") == std::string::npos);
  CHECK(run.output.find("policies are not in the language") == std::string::npos);
  // Privileges in the order of each access list (baseline_writer was granted first).
  CHECK(source.find("grant usage on schema \"Sales Dept\" to baseline_reader\n") !=
        std::string::npos);
  CHECK(source.find("grant select on customers to baseline_writer\n"
                    "grant insert, select on customers to baseline_reader\n") != std::string::npos);
  CHECK(source.find("grant select on happy_customers to public\n") != std::string::npos);

  // The original is up to date: nothing to apply.
  const auto status = run_mig(fmt::format("status '{}' --db '{}'", dir.string(), original));
  INFO(status.output);
  CHECK(status.exit_code == 0);
  const auto up_original = run_mig(fmt::format("up '{}' --db '{}'", dir.string(), original));
  INFO(up_original.output);
  CHECK(up_original.exit_code == 0);
  CHECK(up_original.output.find("applying") == std::string::npos);
  CHECK(number(original, "select count(*) from mig.history") == 1);

  // The source rebuilds the schema, but for what it reported as not written.
  const auto up = run_mig(fmt::format("up '{}' --db '{}'", dir.string(), rebuilt));
  INFO(up.output);
  REQUIRE(up.exit_code == 0);
  CHECK(schema_dump(rebuilt) == schema_dump(original));

  // A second baseline into the same directory, or of a database with a history, is refused.
  const auto again = run_mig(fmt::format("baseline '{}' --db '{}'", dir.string(), original));
  CHECK(again.exit_code == 2);
  CHECK(again.output.find("is not empty") != std::string::npos);
  const auto other = fs::temp_directory_path() / fmt::format("mig-baseline-other-{}", getpid());
  fs::remove_all(other);
  const auto adopted = run_mig(fmt::format("baseline '{}' --db '{}'", other.string(), original));
  CHECK(adopted.exit_code == 1);
  CHECK(adopted.output.find("already has a mig history") != std::string::npos);
  CHECK_FALSE(fs::exists(other / "0001_baseline.mig"));
  fs::remove_all(dir);
  fs::remove_all(other);
}
