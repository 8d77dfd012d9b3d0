#include "runtime/index_step.hpp"

#include <fmt/format.h>

#include <cctype>
#include <chrono>
#include <map>
#include <ostream>
#include <thread>
#include <vector>

namespace mig {

namespace {

struct Token {
  enum class Kind { Word, QuotedIdentifier, Dot, Other } kind;
  std::string text;  // words lower-cased, quoted identifiers unescaped
};

bool is_word_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
}

// Tokens up to the first one that is neither a word, an identifier nor a dot; that is as far
// as the statement's head (everything before the column list) goes.
std::vector<Token> head_tokens(std::string_view sql) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (sql.substr(i, 2) == "--") {
      i = sql.find('\n', i);
      if (i == std::string_view::npos) break;
    } else if (sql.substr(i, 2) == "/*") {
      i = sql.find("*/", i + 2);
      if (i == std::string_view::npos) break;
      i += 2;
    } else if (is_word_start(c)) {
      std::string word;
      while (i < sql.size() && is_word_char(sql[i]))
        word += static_cast<char>(std::tolower(static_cast<unsigned char>(sql[i++])));
      tokens.push_back({Token::Kind::Word, word});
    } else if (c == '"') {
      std::string identifier;
      ++i;
      while (i < sql.size()) {
        if (sql[i] == '"' && i + 1 < sql.size() && sql[i + 1] == '"') {
          identifier += '"';
          i += 2;
        } else if (sql[i] == '"') {
          ++i;
          break;
        } else {
          identifier += sql[i++];
        }
      }
      tokens.push_back({Token::Kind::QuotedIdentifier, identifier});
    } else if (c == '.') {
      tokens.push_back({Token::Kind::Dot, "."});
      ++i;
    } else {
      tokens.push_back({Token::Kind::Other, std::string(1, c)});
      break;
    }
  }
  return tokens;
}

std::string quote_identifier(const std::string& name) {
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

std::optional<IndexStep> parse_index_step(std::string_view sql) {
  const auto tokens = head_tokens(sql);
  std::size_t i = 0;
  auto word = [&](std::string_view expected) {
    if (i < tokens.size() && tokens[i].kind == Token::Kind::Word && tokens[i].text == expected) {
      ++i;
      return true;
    }
    return false;
  };
  auto identifier = [&]() -> const Token* {
    if (i < tokens.size() &&
        (tokens[i].kind == Token::Kind::Word || tokens[i].kind == Token::Kind::QuotedIdentifier))
      return &tokens[i++];
    return nullptr;
  };
  // `a.b.c` as to_regclass() reads it; the last part is the unqualified name.
  auto qualified_name = [&](std::string& last) -> std::optional<std::string> {
    std::string name;
    for (;;) {
      const Token* part = identifier();
      if (!part) return std::nullopt;
      name += quote_identifier(part->text);
      last = part->text;
      if (i >= tokens.size() || tokens[i].kind != Token::Kind::Dot) return name;
      name += '.';
      ++i;
    }
  };

  IndexStep step;
  if (word("drop")) {
    if (!word("index")) return std::nullopt;
    word("concurrently");
    if (word("if") && !word("exists")) return std::nullopt;
    const auto index = qualified_name(step.index_name);
    if (!index) return std::nullopt;
    step.action = IndexStep::Action::Drop;
    step.relation = *index;
    return step;
  }
  if (!word("create")) return std::nullopt;
  word("unique");
  if (!word("index")) return std::nullopt;
  word("concurrently");
  if (word("if") && !(word("not") && word("exists"))) return std::nullopt;
  if (i < tokens.size() && tokens[i].kind == Token::Kind::Word && tokens[i].text == "on")
    return std::nullopt;  // unnamed: PostgreSQL picks the name
  const Token* name = identifier();
  if (!name || !word("on")) return std::nullopt;
  word("only");
  std::string table_name;
  const auto table = qualified_name(table_name);
  if (!table) return std::nullopt;
  step.index_name = name->text;
  step.relation = *table;
  return step;
}

namespace {

struct IndexState {
  std::string name;  // quoted, qualified
  bool valid = false;
  // A backend (not ours) building or dropping the index, and what it runs.
  std::optional<std::string> busy_with;
};

// The index the step works on; nullopt when it does not exist. An index of the same name on
// another table is not the build's: the build then fails as PostgreSQL says.
std::optional<IndexState> read_index_state(pqxx::connection& connection, const IndexStep& step) {
  const bool build = step.action == IndexStep::Action::Build;
  pqxx::nontransaction session{connection};
  // A concurrent drop holds a SHARE UPDATE EXCLUSIVE lock on the index itself (reads and
  // writes take weaker ones, so they never count as busy). A concurrent build shows in
  // pg_stat_progress_create_index (PostgreSQL 12 on), on its table from the start: the index
  // is in the catalog, INVALID, before the build reports it.
  const std::string builds =
      connection.server_version() >= 120000
          ? "SELECT p.pid FROM pg_stat_progress_create_index p "
            "WHERE p.datid = (SELECT oid FROM pg_database WHERE datname = current_database()) "
            "AND (p.index_relid = c.oid OR (p.relid = i.indrelid "
            "AND p.command IN ('CREATE INDEX CONCURRENTLY', 'REINDEX CONCURRENTLY'))) UNION "
          : "";
  const auto rows =
      session.exec_params(fmt::format(R"sql(
    SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname), i.indisvalid,
      (SELECT format('pid %s, running %s for %s s', a.pid,
                     left(regexp_replace(a.query, '\s+', ' ', 'g'), 120),
                     extract(epoch FROM now() - a.query_start)::bigint)
       FROM pg_stat_activity a
       WHERE a.pid <> pg_backend_pid() AND a.state = 'active'
         AND a.pid IN ({}
                       SELECT l.pid FROM pg_locks l
                       WHERE l.database = (SELECT oid FROM pg_database
                                           WHERE datname = current_database())
                         AND l.relation = c.oid AND l.mode = 'ShareUpdateExclusiveLock'
                         AND l.granted)
       ORDER BY a.pid LIMIT 1)
    FROM pg_class c
    JOIN pg_index i ON i.indexrelid = c.oid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE {})sql",
                                      builds,
                                      build ? "i.indrelid = to_regclass($1) AND c.relname = $2"
                                            : "c.oid = to_regclass($1) AND c.relname = $2"),
                          step.relation, step.index_name);
  if (rows.empty()) return std::nullopt;
  IndexState state{rows[0][0].as<std::string>(), rows[0][1].as<bool>(), std::nullopt};
  if (!rows[0][2].is_null()) state.busy_with = rows[0][2].as<std::string>();
  return state;
}

}  // namespace

IndexStepStart prepare_index_step(pqxx::connection& connection, const IndexStep& step,
                                  bool started_before, std::ostream& out) {
  using Clock = std::chrono::steady_clock;
  const bool build = step.action == IndexStep::Action::Build;
  std::optional<Clock::time_point> announced;
  for (;;) {
    const auto state = read_index_state(connection, step);
    if (state && state->busy_with) {
      // Dropping an index another backend still builds would deadlock with it; building
      // or dropping it again would fail. Its statement ends by itself.
      if (!announced || Clock::now() - *announced >= std::chrono::seconds(30)) {
        out << fmt::format("  {} for the backend still working on index {}: {}\n",
                           announced ? "still waiting" : "waiting", state->name, *state->busy_with);
        announced = Clock::now();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
      continue;
    }
    if (!build) {
      if (state || !started_before) return IndexStepStart::Run;
      out << fmt::format(
          "  index {} is already gone: the interrupted run's drop finished on the server\n",
          step.relation);
      return IndexStepStart::AlreadyDone;
    }
    if (!state) return IndexStepStart::Run;
    if (!state->valid) {
      out << fmt::format("  dropping INVALID index {} left by an earlier failed build\n",
                         state->name);
      pqxx::nontransaction session{connection};
      session.exec("DROP INDEX CONCURRENTLY IF EXISTS " + state->name);
      return IndexStepStart::Run;
    }
    if (!started_before) return IndexStepStart::Run;
    out << fmt::format(
        "  index {} is already built and valid: the interrupted run's build finished on the "
        "server\n",
        state->name);
    return IndexStepStart::AlreadyDone;
  }
}

std::vector<std::string> check_index_steps(pqxx::connection& connection,
                                           const std::vector<PlanStep>& up, bool applied,
                                           std::vector<std::string>& unchecked) {
  struct Expected {
    IndexStep step;  // the step that decides the index's state
    bool exists = false;
    std::size_t number = 0;
  };
  std::map<std::string, Expected> expected;  // by index name
  for (std::size_t i = 0; i < up.size(); ++i) {
    const auto step = parse_index_step(up[i].sql);
    if (!step) {
      unchecked.push_back(std::to_string(i + 1));
      continue;
    }
    const bool build = step->action == IndexStep::Action::Build;
    const auto key = step->index_name;
    // Applied: as the last step leaves the index. Rolled back: as before the first.
    if (applied)
      expected[key] = {*step, build, i + 1};
    else if (!expected.contains(key))
      expected[key] = {*step, !build, i + 1};
  }
  std::vector<std::string> mismatches;
  for (const auto& [name, want] : expected) {
    const auto state = read_index_state(connection, want.step);
    if (state && state->busy_with)
      mismatches.push_back(
          fmt::format("index {} (step {}) is still being worked on by {}; wait "
                      "for it to end",
                      state->name, want.number, *state->busy_with));
    else if (want.exists && !state)
      mismatches.push_back(fmt::format("index {} (step {}) does not exist", name, want.number));
    else if (want.exists && !state->valid)
      mismatches.push_back(fmt::format("index {} (step {}) is INVALID: drop it and build it again",
                                       state->name, want.number));
    else if (!want.exists && state)
      mismatches.push_back(fmt::format("index {} (step {}) exists", state->name, want.number));
  }
  return mismatches;
}

}  // namespace mig
