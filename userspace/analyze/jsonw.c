// SPDX-License-Identifier: GPL-2.0
/* jsonw.c - the report's JSON on top of jansson (see jsonw.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "jsonw.h"

void jw_init(struct jsonw *w, FILE *f)
{
	w->f = f;
	w->root = NULL;
	w->depth = 0;
	w->skip = 0;
}

/*
 * Put v into the innermost container, or make it the document; steals v.
 * False if v was dropped (allocation failure, no key inside an object).
 */
static bool jw_add(struct jsonw *w, const char *key, json_t *v)
{
	json_t *parent;

	if (!v)
		return false;
	if (w->skip) {
		json_decref(v);
		return false;
	}
	if (!w->depth) {
		json_decref(w->root);
		w->root = v;
		return true;
	}
	parent = w->stack[w->depth - 1];
	if (json_is_array(parent))
		return !json_array_append_new(parent, v);
	if (key)
		return !json_object_set_new(parent, key, v);
	json_decref(v);
	return false;
}

static void jw_open(struct jsonw *w, const char *key, json_t *c)
{
	/* too deep: c and everything written into it are dropped */
	if (w->depth == JSONW_MAX_DEPTH) {
		json_decref(c);
		c = NULL;
	}
	/* the parent owns c; the stack only borrows it until jw_close() */
	if (!jw_add(w, key, c)) {
		w->skip++;
		return;
	}
	w->stack[w->depth++] = c;
}

static void jw_close(struct jsonw *w)
{
	if (w->skip)
		w->skip--;
	else if (w->depth)
		w->depth--;
}

void jw_obj_open(struct jsonw *w, const char *key)
{
	jw_open(w, key, json_object());
}

void jw_obj_close(struct jsonw *w)
{
	jw_close(w);
}

void jw_arr_open(struct jsonw *w, const char *key)
{
	jw_open(w, key, json_array());
}

void jw_arr_close(struct jsonw *w)
{
	jw_close(w);
}

void jw_u64(struct jsonw *w, const char *key, uint64_t v)
{
	jw_add(w, key, st2110_json_u64(v));
}

void jw_i64(struct jsonw *w, const char *key, int64_t v)
{
	jw_add(w, key, json_integer((json_int_t)v));
}

void jw_frac(struct jsonw *w, const char *key, uint64_t num, uint64_t den)
{
	jw_add(w, key, st2110_json_frac(num, den));
}

/*
 * JSON text is UTF-8, file and interface names need not be: a name that is
 * not valid UTF-8 is written with '?' for each byte above 0x7f.
 */
static json_t *jw_string(const char *s)
{
	json_t *v = json_string(s);
	char *copy, *p;

	if (v)
		return v;
	copy = strdup(s);
	if (!copy)
		return NULL;
	for (p = copy; *p; p++)
		if ((unsigned char)*p > 0x7f)
			*p = '?';
	v = json_string(copy);
	free(copy);
	return v;
}

void jw_str(struct jsonw *w, const char *key, const char *v)
{
	jw_add(w, key, v ? jw_string(v) : json_null());
}

void jw_bool(struct jsonw *w, const char *key, bool v)
{
	jw_add(w, key, json_boolean(v));
}

void jw_null(struct jsonw *w, const char *key)
{
	jw_add(w, key, json_null());
}

int jw_finish(struct jsonw *w)
{
	json_t *root = w->root;

	w->root = NULL;
	w->depth = 0;
	w->skip = 0;
	return st2110_json_print_indent(w->f, root, 2);
}
