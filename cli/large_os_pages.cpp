// Large OS pages for mimalloc's heap. A page fault costs about 12 µs on a virtual machine
// like CI's, against under 1 µs per page mapped at once: with 4 KiB pages, `mig sql` of a
// 2,000-migration history spends a quarter of its time in the faults of its heap
// (bench/README.md). mimalloc maps the segment the main thread allocates from at the first
// malloc, before main, and only then asks whether to advise the kernel to back it with
// transparent huge pages; an executable's preinit_array runs before that, and before any
// library's initializer. MIMALLOC_LARGE_OS_PAGES=0 in the environment still turns it off.

#include <mimalloc.h>

#include <string_view>

namespace {

void enable_large_os_pages(int, char**, char** environment) {
  for (auto** variable = environment; *variable; ++variable)
    if (std::string_view(*variable).starts_with("MIMALLOC_LARGE_OS_PAGES=")) return;
  mi_option_set(mi_option_large_os_pages, 1);
}

[[gnu::section(".preinit_array"),
  gnu::used]] void (*const run_before_libraries)(int, char**, char**) = &enable_large_os_pages;

}  // namespace
