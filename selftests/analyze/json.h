/* SPDX-License-Identifier: GPL-2.0 */
/*
 * json.h - just enough JSON for the tests to read st2110-analyze -j:
 * parse a document, then look values up by a dotted path such as
 * "streams.0.video.strict.cinst_peak_pkts".
 */
#ifndef ANALYZE_TEST_JSON_H
#define ANALYZE_TEST_JSON_H

#include <stdbool.h>
#include <stdint.h>

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jval {
	enum jtype type;
	int64_t num;		/* integers only: the analyzer prints no others */
	bool b;
	char *str;
	char *key;		/* member name inside an object */
	struct jval *child;	/* first member / element */
	struct jval *next;
};

struct jval *json_parse(const char *text);
void json_free(struct jval *v);
/* NULL if the path does not exist */
const struct jval *json_get(const struct jval *root, const char *path);
/* 0 and *out, or -1 if missing or not a number */
int json_num(const struct jval *root, const char *path, int64_t *out);
/* the string, or NULL (missing, null or not a string) */
const char *json_str(const struct jval *root, const char *path);

#endif /* ANALYZE_TEST_JSON_H */
