#include "runtime/invalid_index.hpp"

#include <cctype>
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

std::optional<ConcurrentIndexBuild> parse_concurrent_index_build(std::string_view sql) {
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

  if (!word("create")) return std::nullopt;
  word("unique");
  if (!word("index") || !word("concurrently")) return std::nullopt;
  if (word("if") && !(word("not") && word("exists"))) return std::nullopt;
  if (i < tokens.size() && tokens[i].kind == Token::Kind::Word && tokens[i].text == "on")
    return std::nullopt;  // unnamed: PostgreSQL picks the name
  const Token* name = identifier();
  if (!name || !word("on")) return std::nullopt;
  word("only");

  ConcurrentIndexBuild build{name->text, ""};
  for (;;) {
    const Token* part = identifier();
    if (!part) return std::nullopt;
    build.table += quote_identifier(part->text);
    if (i >= tokens.size() || tokens[i].kind != Token::Kind::Dot) break;
    build.table += '.';
    ++i;
  }
  return build;
}

std::optional<std::string> find_invalid_index(pqxx::transaction_base& tx,
                                              const ConcurrentIndexBuild& build) {
  const auto rows = tx.exec_params(R"sql(
    SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)
    FROM pg_index i
    JOIN pg_class c ON c.oid = i.indexrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE i.indrelid = to_regclass($1) AND c.relname = $2 AND NOT i.indisvalid)sql",
                                   build.table, build.index_name);
  if (rows.empty()) return std::nullopt;
  return rows[0][0].as<std::string>();
}

}  // namespace mig
