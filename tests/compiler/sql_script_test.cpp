// Splitting a SQL script into statements: exact offsets, and a statement PostgreSQL 15's
// parser refuses costs only itself.

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "compiler/plan/compiler.hpp"
#include "compiler/sql/pg_parser.hpp"

namespace {

using nlohmann::json;

const json& tree_of(const mig::SqlStatement& s) {
  INFO("statement `" << s.text << "`");
  REQUIRE(std::holds_alternative<json>(s.tree));
  return std::get<json>(s.tree);
}

const mig::SqlError& error_of(const mig::SqlStatement& s) {
  INFO("statement `" << s.text << "`");
  REQUIRE(std::holds_alternative<mig::SqlError>(s.tree));
  return std::get<mig::SqlError>(s.tree);
}

std::vector<std::string> texts(const std::vector<mig::SqlStatement>& statements) {
  std::vector<std::string> out;
  for (const auto& s : statements) out.push_back(s.text);
  return out;
}

}  // namespace

TEST_CASE("a statement PostgreSQL 15 cannot parse costs only itself", "[sql]") {
  const std::string script =
      "create table t (id int);\n"
      "-- PostgreSQL 16\n"
      "select * from (select 1);\n"
      "create index i on t (id);\n";
  const auto statements = mig::parse_script(script);
  REQUIRE(statements.size() == 3);
  CHECK(statements[0].offset == 0);
  CHECK(tree_of(statements[0]).contains("CreateStmt"));
  CHECK(statements[1].text == "select * from (select 1)");
  CHECK(statements[1].offset == script.find("select *"));
  const auto& e = error_of(statements[1]);
  CHECK(e.message == "subquery in FROM must have an alias");
  CHECK(e.offset == script.find("(select 1)"));
  CHECK(e.syntax);
  CHECK(statements[2].text == "create index i on t (id)");
  CHECK(statements[2].offset == script.find("create index"));
  CHECK(tree_of(statements[2]).contains("IndexStmt"));
}

TEST_CASE("semicolons in strings, quotes, comments and bodies do not split", "[sql]") {
  // The PostgreSQL 18 statement makes the whole script fail, so the scanner splits it.
  const std::string script =
      "select ';' as a, $$;$$ as b, $q$ ; $$ ; $q$ as c, \"x;y\" as d, E'\\';' as e; -- ;\n"
      "/* a ; /* nested ; */ still ; */ select 2;\n"
      "alter table t add constraint c not null x;\n"
      "create function f() returns int language sql\n"
      "  begin atomic select 1; select 2; end;\n"
      "create rule r as on insert to t do also (select 1; select 2);\n"
      "select 3";
  const auto statements = mig::parse_script(script);
  CHECK(texts(statements) ==
        std::vector<std::string>{
            "select ';' as a, $$;$$ as b, $q$ ; $$ ; $q$ as c, \"x;y\" as d, E'\\';' as e",
            "select 2",
            "alter table t add constraint c not null x",
            "create function f() returns int language sql\n  begin atomic select 1; select 2; end",
            "create rule r as on insert to t do also (select 1; select 2)",
            "select 3",
        });
  REQUIRE(statements.size() == 6);
  for (const auto& s : statements) CHECK(script.substr(s.offset, s.text.size()) == s.text);
  CHECK(tree_of(statements[0]).contains("SelectStmt"));
  CHECK(error_of(statements[2]).offset == script.find("not null x"));
  CHECK(error_of(statements[2]).message == "syntax error at or near \"not\"");
  CHECK(tree_of(statements[3]).contains("CreateFunctionStmt"));
  CHECK(tree_of(statements[4]).contains("RuleStmt"));
  CHECK(tree_of(statements[5]).contains("SelectStmt"));
}

TEST_CASE("a valid script is split by the grammar", "[sql]") {
  const std::string script =
      "create function f() returns int language sql begin atomic select 1; select 2; end;\n"
      "select 3;";
  const auto statements = mig::parse_script(script);
  REQUIRE(statements.size() == 2);
  CHECK(tree_of(statements[0]).contains("CreateFunctionStmt"));
  CHECK(statements[1].offset == script.find("select 3"));
}

TEST_CASE("text without a keyword between statements is a statement too", "[sql]") {
  // The scanner's splitter passes over `oops;`: it holds no keyword.
  const std::string script = "select 1; oops; select 2; trailing";
  const auto statements = mig::parse_script(script);
  CHECK(texts(statements) == std::vector<std::string>{"select 1", "oops;", "select 2", "trailing"});
  REQUIRE(statements.size() == 4);
  CHECK(error_of(statements[1]).offset == script.find("oops"));
  CHECK(error_of(statements[3]).offset == script.find("trailing"));
}

TEST_CASE("PostgreSQL 16's number literals cost only their statement", "[sql]") {
  const std::string script = "select 1; select 1_000 + 0x1F; select 2;";
  const auto statements = mig::parse_script(script);
  CHECK(texts(statements) ==
        std::vector<std::string>{"select 1", "select 1_000 + 0x1F", "select 2"});
  REQUIRE(statements.size() == 3);
  CHECK(error_of(statements[1]).message == "trailing junk after numeric literal at or near \"1_\"");
  CHECK(error_of(statements[1]).offset == script.find("1_000"));
  CHECK(error_of(statements[1]).syntax);
  CHECK(tree_of(statements[2]).contains("SelectStmt"));
}

TEST_CASE("an unterminated string takes its statement to the end of the script", "[sql]") {
  const std::string script = "select 1;\nselect 'abc; select 2;\n";
  const auto statements = mig::parse_script(script);
  CHECK(texts(statements) == std::vector<std::string>{"select 1", "select 'abc; select 2;"});
  REQUIRE(statements.size() == 2);
  CHECK(tree_of(statements[0]).contains("SelectStmt"));
  const auto& e = error_of(statements[1]);
  CHECK(e.message == "unterminated quoted string at or near \"'abc; select 2;\n\"");
  CHECK(e.offset == script.find('\''));
  CHECK(!e.syntax);
}

TEST_CASE("the parser's version is in the message of a syntax error", "[sql]") {
  const mig::SqlError syntax{"syntax error at or near \"not\"", 0, true};
  CHECK(mig::sql_error_message(syntax) ==
        "syntax error at or near \"not\" (mig's SQL parser is PostgreSQL 15's: the statement "
        "may use syntax of a newer version)");
  CHECK(mig::sql_error_message(syntax, 17) ==
        "syntax error at or near \"not\" (mig's SQL parser is PostgreSQL 15's and the target is "
        "PostgreSQL 17: the statement may use syntax of a newer version than 15)");
  const mig::SqlError limit{"the SQL nests too deeply", 0, false};
  CHECK(mig::sql_error_message(limit, 17) == "the SQL nests too deeply");
}

TEST_CASE("a sql block statement PostgreSQL 15 cannot parse is a compile error", "[sql]") {
  const auto c = mig::compile_sources(
      {{"m/0001_merge.mig",
        "sql {\n"
        "  create table t (id int);\n"
        "  merge into t using t s on t.id = s.id when matched then delete returning *;\n"
        "  select * from (select 1)\n"
        "}\n"}});
  std::vector<std::string> errors;
  for (const auto& d : c.diagnostics) {
    CHECK(d.severity == mig::Severity::Error);
    const auto at = d.file->position(d.span.begin);
    errors.push_back(std::to_string(at.line) + ":" + std::to_string(at.column) + ": " + d.message);
  }
  CHECK(errors == std::vector<std::string>{
                      "3:66: syntax error at or near \"returning\" (mig's SQL parser is "
                      "PostgreSQL 15's: the statement may use syntax of a newer version)",
                      "4:17: subquery in FROM must have an alias (mig's SQL parser is "
                      "PostgreSQL 15's: the statement may use syntax of a newer version)",
                  });
}

TEST_CASE("the scanner's split goes past many newer literals and long atomic bodies", "[sql]") {
  std::string script = "select * from (select 1);\n";  // the whole script does not parse
  for (int i = 0; i < 300; ++i) script += "select 1_000;\nselect 1;\n";
  script += "create function f() returns int language sql begin atomic\n";
  for (int i = 0; i < 300; ++i) script += "  select 1;\n";
  script += "end;\n";
  const auto statements = mig::parse_script(script);
  REQUIRE(statements.size() == 602);
  std::size_t errors = 0;
  for (const auto& s : statements) errors += std::holds_alternative<mig::SqlError>(s.tree);
  CHECK(errors == 301);
  CHECK(tree_of(statements[600]).contains("SelectStmt"));
  CHECK(tree_of(statements[601]).contains("CreateFunctionStmt"));
}
