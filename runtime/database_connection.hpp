#pragma once

#include <memory>
#include <pqxx/pqxx>
#include <string>

namespace mig {

// Opens a connection for the runtime: `application_name` is `mig` so other sessions (and
// a second runner naming the lock holder) can tell what it is. Throws RuntimeError.
std::unique_ptr<pqxx::connection> connect_to_database(const std::string& url);

// Keeps the reason the server gave when it ended the session (terminated by an operator, an
// idle timeout, a shutdown): it arrives as a notice, and libpqxx's own error for the lost
// connection then only says "not connected".
class SessionEndWatch : public pqxx::errorhandler {
 public:
  explicit SessionEndWatch(pqxx::connection& connection) : pqxx::errorhandler(connection) {}
  bool operator()(const char message[]) noexcept override;
  const std::string& reason() const { return reason_; }  // empty until the server ended it

 private:
  std::string reason_;
};

// The server's message without libpq's "ERROR:" prefix, followed by the SQLSTATE.
std::string describe_database_error(const pqxx::failure& error);

// The SQLSTATE of a failed statement; libpqxx 6.4 drops it for the transaction-rollback
// class, so those are recovered from the exception type.
std::string sqlstate_of(const pqxx::failure& error);

constexpr const char* kLockNotAvailable = "55P03";
constexpr const char* kDeadlockDetected = "40P01";

}  // namespace mig
