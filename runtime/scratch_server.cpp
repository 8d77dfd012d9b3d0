#include "runtime/scratch_server.hpp"

#include <fmt/format.h>
#include <pwd.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <pqxx/pqxx>
#include <sstream>
#include <vector>

#include "runtime/database_connection.hpp"
#include "runtime/runtime_error.hpp"
#include "runtime/subprocess.hpp"

namespace mig {

namespace fs = std::filesystem;

namespace {

constexpr const char* kDebianPostgres15BinDir = "/usr/lib/postgresql/15/bin";

fs::path find_bin_dir() {
  if (fs::exists(fs::path(kDebianPostgres15BinDir) / "initdb")) return kDebianPostgres15BinDir;
  const auto pg_config = run_command({"pg_config", "--bindir"});
  std::string dir = pg_config.output;
  while (!dir.empty() && (dir.back() == '\n' || dir.back() == '\r')) dir.pop_back();
  if (pg_config.exit_status == 0 && fs::exists(fs::path(dir) / "initdb")) return dir;
  throw RuntimeError(fmt::format(
      "cannot find the PostgreSQL server binaries: no initdb in {} nor in `pg_config --bindir`; "
      "install postgresql-15",
      kDebianPostgres15BinDir));
}

// Percent-encodes a URL query or path component; '/' stays readable in socket paths.
std::string url_encode(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '/')
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

std::string socket_url(const fs::path& socket_dir, const std::string& database,
                       const std::string& user = "postgres") {
  return fmt::format("postgresql:///{}?host={}&user={}", url_encode(database),
                     url_encode(socket_dir.string()), url_encode(user));
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

ScratchServer::ScratchServer() : bin_dir_(find_bin_dir()), run_as_postgres_(geteuid() == 0) {
  std::string pattern = (fs::temp_directory_path() / "mig-scratch-XXXXXX").string();
  if (!mkdtemp(pattern.data()))
    throw RuntimeError(
        fmt::format("cannot create a temporary directory: {}", std::strerror(errno)));
  root_ = pattern;

  // initdb refuses to run as root; the cluster then belongs to the `postgres` system user.
  if (run_as_postgres_) {
    const passwd* postgres = getpwnam("postgres");
    if (!postgres || chown(root_.c_str(), postgres->pw_uid, postgres->pw_gid) != 0) {
      fs::remove_all(root_);
      throw RuntimeError(
          "running as root, so the scratch cluster must belong to the `postgres` system user, "
          "but it does not exist (install postgresql-15)");
    }
  }

  const auto data = (root_ / "data").string();
  const auto log = root_ / "server.log";
  try {
    run({(bin_dir_ / "initdb").string(), "-D", data, "--auth=trust", "-U", "postgres", "-E", "UTF8",
         "--locale=C", "--no-sync"},
        log);
    run({(bin_dir_ / "pg_ctl").string(), "-D", data, "-l", log.string(), "-w", "-t", "60", "-o",
         fmt::format("-k {} -c listen_addresses='' -c fsync=off -c full_page_writes=off "
                     "-c synchronous_commit=off",
                     root_.string()),
         "start"},
        log);
  } catch (const RuntimeError&) {
    fs::remove_all(root_);
    throw;
  }
}

void ScratchServer::run(std::vector<std::string> argv, const fs::path& log) const {
  if (run_as_postgres_) argv.insert(argv.begin(), {"runuser", "-u", "postgres", "--"});
  const auto result = run_command(argv);
  if (result.exit_status == 0) return;
  std::string message = fmt::format("scratch PostgreSQL: `{}` failed with status {}:\n{}",
                                    command_line(argv), result.exit_status, result.output);
  if (fs::exists(log)) message += fmt::format("server log:\n{}", read_text(log));
  throw RuntimeError(message);
}

void ScratchServer::stop(const fs::path& data) const {
  try {
    run({(bin_dir_ / "pg_ctl").string(), "-D", data.string(), "-m", "immediate", "-w", "stop"}, {});
  } catch (const RuntimeError&) {
    // Called from the destructor: nothing more can be done; the directory goes regardless.
  }
}

std::string ScratchServer::start_standby(const std::string& application_name) {
  // The standby's data directory is its socket directory too.
  const auto data = root_ / fmt::format("standby{}", standbys_.size() + 1);
  const auto log = root_ / fmt::format("standby{}.log", standbys_.size() + 1);
  run({(bin_dir_ / "pg_basebackup").string(), "-D", data.string(), "-R", "-X", "stream",
       "--no-sync", "-d", fmt::format("host={} user=postgres", root_.string())},
      log);
  run({(bin_dir_ / "pg_ctl").string(), "-D", data.string(), "-l", log.string(), "-w", "-t", "60",
       "-o",
       // Reporting its progress every second, not every 10 s, lets pg_stat_replication on
       // the primary see a caught-up standby soon even when no new WAL arrives.
       fmt::format("-k {} -c listen_addresses='' -c fsync=off -c cluster_name={} "
                   "-c wal_receiver_status_interval=1",
                   data.string(), application_name),
       "start"},
      log);
  standbys_.push_back(data);
  return socket_url(data, "postgres");
}

ScratchServer::~ScratchServer() {
  for (const auto& standby : standbys_) stop(standby);
  stop(root_ / "data");
  std::error_code ignored;
  fs::remove_all(root_, ignored);
}

std::string ScratchServer::url_for(const std::string& database, const std::string& user) const {
  return socket_url(root_, database, user);
}

std::string ScratchServer::create_database(const std::string& name) {
  auto connection = connect_to_database(url());
  try {
    pqxx::nontransaction session{*connection};
    session.exec("CREATE DATABASE " + session.quote_name(name));
  } catch (const pqxx::failure& e) {
    throw RuntimeError(
        fmt::format("cannot create database `{}`: {}", name, describe_database_error(e)));
  }
  return url_for(name);
}

}  // namespace mig
