// SPDX-License-Identifier: GPL-2.0
/* jsonw.c - streaming JSON writer (see jsonw.h). */
#include <inttypes.h>

#include "jsonw.h"

void jw_init(struct jsonw *w, FILE *f)
{
	w->f = f;
	w->depth = 0;
	w->first[0] = true;
}

void jw_finish(struct jsonw *w)
{
	fputc('\n', w->f);
}

static void jw_indent(struct jsonw *w)
{
	int i;

	for (i = 0; i < w->depth; i++)
		fputs("  ", w->f);
}

static void jw_string(struct jsonw *w, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', w->f);
	for (; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(w->f, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(w->f, "\\u%04x", *p);
		else
			fputc(*p, w->f);
	}
	fputc('"', w->f);
}

/* Separator, newline and key of the next member. */
static void jw_member(struct jsonw *w, const char *key)
{
	if (w->depth) {
		if (!w->first[w->depth])
			fputc(',', w->f);
		fputc('\n', w->f);
		jw_indent(w);
	}
	w->first[w->depth] = false;
	if (key) {
		jw_string(w, key);
		fputs(": ", w->f);
	}
}

static void jw_open(struct jsonw *w, const char *key, char c)
{
	jw_member(w, key);
	fputc(c, w->f);
	if (w->depth < JSONW_MAX_DEPTH - 1)
		w->depth++;
	w->first[w->depth] = true;
}

static void jw_close(struct jsonw *w, char c)
{
	bool empty = w->first[w->depth];

	if (w->depth)
		w->depth--;
	if (!empty) {
		fputc('\n', w->f);
		jw_indent(w);
	}
	fputc(c, w->f);
}

void jw_obj_open(struct jsonw *w, const char *key)
{
	jw_open(w, key, '{');
}

void jw_obj_close(struct jsonw *w)
{
	jw_close(w, '}');
}

void jw_arr_open(struct jsonw *w, const char *key)
{
	jw_open(w, key, '[');
}

void jw_arr_close(struct jsonw *w)
{
	jw_close(w, ']');
}

void jw_u64(struct jsonw *w, const char *key, uint64_t v)
{
	jw_member(w, key);
	fprintf(w->f, "%" PRIu64, v);
}

void jw_i64(struct jsonw *w, const char *key, int64_t v)
{
	jw_member(w, key);
	fprintf(w->f, "%" PRId64, v);
}

void jw_str(struct jsonw *w, const char *key, const char *v)
{
	jw_member(w, key);
	if (v)
		jw_string(w, v);
	else
		fputs("null", w->f);
}

void jw_bool(struct jsonw *w, const char *key, bool v)
{
	jw_member(w, key);
	fputs(v ? "true" : "false", w->f);
}

void jw_null(struct jsonw *w, const char *key)
{
	jw_member(w, key);
	fputs("null", w->f);
}
