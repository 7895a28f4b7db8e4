// SPDX-License-Identifier: GPL-2.0
/* json.c - jansson helpers for the tools' -j output (see json.h). */
#include <errno.h>
#include <inttypes.h>

#include <st2110/rational.h>

#include "json.h"

int st2110_json_print(FILE *f, json_t *v, bool pretty)
{
	return st2110_json_print_indent(f, v, pretty ? 4 : 0);
}

int st2110_json_print_indent(FILE *f, json_t *v, unsigned int indent)
{
	/* jansson >= 2.8 keeps insertion order: the field order is stable */
	size_t flags = indent ? JSON_INDENT(indent & 0x1f) : JSON_COMPACT;
	int err;

	if (!v)
		return -ENOMEM;
	err = json_dumpf(v, f, flags | JSON_ENCODE_ANY);
	json_decref(v);
	if (err || fputc('\n', f) == EOF)
		return -EIO;
	return 0;
}

json_t *st2110_json_u64(uint64_t v)
{
	return json_integer(v > INT64_MAX ? INT64_MAX : (json_int_t)v);
}

json_t *st2110_json_frac(uint64_t num, uint64_t den)
{
	struct st2110_frac f;

	if (st2110_frac_set(&f, num, den))
		return json_null();
	if (f.den == 1)
		return json_sprintf("%" PRIu64, (uint64_t)f.num);
	return json_sprintf("%" PRIu64 "/%" PRIu64, (uint64_t)f.num, (uint64_t)f.den);
}

void st2110_json_set(json_t *obj, const char *key, json_t *v)
{
	if (v)
		json_object_set_new(obj, key, v);
}
