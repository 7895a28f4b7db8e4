/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tc_abi.h - the part of Debian's tc (iproute2 6.1 .. 6.18) a qdisc plugin
 * links against, declared from the iproute2 sources' documented ABI
 * (kernel-qdisc-notes.md §3 of the project reference) because
 * Debian ships no iproute2 development headers.
 *
 * Only helpers whose signatures are the same from iproute2 6.1 to 6.18
 * are declared here; nothing else of tc may be called by the plugin
 * (print_size, matches, get_size64 changed or are missing in 6.1).
 */
#ifndef ST2110_TC_ABI_H
#define ST2110_TC_ABI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

/*
 * tc's per-kind descriptor.  tc links the descriptors it loads through
 * next, so the plugin's instance must be writable.  Since 6.9 the qu
 * parameters are const-qualified, which does not change the layout or
 * the calling convention.
 */
struct qdisc_util {
	struct qdisc_util *next;
	const char *id;
	int (*parse_qopt)(struct qdisc_util *qu, int argc, char **argv,
			  struct nlmsghdr *n, const char *dev);
	int (*print_qopt)(struct qdisc_util *qu, FILE *f, struct rtattr *opt);
	int (*print_xstats)(struct qdisc_util *qu, FILE *f, struct rtattr *xstats);
	int (*parse_copt)(struct qdisc_util *qu, int argc, char **argv,
			  struct nlmsghdr *n, const char *dev);
	int (*print_copt)(struct qdisc_util *qu, FILE *f, struct rtattr *opt);
	int (*has_block)(struct qdisc_util *qu, struct rtattr *opt, uint32_t block_idx,
			 bool *p_has);
};

/* libnetlink: append one attribute to a request of at most maxlen bytes */
int addattr_l(struct nlmsghdr *n, int maxlen, int type, const void *data, int alen);

/* json_print: PRINT_ANY prints text with fmt or a JSON member named key */
enum tc_output_type {
	TC_PRINT_FP = 1,
	TC_PRINT_JSON = 2,
	TC_PRINT_ANY = 4,
};

#define TC_COLOR_NONE	0

bool is_json_context(void);
void open_json_object(const char *str);
void close_json_object(void);
void open_json_array(enum tc_output_type type, const char *delim);
void close_json_array(enum tc_output_type type, const char *delim);
void print_nl(void);
/* the return value changed from void to int over the versions: unused */
void print_color_string(enum tc_output_type t, int color, const char *key,
			const char *fmt, const char *value);
void print_color_u64(enum tc_output_type t, int color, const char *key,
		     const char *fmt, uint64_t value);
void print_color_s64(enum tc_output_type t, int color, const char *key,
		     const char *fmt, int64_t value);
void print_color_bool(enum tc_output_type t, int color, const char *key,
		      const char *fmt, bool value);

#endif /* ST2110_TC_ABI_H */
