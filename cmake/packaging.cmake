# What `cmake --install` puts besides the program (cli/CMakeLists.txt installs mig, its man
# page and completions), and the Debian package CPack builds from it: `cpack -G DEB` in the
# build directory.

include(GNUInstallDirs)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs ${PROJECT_SOURCE_DIR}/examples
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_PACKAGE_NAME mig)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "mig maintainers <maintainers@users.noreply.b-seed-d145cd31.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "PostgreSQL schema migrations compiled into reviewed, lock-aware SQL")
# The lines below the summary line.
string(CONCAT CPACK_DEBIAN_PACKAGE_DESCRIPTION
       "mig compiles migrations written in a small language into reviewed, reversible,\n"
       "lock-aware upgrade and downgrade SQL, lints them (and plain SQL migrations) for\n"
       "changes that would stall live traffic, and applies the compiled plan to\n"
       "PostgreSQL with short lock timeouts, batched backfills and a history table.")
set(CPACK_DEBIAN_PACKAGE_SECTION database)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_STRIP_FILES ON)
# Depends: what dpkg-shlibdeps finds the binary linked against (libpqxx, libpq, fmt, ...).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# `mig scratch` and the tests' throwaway servers start PostgreSQL 15's server binaries;
# `mig up --backup-schema` runs its pg_dump.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS postgresql-15)
set(CPACK_GENERATOR DEB)
# cpack packages what is built; building here would relink `mig` under the tests running
# beside the package test.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY TRUE)
include(CPack)
