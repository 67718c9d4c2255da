// heap.c: the bare-metal heap's start, from the linker script (Arch/*/link.ld).
#include <stdint.h>

extern char __heap_start[];
uintptr_t k42_heap_start(void) { return (uintptr_t)__heap_start; }
