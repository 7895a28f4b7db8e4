/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jsonw.h - a tiny streaming JSON writer: fields come out in the order the
 * report writes them, so the document layout is stable and diffable.
 */
#ifndef ANALYZE_JSONW_H
#define ANALYZE_JSONW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSONW_MAX_DEPTH 16

struct jsonw {
	FILE *f;
	int depth;
	bool first[JSONW_MAX_DEPTH];
};

void jw_init(struct jsonw *w, FILE *f);
void jw_finish(struct jsonw *w);
/* key is NULL inside arrays and for the top-level object */
void jw_obj_open(struct jsonw *w, const char *key);
void jw_obj_close(struct jsonw *w);
void jw_arr_open(struct jsonw *w, const char *key);
void jw_arr_close(struct jsonw *w);
void jw_u64(struct jsonw *w, const char *key, uint64_t v);
void jw_i64(struct jsonw *w, const char *key, int64_t v);
void jw_str(struct jsonw *w, const char *key, const char *v);
void jw_bool(struct jsonw *w, const char *key, bool v);
void jw_null(struct jsonw *w, const char *key);

#endif /* ANALYZE_JSONW_H */
