/* SPDX-License-Identifier: GPL-2.0 */
/*
 * util.h - strict number parsing shared by the option, SDP and format parsers.
 *
 * Every parser here rejects trailing garbage, signs where none is allowed
 * and overflow, so "1e3", "12abc" or "-1" never slip through as numbers.
 */
#ifndef ANALYZE_UTIL_H
#define ANALYZE_UTIL_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

/* Decimal digits only, value <= max. */
int parse_u64(const char *s, uint64_t max, uint64_t *out);
/* Same, on the first len bytes of s. */
int parse_u64_n(const char *s, size_t len, uint64_t max, uint64_t *out);

/*
 * A decimal number with up to 9 fraction digits, scaled by 10^9 (e.g.
 * seconds to ns, "0.125" ms to 125000 ns after scaling by 1e6 / 1e9).
 * sign_ok allows a leading '-'.  |value| <= 2^62 units.
 */
int parse_decimal_e9(const char *s, size_t len, bool sign_ok, int64_t *out);

/* a/b reduced (both non-zero), for rates such as "60000/1001". */
uint64_t gcd_u64(uint64_t a, uint64_t b);

#endif /* ANALYZE_UTIL_H */
