#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace mig {

// A throwaway PostgreSQL cluster: initdb into a fresh temporary directory, started with a
// unix socket only (no TCP) and durability off. For demos, round-trip checks and tests;
// stopped and deleted by the destructor. Throws RuntimeError naming the command that failed.
class ScratchServer {
 public:
  ScratchServer();
  ~ScratchServer();
  ScratchServer(const ScratchServer&) = delete;
  ScratchServer& operator=(const ScratchServer&) = delete;

  // libpq URL of the `postgres` database, e.g. postgresql:///postgres?host=/tmp/...&user=postgres
  std::string url() const { return url_for("postgres"); }
  std::string url_for(const std::string& database, const std::string& user = "postgres") const;

  // Creates an empty database (for test isolation) and returns its URL.
  std::string create_database(const std::string& name);

  // Starts a streaming standby of this cluster (`pg_basebackup -R`, its own socket
  // directory), listed in pg_stat_replication as `application_name`; returns the URL of its
  // `postgres` database. Stopped with the server.
  std::string start_standby(const std::string& application_name);

 private:
  // Runs a PostgreSQL program as the cluster's owner; throws with its output and `log`.
  void run(std::vector<std::string> argv, const std::filesystem::path& log) const;
  void stop(const std::filesystem::path& data) const;

  std::filesystem::path bin_dir_;
  std::filesystem::path root_;  // socket directory; the cluster lives in root_/data
  bool run_as_postgres_ = false;
  std::vector<std::filesystem::path> standbys_;  // their data directories
};

}  // namespace mig
