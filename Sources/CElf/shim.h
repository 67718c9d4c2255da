// CElf: libelf (Debian libelf-dev) for ELF parsing.
#include <libelf.h>
#include <gelf.h>
