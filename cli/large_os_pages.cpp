// Large OS pages for mimalloc's heap. A page fault costs about 12 µs on a virtual machine
// like CI's, against under 1 µs per page mapped at once: with 4 KiB pages, `mig sql` of a
// 2,000-migration history spends a quarter of its time in the faults of its heap
// (bench/README.md). mimalloc maps the segment the main thread allocates from at the first
// malloc, before main, and only then asks whether to advise the kernel to back it with
// transparent huge pages; an executable's preinit_array runs before that, and before any
// library's initializer. MIMALLOC_LARGE_OS_PAGES=0 in the environment still turns it off.
// `mig lint` of plain .sql files goes without: it lets each file go once its findings are
// out, so its heap stays a few megabytes, which 2 MB pages would double for a tenth of its
// time (measured in bench/README.md). A thread's first segment is committed at once too,
// not page by page: otherwise the thread that parses a history ahead takes three quarters
// of the process's page faults.

#include <mimalloc.h>

#include <string_view>

namespace {

bool lints_sql_files(int argc, char** argv) {
  if (argc < 2 || std::string_view(argv[1]) != "lint") return false;
  for (int i = 2; i < argc; ++i)
    if (std::string_view(argv[i]).ends_with(".sql")) return true;
  return false;
}

void enable_large_os_pages(int argc, char** argv, char** environment) {
  for (auto** variable = environment; *variable; ++variable)
    if (std::string_view(*variable).starts_with("MIMALLOC_LARGE_OS_PAGES=")) return;
  if (lints_sql_files(argc, argv)) return;
  mi_option_set(mi_option_large_os_pages, 1);
  mi_option_set(mi_option_eager_commit_delay, 0);
}

[[gnu::section(".preinit_array"),
  gnu::used]] void (*const run_before_libraries)(int, char**, char**) = &enable_large_os_pages;

}  // namespace
