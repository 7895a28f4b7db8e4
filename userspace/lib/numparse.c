// SPDX-License-Identifier: GPL-2.0
/* numparse.c - strict number parsing (see numparse.h). */
#include <errno.h>
#include <string.h>

#include "numparse.h"

int st2110_parse_u64_n(const char *s, size_t len, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (!len || len > 20)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		unsigned int d = (unsigned char)s[i] - '0';

		if (d > 9)
			return -EINVAL;
		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	if (v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int st2110_parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	return st2110_parse_u64_n(s, strlen(s), max, out);
}

int st2110_parse_decimal_e9(const char *s, size_t len, bool sign_ok, int64_t *out)
{
	uint64_t whole = 0, frac = 0;
	size_t i = 0, dot, nfrac;
	bool neg = false;
	int err;

	if (len && s[0] == '-') {
		if (!sign_ok)
			return -EINVAL;
		neg = true;
		i = 1;
	}
	for (dot = i; dot < len && s[dot] != '.'; dot++)
		;
	if (dot == i && dot == len)
		return -EINVAL;
	if (dot > i) {
		err = st2110_parse_u64_n(s + i, dot - i, (1ULL << 62) / 1000000000ULL, &whole);
		if (err)
			return err;
	}
	if (dot < len) {
		nfrac = len - dot - 1;
		if (!nfrac || nfrac > 9)
			return -EINVAL;
		err = st2110_parse_u64_n(s + dot + 1, nfrac, 999999999ULL, &frac);
		if (err)
			return err;
		for (; nfrac < 9; nfrac++)
			frac *= 10;
	}
	*out = (int64_t)(whole * 1000000000ULL + frac);
	if (neg)
		*out = -*out;
	return 0;
}
