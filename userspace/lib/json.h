/* SPDX-License-Identifier: GPL-2.0 */
/*
 * json.h - the few helpers the tools add to jansson for -j output.
 *
 * JSON is built with jansson (libjansson, Debian package libjansson-dev;
 * Documentation/sdp.md says why) and printed with st2110_json_print().
 * Conventions, as iproute2's -j: field names are stable lower_snake_case,
 * values are in machine units named by their suffix (_ns, _bps, _pkts,
 * _bytes, _hz), exact rationals are strings "num/den" beside their floored
 * integer, and a field that does not apply is left out rather than null.
 */
#ifndef ST2110_LIB_JSON_H
#define ST2110_LIB_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

/* Print v and a newline: compact, or indented by 4 with pretty.  Steals v. */
int st2110_json_print(FILE *f, json_t *v, bool pretty);

/* The same with an indent of 1..31 spaces, or compact for 0.  Steals v. */
int st2110_json_print_indent(FILE *f, json_t *v, unsigned int indent);

/* An unsigned integer (jansson holds int64: larger values saturate). */
json_t *st2110_json_u64(uint64_t v);

/* "num/den" in lowest terms, or "num" when den is 1. */
json_t *st2110_json_frac(uint64_t num, uint64_t den);

/* obj[key] = v, stealing v; a NULL v (allocation failure) is ignored. */
void st2110_json_set(json_t *obj, const char *key, json_t *v);

#endif /* ST2110_LIB_JSON_H */
