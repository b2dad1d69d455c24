/*
 * Builds PostgreSQL's pg_trgm contrib module, taken from Debian's current PostgreSQL 15 source
 * package, against the embedded pgserver 16.2 server (scripts/embedded/pg-trgm).
 *
 * Recent 15.x point releases call a few length-bounded helpers that 16.2 does not have yet, and
 * moved some includes. The names below map them onto the 16.2 functions, which read the same
 * characters from the well-formed strings PostgreSQL hands an extension.
 */
#include "postgres.h"
#include "mb/pg_wchar.h"
#include "tsearch/ts_locale.h"
#include "utils/array.h"
#include "utils/guc.h"

#ifndef pg_mblen_range
#define pg_mblen_range(s, e) pg_mblen(s)
#endif
#ifndef pg_mblen_unbounded
#define pg_mblen_unbounded(s) pg_mblen(s)
#endif
#ifndef t_isalpha_with_len
#define t_isalpha_with_len(c, len) t_isalpha(c)
#endif
#ifndef t_isdigit_with_len
#define t_isdigit_with_len(c, len) t_isdigit(c)
#endif
#ifndef t_isspace_with_len
#define t_isspace_with_len(c, len) t_isspace(c)
#endif
