// Inputs built to break the compiler: deep nesting, bytes that are not UTF-8, comments
// that would hide parts of generated statements, stray files in a migrations directory.

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "compiler/lint/linter.hpp"
#include "compiler/plan/compiler.hpp"
#include "compiler/sql/pg_parser.hpp"
#include "tests/compiler/golden_support.hpp"

namespace {

namespace fs = std::filesystem;

std::string repeated(const std::string& piece, std::size_t times) {
  std::string out;
  for (std::size_t i = 0; i < times; ++i) out += piece;
  return out;
}

// The first diagnostic as "line:col: severity-free message", or "" when there is none.
std::string first_error(const std::string& text) {
  const auto c = mig::compile_sources({{"m/0001_hostile.mig", text}});
  for (const auto& d : c.diagnostics) {
    if (d.severity != mig::Severity::Error) continue;
    REQUIRE(d.file != nullptr);
    const auto at = d.file->position(d.span.begin);
    return std::to_string(at.line) + ":" + std::to_string(at.column) + ": " + d.message;
  }
  return "";
}

std::string uncommented(const std::string& sql) {
  const auto result = mig::without_comments(sql);
  REQUIRE(std::holds_alternative<mig::UncommentedSql>(result));
  return std::get<mig::UncommentedSql>(result).text;
}

}  // namespace

TEST_CASE("comments are found by PostgreSQL's scanner, not by text search", "[hostile]") {
  CHECK(uncommented("x + 1 -- bump") == "x + 1");
  CHECK(uncommented("'a -- b' -- c") == "'a -- b'");
  CHECK(uncommented("\"x--y\" /* c */ + $$ -- $$") == "\"x--y\" + $$ -- $$");
  CHECK(uncommented("a /* outer /* inner */ still ) */ b") == "a b");
  CHECK(uncommented("1-/**/-1") == "1- -1");  // not `1--1`, which would start a comment
  CHECK(uncommented("(a, -- one (\n b)") == "(a,\n b)");
  CHECK(uncommented("numeric(10 /* digits, ) */, 2)") == "numeric(10, 2)");
  CHECK(uncommented("x /* one */ + 1") == "x + 1");
  const auto error = mig::without_comments("x /* never closed");
  REQUIRE(std::holds_alternative<mig::SqlError>(error));
  CHECK(std::get<mig::SqlError>(error).offset == 2);
}

TEST_CASE("an error inside a fragment with comments points at the source", "[hostile]") {
  CHECK(first_error(
            "create table a {\n  id bigint primary key\n  x int default /* (one) */ 1 + * 2\n}") ==
        "3:33: syntax error at or near \"*\" (mig's SQL parser is PostgreSQL 15's: the "
        "statement may use syntax of a newer version)");
}

TEST_CASE("a fragment without comments is read by the parser alone, errors located", "[hostile]") {
  CHECK(uncommented("numeric(12, 2)") == "numeric(12, 2)");
  CHECK(uncommented("'a - b' / 2") == "'a - b' / 2");
  CHECK(first_error("create table a {\n  id bigint primary key\n  x text default 'abc' || 'd\n}")
            .starts_with("3:27: this is never closed"));
  CHECK(first_error("create table a {\n  id bigint primary key\n  x int default 0x10\n}") ==
        "3:17: trailing junk after numeric literal at or near \"0x\" (mig's SQL parser is "
        "PostgreSQL 15's: the statement may use syntax of a newer version)");
  CHECK(
      first_error("create table a {\n  id bigint primary key\n  x int default 1 +/* c */* 2\n}") ==
      "3:27: syntax error at or near \"*\" (mig's SQL parser is PostgreSQL 15's: the "
      "statement may use syntax of a newer version)");
}

TEST_CASE("generated statements are one statement without comments", "[hostile]") {
  CHECK(std::get<nlohmann::json>(mig::one_statement("UPDATE a SET x = 1")).contains("UpdateStmt"));
  CHECK(std::get<mig::SqlError>(mig::one_statement("UPDATE a SET x = 1 -- c")).message ==
        "it holds a comment");
  CHECK(std::get<mig::SqlError>(mig::one_statement("SELECT 1; SELECT 2")).message ==
        "it is 2 statements");
  CHECK(std::get<mig::SqlError>(mig::one_statement("SELECT /* c */ 1")).message ==
        "it holds a comment");
  CHECK(std::get<nlohmann::json>(mig::one_statement("SELECT '--', '/*', $$--$$"))
            .contains("SelectStmt"));
}

TEST_CASE("deep nesting is refused with a located error, not a stack overflow", "[hostile]") {
  const auto parens = repeated("(", 30000) + "1" + repeated(")", 30000);
  CHECK(first_error("create table a {\n  x int default " + parens + "\n}") ==
        "2:273: more than 256 nested parentheses, brackets or braces");
  CHECK_THAT(first_error("sql {\n" + repeated("{", 30000) + "\n}"),
             Catch::StartsWith("2:256: more than 256 nested"));
  // Raw SQL goes to PostgreSQL's parser, which has limits of its own.
  CHECK_THAT(first_error("sql { select " + parens + " }"),
             Catch::StartsWith("1:10010: memory exhausted"));
  // A long chain nests as deep as it is long, without a parenthesis.
  CHECK(first_error("sql { select " + repeated("1+", 100000) + "1 }") ==
        "1:7: the SQL nests too deeply: its syntax tree is more than 4000 levels deep");
  // PostgreSQL's scanner is quadratic on runs of nested comment openings.
  CHECK(first_error("sql { select 1 " + repeated("/*", 65536) + repeated("*/", 65536) + " }") ==
        "1:16: more than 64 `/*` in one run of operator characters");
  CHECK(first_error("sql { select " + repeated("1+", 600000) + "1 }") ==
        "1:7: 1200010 bytes of SQL in one piece; mig checks at most 1048576 (split it)");
}

TEST_CASE("bytes that are not UTF-8 are located errors", "[hostile]") {
  CHECK(
      first_error("create table a {\n  id bigint primary key\n  name text default 'caf\xe9'\n}") ==
      "3:25: byte 0xE9 is not valid UTF-8");
  CHECK(first_error(std::string("create table a {\n  id bigint\0\n}", 30)) ==
        "2:12: a NUL byte: migration sources are text");
  CHECK(first_error("create table a { id bigint primary key } # \xed\xa0\x80 a surrogate") ==
        "1:44: byte 0xED is not valid UTF-8");
}

TEST_CASE("plain .sql files: byte-order mark skipped, bad bytes located", "[hostile]") {
  const auto dir = fs::temp_directory_path() / "mig-hostile-sql";
  fs::create_directories(dir);
  mig::test::write_text(dir / "bom.sql",
                        "\xef\xbb\xbf"
                        "create table t (id bigint);\n");
  mig::test::write_text(dir / "latin1.sql", "insert into t values ('caf\xe9');\n");
  const auto result = mig::lint_sql_files({dir / "bom.sql", dir / "latin1.sql"}, {});
  REQUIRE(result.compilation.diagnostics.size() == 1);
  const auto& d = result.compilation.diagnostics[0];
  CHECK(d.file->path() == (dir / "latin1.sql").string());
  CHECK(d.file->position(d.span.begin).column == 27);
  CHECK(d.message == "byte 0xE9 is not valid UTF-8");
  fs::remove_all(dir);
}

TEST_CASE("files of a migrations directory that are not read are reported", "[hostile]") {
  const auto dir = fs::temp_directory_path() / "mig-hostile-dir";
  fs::remove_all(dir);
  fs::create_directories(dir);
  mig::test::write_text(dir / "0001_create.mig", "create table a { id bigint primary key }\n");
  mig::test::write_text(dir / "0002_shout.MIG", "drop table a\n");
  mig::test::write_text(dir / "0003_plain.sql", "drop table a;\n");
  mig::test::write_text(dir / "README.md", "notes\n");
  mig::test::write_text(dir / ".gitkeep", "");
  const auto c = mig::compile_directory(dir);
  std::vector<std::string> messages;
  for (const auto& d : c.diagnostics)
    messages.push_back(std::string(d.severity == mig::Severity::Error ? "error: " : "warning: ") +
                       d.message);
  const auto path = [&](const char* name) { return (dir / name).string(); };
  CHECK(messages ==
        std::vector<std::string>{
            "error: `" + path("0002_shout.MIG") + "` is not read: migrations end in `.mig`",
            "error: `" + path("0003_plain.sql") +
                "` looks like a migration but is not read: migrations are `.mig` files",
            "warning: `" + path("README.md") +
                "` is not a migration (`NNNN_name.mig`) and is ignored",
        });
  fs::remove_all(dir);
}

TEST_CASE("a file of a history that is not UTF-8 stops the replay at its turn", "[hostile]") {
  const auto dir = fs::temp_directory_path() / "mig-hostile-history";
  fs::remove_all(dir);
  fs::create_directories(dir);
  mig::test::write_text(dir / "0001_create.mig", "create table a { id bigint primary key }\n");
  mig::test::write_text(dir / "0002_latin1.mig",
                        "alter table a add column note text default 'caf\xE9'\n");
  mig::test::write_text(dir / "0003_create.mig", "create table b { id bigint primary key }\n");
  const auto c = mig::compile_directory(dir);
  REQUIRE(c.diagnostics.size() == 1);
  const auto& d = c.diagnostics[0];
  CHECK(d.message == "byte 0xE9 is not valid UTF-8");
  REQUIRE(d.file != nullptr);
  CHECK(d.file->path() == (dir / "0002_latin1.mig").string());
  // Every migration is still there for the reports, with its file; only the first compiled.
  REQUIRE(c.migrations.size() == 3);
  for (const auto& m : c.migrations) REQUIRE(m.source != nullptr);
  CHECK(c.migrations[2].source->path() == (dir / "0003_create.mig").string());
  CHECK(c.migrations[0].plan.up.size() == 1);
  CHECK(c.migrations[1].plan.up.empty());
  CHECK(c.migrations[2].plan.up.empty());
  CHECK(c.model.find_table({"public", "a"}) != nullptr);
  CHECK(c.model.find_table({"public", "b"}) == nullptr);
  fs::remove_all(dir);
}
