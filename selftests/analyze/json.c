// SPDX-License-Identifier: GPL-2.0
/* json.c - minimal JSON reader for the tests (see json.h). */
#include <stdlib.h>
#include <string.h>

#include "json.h"

struct jp {
	const char *s;
	bool err;
};

static void ws(struct jp *p)
{
	while (*p->s == ' ' || *p->s == '\n' || *p->s == '\t' || *p->s == '\r')
		p->s++;
}

static char *parse_string(struct jp *p)
{
	size_t cap = 16, n = 0;
	char *out = malloc(cap);

	if (*p->s != '"' || !out) {
		p->err = true;
		free(out);
		return NULL;
	}
	p->s++;
	while (*p->s && *p->s != '"') {
		char c = *p->s++;

		if (c == '\\') {
			c = *p->s++;
			if (c == 'u') {		/* the analyzer escapes control bytes only */
				c = (char)strtol((char[]){ p->s[0], p->s[1], p->s[2], p->s[3], 0 }, NULL, 16);
				p->s += 4;
			} else if (c == 'n') {
				c = '\n';
			} else if (c == 't') {
				c = '\t';
			}
		}
		if (n + 2 > cap) {
			char *nb = realloc(out, cap *= 2);

			if (!nb) {
				free(out);
				p->err = true;
				return NULL;
			}
			out = nb;
		}
		out[n++] = c;
	}
	if (*p->s != '"') {
		p->err = true;
		free(out);
		return NULL;
	}
	p->s++;
	out[n] = '\0';
	return out;
}

static struct jval *parse_value(struct jp *p, int depth)
{
	struct jval *v = calloc(1, sizeof(*v)), **tail;

	if (!v || depth > 64) {
		p->err = true;
		free(v);
		return NULL;
	}
	ws(p);
	if (*p->s == '{' || *p->s == '[') {
		bool obj = *p->s == '{';

		v->type = obj ? J_OBJ : J_ARR;
		p->s++;
		tail = &v->child;
		ws(p);
		if (*p->s == (obj ? '}' : ']')) {
			p->s++;
			return v;
		}
		for (;;) {
			char *key = NULL;
			struct jval *c;

			ws(p);
			if (obj) {
				key = parse_string(p);
				ws(p);
				if (p->err || *p->s != ':') {
					free(key);
					p->err = true;
					return v;
				}
				p->s++;
			}
			c = parse_value(p, depth + 1);
			if (!c) {
				free(key);
				return v;
			}
			c->key = key;
			*tail = c;
			tail = &c->next;
			if (p->err)
				return v;
			ws(p);
			if (*p->s == ',') {
				p->s++;
				continue;
			}
			if (*p->s == (obj ? '}' : ']')) {
				p->s++;
				return v;
			}
			p->err = true;
			return v;
		}
	}
	if (*p->s == '"') {
		v->type = J_STR;
		v->str = parse_string(p);
	} else if (!strncmp(p->s, "null", 4)) {
		v->type = J_NULL;
		p->s += 4;
	} else if (!strncmp(p->s, "true", 4)) {
		v->type = J_BOOL;
		v->b = true;
		p->s += 4;
	} else if (!strncmp(p->s, "false", 5)) {
		v->type = J_BOOL;
		p->s += 5;
	} else {
		char *end;

		v->type = J_NUM;
		v->num = strtoll(p->s, &end, 10);
		if (end == p->s || *end == '.' || *end == 'e' || *end == 'E')
			p->err = true;
		p->s = end;
	}
	return v;
}

void json_free(struct jval *v)
{
	while (v) {
		struct jval *n = v->next;

		json_free(v->child);
		free(v->str);
		free(v->key);
		free(v);
		v = n;
	}
}

struct jval *json_parse(const char *text)
{
	struct jp p = { .s = text };
	struct jval *v = parse_value(&p, 0);

	ws(&p);
	if (p.err || *p.s) {
		json_free(v);
		return NULL;
	}
	return v;
}

const struct jval *json_get(const struct jval *v, const char *path)
{
	char seg[128];

	while (v && *path) {
		const char *dot = strchr(path, '.');
		size_t len = dot ? (size_t)(dot - path) : strlen(path);
		const struct jval *c;

		if (len >= sizeof(seg))
			return NULL;
		memcpy(seg, path, len);
		seg[len] = '\0';
		if (v->type == J_OBJ) {
			for (c = v->child; c && strcmp(c->key, seg); c = c->next)
				;
		} else if (v->type == J_ARR) {
			long i = strtol(seg, NULL, 10);

			for (c = v->child; c && i > 0; c = c->next, i--)
				;
		} else {
			return NULL;
		}
		v = c;
		path += len + (dot ? 1 : 0);
	}
	return v;
}

int json_num(const struct jval *root, const char *path, int64_t *out)
{
	const struct jval *v = json_get(root, path);

	if (!v || v->type != J_NUM)
		return -1;
	*out = v->num;
	return 0;
}

const char *json_str(const struct jval *root, const char *path)
{
	const struct jval *v = json_get(root, path);

	return v && v->type == J_STR ? v->str : NULL;
}
