/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jsonw.h - the report's JSON, built in the order it is written.
 *
 * A thin front end to jansson and the project's -j helpers
 * (userspace/lib/json.h): the report calls these in document order, they
 * build the tree (jansson keeps insertion order), and jw_finish() prints
 * it with a 2-space indent.  Unlike the CLI, the analyzer writes null for
 * a value it could not measure, so that every report has the same fields.
 */
#ifndef ANALYZE_JSONW_H
#define ANALYZE_JSONW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#define JSONW_MAX_DEPTH 16

struct jsonw {
	FILE *f;
	json_t *root;
	int depth;		/* open containers; stack[depth - 1] is the innermost */
	int skip;		/* containers opened past JSONW_MAX_DEPTH: dropped */
	json_t *stack[JSONW_MAX_DEPTH];
};

void jw_init(struct jsonw *w, FILE *f);
/* Print the document and a newline; 0, or -errno (nothing to print, I/O). */
int jw_finish(struct jsonw *w);
/* key is NULL inside arrays and for the top-level object */
void jw_obj_open(struct jsonw *w, const char *key);
void jw_obj_close(struct jsonw *w);
void jw_arr_open(struct jsonw *w, const char *key);
void jw_arr_close(struct jsonw *w);
/* values above INT64_MAX saturate (jansson holds int64) */
void jw_u64(struct jsonw *w, const char *key, uint64_t v);
void jw_i64(struct jsonw *w, const char *key, int64_t v);
/* an exact rational as the string "num/den" in lowest terms, "num" if den is 1 */
void jw_frac(struct jsonw *w, const char *key, uint64_t num, uint64_t den);
/* a NULL v is written as null */
void jw_str(struct jsonw *w, const char *key, const char *v);
void jw_bool(struct jsonw *w, const char *key, bool v);
void jw_null(struct jsonw *w, const char *key);

#endif /* ANALYZE_JSONW_H */
