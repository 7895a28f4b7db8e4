/* SPDX-License-Identifier: GPL-2.0 */
/*
 * numparse.h - strict number parsing for option and format parsers.
 *
 * Every parser here rejects trailing garbage, signs where none is allowed
 * and overflow, so "1e3", "12abc" or "-1" never slip through as numbers.
 * Each returns 0, -EINVAL (not a number) or -ERANGE (above max).
 */
#ifndef ST2110_LIB_NUMPARSE_H
#define ST2110_LIB_NUMPARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decimal digits only, value <= max. */
int st2110_parse_u64(const char *s, uint64_t max, uint64_t *out);
/* Same, on the first len bytes of s. */
int st2110_parse_u64_n(const char *s, size_t len, uint64_t max, uint64_t *out);

/*
 * A decimal number with up to 9 fraction digits, scaled by 10^9 (e.g.
 * seconds to ns, "0.125" ms to 125000 ns after scaling by 1e6 / 1e9).
 * sign_ok allows a leading '-'.  |value| <= 2^62 units.
 */
int st2110_parse_decimal_e9(const char *s, size_t len, bool sign_ok, int64_t *out);

#endif /* ST2110_LIB_NUMPARSE_H */
