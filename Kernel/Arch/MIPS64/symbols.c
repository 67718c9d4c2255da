// symbols.c (MIPS64): addresses of assembly symbols that Swift needs as numbers.
#include <stdint.h>

extern char k42_thread_start[], k42_pca_xk[];
uintptr_t k42_thread_start_address(void) { return (uintptr_t)k42_thread_start; }
uintptr_t k42_pca_xk_address(void) { return (uintptr_t)k42_pca_xk; }
