// symbols.c (PPC64): addresses of assembly and linker symbols that Swift needs as numbers.
#include <stdint.h>

extern char k42_thread_start[], __hpt[];
uintptr_t k42_thread_start_address(void) { return (uintptr_t)k42_thread_start; }
uintptr_t k42_hpt_address(void) { return (uintptr_t)__hpt; }
