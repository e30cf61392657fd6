#ifndef ALPHA_PRIME_CHIREDIS_SHIM_H
#define ALPHA_PRIME_CHIREDIS_SHIM_H
#include <hiredis/hiredis.h>
#endif
