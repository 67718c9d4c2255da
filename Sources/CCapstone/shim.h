// CCapstone: the capstone disassembler (Debian libcapstone-dev), used by `k42sim disasm` and as
// the decoder oracle in tests.
#include <capstone/capstone.h>
