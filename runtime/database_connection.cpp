#include "runtime/database_connection.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>

#include "runtime/runtime_error.hpp"

namespace mig {

namespace {

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

}  // namespace

std::unique_ptr<pqxx::connection> connect_to_database(const std::string& url) {
  try {
    auto connection = std::make_unique<pqxx::connection>(url);
    // libpqxx 6 silently reconnects a broken connection, and the new session would hold
    // neither the migration lock nor the session's settings: a lost connection must end
    // the run instead.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    connection->inhibit_reactivation(true);
#pragma GCC diagnostic pop
    pqxx::nontransaction session{*connection};
    session.exec("SET application_name = 'mig'");
    // A runner's session holds the migration lock and sits idle between steps and batches:
    // a server or role setting must not end it there.
    session.exec("SET idle_in_transaction_session_timeout = 0");
    if (connection->server_version() >= 140000) session.exec("SET idle_session_timeout = 0");
    return connection;
  } catch (const pqxx::failure& e) {
    throw DatabaseUnreachable(fmt::format("cannot connect to the database: {}", trim(e.what())));
  }
}

bool SessionEndWatch::operator()(const char message[]) noexcept {
  const std::string_view text = trim(message);
  if (text.starts_with("FATAL:")) reason_ = std::string(trim(text.substr(6)));
  return true;  // any other handler sees it too
}

std::string sqlstate_of(const pqxx::failure& error) {
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&error)) return sql->sqlstate();
  if (dynamic_cast<const pqxx::deadlock_detected*>(&error)) return kDeadlockDetected;
  if (dynamic_cast<const pqxx::serialization_failure*>(&error)) return "40001";
  return {};
}

std::string describe_database_error(const pqxx::failure& error) {
  if (dynamic_cast<const pqxx::in_doubt_error*>(&error))
    return "the connection to the database was lost while committing, so whether the "
           "transaction committed is unknown";
  if (dynamic_cast<const pqxx::broken_connection*>(&error)) {
    // libpqxx 6.4 reads the connection's encoding before the result of a statement that
    // lost it, and throws this instead of the server's message.
    if (trim(error.what()).starts_with("Could not obtain client encoding"))
      return "the connection to the database was lost while a statement ran: the server ended "
             "the session (an operator, a timeout or a shutdown), or the network failed";
    return fmt::format("the connection to the database was lost: {}", trim(error.what()));
  }
  std::string_view message = trim(error.what());
  for (std::string_view prefix : {"ERROR:", "FATAL:"}) {
    if (message.starts_with(prefix)) message = trim(message.substr(prefix.size()));
  }
  const auto sqlstate = sqlstate_of(error);
  if (sqlstate.empty()) return std::string(message);
  // The SQLSTATE goes with the message's first line, before any DETAIL or HINT lines.
  const auto line_end = std::min(message.find('\n'), message.size());
  return fmt::format("{} (SQLSTATE {}){}", message.substr(0, line_end), sqlstate,
                     message.substr(line_end));
}

}  // namespace mig
