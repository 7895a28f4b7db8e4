// SPDX-License-Identifier: GPL-2.0
/*
 * st2110_nl.c - rtnetlink contract of the st2110 qdisc, checked against the
 * running kernel (run it inside the test VM, in a scratch netns).
 *
 *   st2110_nl IFNAME
 *
 * IFNAME is an up veth (no LaunchTime offload, ethtool speed 10 Gbit/s) whose
 * root qdisc the test owns.  For every option and class parameter:
 *   - accepted values are dumped back exactly, and a change touches only the
 *     options it carries;
 *   - each bad value is rejected with the expected errno AND extack message,
 *     and leaves nothing behind: no qdisc after a failed add, the previous
 *     configuration after a failed change;
 *   - thousands of failed ->init calls leak no slab object and no module
 *     reference.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

#include <kselftest.h>

#include "nlq.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#define QDISC_HANDLE	0x00010000u	/* 1: */
#define CLASSID(minor)	(QDISC_HANDLE | (minor))

#define CLOCK_TAI_ID	11
#define MAX_ATTRS	12

#define NLQ_BE32(t, a, b, c, d) \
	{ .type = (t), .len = 4, .v.bytes = { (a), (b), (c), (d) } }
#define NLQ_PORT(t, p) \
	{ .type = (t), .len = 2, .v.bytes = { (p) >> 8, (p) & 0xff } }
#define NLQ_IN6(t, ...) \
	{ .type = (t), .len = 16, .v.bytes = { __VA_ARGS__ } }

static struct nlq nl;
static int ifindex;
static const char *ifname;

/* ---- qdisc helpers ----------------------------------------------------- */

struct qcfg {
	uint32_t	timer_slack_ns;
	uint32_t	limit_pkts;
	uint64_t	link_rate_bps;
	uint8_t		offload;
};

static const struct qcfg qdefaults = {
	.timer_slack_ns	= TC_ST2110_DEFAULT_TIMER_SLACK_NS,
	.limit_pkts	= TC_ST2110_DEFAULT_LIMIT_PKTS,
	.link_rate_bps	= TC_ST2110_DEFAULT_LINK_RATE_BPS,
	.offload	= 0,
};

static int qdisc_add(const struct nlq_attr *a, int na, unsigned int flags)
{
	return nlq_qdisc(&nl, RTM_NEWQDISC, NLM_F_CREATE | NLM_F_EXCL, ifindex,
			 TC_H_ROOT, QDISC_HANDLE, "st2110", a, na, flags);
}

static int qdisc_change(const struct nlq_attr *a, int na, unsigned int flags)
{
	return nlq_qdisc(&nl, RTM_NEWQDISC, 0, ifindex, TC_H_ROOT,
			 QDISC_HANDLE, "st2110", a, na, flags);
}

static int qdisc_replace(const struct nlq_attr *a, int na)
{
	return nlq_qdisc(&nl, RTM_NEWQDISC, NLM_F_CREATE | NLM_F_REPLACE,
			 ifindex, TC_H_ROOT, QDISC_HANDLE, "st2110", a, na, 0);
}

static int qdisc_del(void)
{
	return nlq_qdisc(&nl, RTM_DELQDISC, 0, ifindex, TC_H_ROOT,
			 QDISC_HANDLE, NULL, NULL, 0, 0);
}

/* The dump carries every option exactly once, with the values of @want. */
static bool qdisc_dumps(const struct qcfg *want)
{
	struct nlq_qdisc_info qi;
	int i;

	if (nlq_get_qdisc(&nl, ifindex, QDISC_HANDLE, &qi)) {
		ksft_print_msg("qdisc dump failed: %s\n", strerror(nl.err));
		return false;
	}
	if (!qi.found || strcmp(qi.kind, "st2110")) {
		ksft_print_msg("no st2110 qdisc 1: on %s\n", ifname);
		return false;
	}
	if (!qi.has_options || !qi.options_nested || qi.unexpected) {
		ksft_print_msg("TCA_OPTIONS: present %d nested %d unexpected %d\n",
			       qi.has_options, qi.options_nested, qi.unexpected);
		return false;
	}
	for (i = TCA_ST2110_CLOCKID; i <= TCA_ST2110_MAX; i++) {
		if (!qi.has[i]) {
			ksft_print_msg("attribute %d missing from the dump\n", i);
			return false;
		}
	}
	if (qi.clockid != CLOCK_TAI_ID ||
	    qi.timer_slack_ns != want->timer_slack_ns ||
	    qi.limit_pkts != want->limit_pkts ||
	    qi.link_rate_bps != want->link_rate_bps ||
	    qi.offload != want->offload) {
		ksft_print_msg("dump: clockid %u slack %u limit %u rate %llu offload %u; want clockid 11 slack %u limit %u rate %llu offload %u\n",
			       qi.clockid, qi.timer_slack_ns, qi.limit_pkts,
			       (unsigned long long)qi.link_rate_bps, qi.offload,
			       want->timer_slack_ns, want->limit_pkts,
			       (unsigned long long)want->link_rate_bps,
			       want->offload);
		return false;
	}
	return true;
}

/* Nothing of ours on the device: neither handle 1: nor an st2110 root. */
static bool qdisc_absent(void)
{
	struct nlq_qdisc_info qi;

	if (nlq_get_qdisc(&nl, ifindex, QDISC_HANDLE, &qi) || qi.found) {
		ksft_print_msg("qdisc 1: is still there (kind %s)\n", qi.kind);
		return false;
	}
	if (nlq_get_qdisc(&nl, ifindex, 0, &qi) ||
	    (qi.found && !strcmp(qi.kind, "st2110"))) {
		ksft_print_msg("root qdisc is st2110\n");
		return false;
	}
	return true;
}

static bool get_xstats(struct tc_st2110_xstats *xs)
{
	struct nlq_qdisc_info qi;

	memset(xs, 0, sizeof(*xs));
	if (nlq_get_qdisc(&nl, ifindex, QDISC_HANDLE, &qi) || !qi.found ||
	    !qi.has_xstats) {
		ksft_print_msg("no xstats in the dump\n");
		return false;
	}
	*xs = qi.xstats;
	return true;
}

static bool expect_err(int ret, int want_errno, const char *want_msg)
{
	if (ret == -want_errno && !strcmp(nl.extack, want_msg))
		return true;
	ksft_print_msg("got errno %d (%s), extack \"%s\"; want errno %d (%s), extack \"%s\"\n",
		       -ret, strerror(-ret), nl.extack, want_errno,
		       strerror(want_errno), want_msg);
	return false;
}

static bool expect_ok(int ret, const char *what)
{
	if (!ret)
		return true;
	ksft_print_msg("%s: errno %d (%s), extack \"%s\"\n", what, -ret,
		       strerror(-ret), nl.extack);
	return false;
}

/* Link speed from sysfs, in bit/s (0 if unknown). */
static uint64_t link_speed_bps(void)
{
	char path[128];
	long long mbps = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%s/speed", ifname);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%lld", &mbps) != 1)
		mbps = -1;
	fclose(f);
	return mbps > 0 ? (uint64_t)mbps * 1000000 : 0;
}

/* ---- 1. defaults, add, delete ------------------------------------------ */

#define N_DEFAULTS 5

static void test_defaults(void)
{
	struct tc_st2110_xstats xs;
	uint64_t speed = link_speed_bps();
	bool ok;

	ok = expect_ok(qdisc_add(NULL, 0, NLQ_NO_OPTIONS), "add") &&
	     qdisc_dumps(&qdefaults);
	ksft_test_result(ok, "add without TCA_OPTIONS: every default dumps back\n");

	ok = get_xstats(&xs) && xs.link_rate_bps == speed && speed &&
	     xs.streams == 0 && xs.enqueued_pkts == 0;
	if (!ok)
		ksft_print_msg("xstats link rate %llu, ethtool speed %llu, streams %u\n",
			       (unsigned long long)xs.link_rate_bps,
			       (unsigned long long)speed, xs.streams);
	ksft_test_result(ok, "link rate 0 follows the ethtool speed (%llu bit/s) in xstats\n",
			 (unsigned long long)speed);

	ok = expect_ok(qdisc_del(), "delete") && qdisc_absent();
	ksft_test_result(ok, "delete leaves no qdisc\n");

	ok = expect_ok(qdisc_add(NULL, 0, 0), "add") &&
	     qdisc_dumps(&qdefaults);
	ksft_test_result(ok, "add with an empty nested TCA_OPTIONS: defaults\n");

	ok = qdisc_add(NULL, 0, 0) == -EEXIST && qdisc_dumps(&qdefaults);
	ksft_test_result(ok, "exclusive add over an existing qdisc: EEXIST, unchanged\n");
	qdisc_del();
}

/* ---- 2. every accepted value ------------------------------------------- */

enum field { F_CLOCKID, F_SLACK, F_LIMIT, F_RATE, F_OFFLOAD };

struct good_value {
	enum field	field;
	uint64_t	val;
};

static const struct good_value good_values[] = {
	{ F_CLOCKID, CLOCK_TAI_ID },
	{ F_SLACK, 0 }, { F_SLACK, 1 }, { F_SLACK, 50000 },
	{ F_SLACK, TC_ST2110_MAX_TIMER_SLACK_NS },
	{ F_LIMIT, TC_ST2110_MIN_LIMIT_PKTS }, { F_LIMIT, 777 },
	{ F_LIMIT, TC_ST2110_MAX_LIMIT_PKTS },
	{ F_RATE, 1 }, { F_RATE, 2500000000ULL },
	{ F_RATE, TC_ST2110_MAX_LINK_RATE_BPS }, { F_RATE, 0 },
	{ F_OFFLOAD, 0 },
};

static const char *const field_name[] = {
	[F_CLOCKID] = "clockid", [F_SLACK] = "timer_slack_ns",
	[F_LIMIT] = "limit_pkts", [F_RATE] = "link_rate_bps",
	[F_OFFLOAD] = "offload",
};

static struct nlq_attr field_attr(enum field f, uint64_t v)
{
	struct nlq_attr a[] = {
		[F_CLOCKID] = NLQ_U32(TCA_ST2110_CLOCKID, (uint32_t)v),
		[F_SLACK] = NLQ_U32(TCA_ST2110_TIMER_SLACK_NS, (uint32_t)v),
		[F_LIMIT] = NLQ_U32(TCA_ST2110_LIMIT_PKTS, (uint32_t)v),
		[F_RATE] = NLQ_U64(TCA_ST2110_LINK_RATE_BPS, v),
		[F_OFFLOAD] = NLQ_U8(TCA_ST2110_OFFLOAD, (uint8_t)v),
	};

	return a[f];
}

static void field_apply(struct qcfg *c, enum field f, uint64_t v)
{
	switch (f) {
	case F_CLOCKID:
		break;
	case F_SLACK:
		c->timer_slack_ns = v;
		break;
	case F_LIMIT:
		c->limit_pkts = v;
		break;
	case F_RATE:
		c->link_rate_bps = v;
		break;
	case F_OFFLOAD:
		c->offload = v;
		break;
	}
}

#define N_GOOD (4 + ARRAY_SIZE(good_values) + 2)

/* Leaves the qdisc configured as *cfg. */
static void test_good_values(struct qcfg *cfg)
{
	const struct qcfg all = {
		.timer_slack_ns = 12345, .limit_pkts = 4321,
		.link_rate_bps = 2500000000ULL, .offload = 0,
	};
	struct nlq_attr a[] = {
		NLQ_U32(TCA_ST2110_CLOCKID, CLOCK_TAI_ID),
		NLQ_U32(TCA_ST2110_TIMER_SLACK_NS, all.timer_slack_ns),
		NLQ_U32(TCA_ST2110_LIMIT_PKTS, all.limit_pkts),
		NLQ_U64(TCA_ST2110_LINK_RATE_BPS, all.link_rate_bps),
		NLQ_U8(TCA_ST2110_OFFLOAD, all.offload),
	};
	struct tc_st2110_xstats xs;
	struct nlq_attr one;
	uint64_t speed = link_speed_bps();
	unsigned int i;
	bool ok;

	ok = expect_ok(qdisc_add(a, ARRAY_SIZE(a), 0), "add") &&
	     qdisc_dumps(&all);
	ksft_test_result(ok, "add with every option: each dumps back exactly\n");
	*cfg = all;

	ok = get_xstats(&xs) && xs.link_rate_bps == all.link_rate_bps;
	ksft_test_result(ok, "a configured link rate is the one in use (xstats %llu)\n",
			 (unsigned long long)xs.link_rate_bps);

	ok = expect_ok(qdisc_change(NULL, 0, NLQ_NO_OPTIONS), "change") &&
	     qdisc_dumps(cfg);
	ksft_test_result(ok, "change without TCA_OPTIONS changes nothing\n");

	ok = expect_ok(qdisc_change(NULL, 0, 0), "change") && qdisc_dumps(cfg);
	ksft_test_result(ok, "change with empty TCA_OPTIONS changes nothing\n");

	for (i = 0; i < ARRAY_SIZE(good_values); i++) {
		const struct good_value *g = &good_values[i];

		one = field_attr(g->field, g->val);
		field_apply(cfg, g->field, g->val);
		ok = expect_ok(qdisc_change(&one, 1, 0), "change") &&
		     qdisc_dumps(cfg);
		ksft_test_result(ok, "change %s %llu: dumps back, other options unchanged\n",
				 field_name[g->field],
				 (unsigned long long)g->val);
	}

	/* good_values ends with link rate 0: back to the ethtool speed. */
	ok = get_xstats(&xs) && xs.link_rate_bps == speed;
	ksft_test_result(ok, "link rate changed back to 0: xstats follow ethtool again (%llu)\n",
			 (unsigned long long)xs.link_rate_bps);

	one = field_attr(F_LIMIT, 99);
	field_apply(cfg, F_LIMIT, 99);
	ok = expect_ok(qdisc_replace(&one, 1), "replace") && qdisc_dumps(cfg);
	ksft_test_result(ok, "replace of the same kind acts as change (limit 99 only)\n");
}

/* ---- 3. rejected values ------------------------------------------------ */

struct bad_case {
	const char	*name;
	struct nlq_attr	a[MAX_ATTRS];
	int		na;
	unsigned int	flags;
	int		err;
	const char	*extack;
};

#define RANGE_MSG	"integer out of range"
#define LEN_MSG		"invalid attribute length"
#define CLOCK_MSG	"Invalid clockid: CLOCK_TAI must be used"
#define OFFLOAD_MSG	"Device does not support LaunchTime (ETF) offload"

static const struct bad_case bad_qdisc[] = {
	{ "limit 0", { NLQ_U32(TCA_ST2110_LIMIT_PKTS, 0) }, 1, 0,
	  ERANGE, RANGE_MSG },
	{ "limit 2^20+1",
	  { NLQ_U32(TCA_ST2110_LIMIT_PKTS, TC_ST2110_MAX_LIMIT_PKTS + 1) }, 1, 0,
	  ERANGE, RANGE_MSG },
	{ "timer slack 1 s + 1 ns",
	  { NLQ_U32(TCA_ST2110_TIMER_SLACK_NS, TC_ST2110_MAX_TIMER_SLACK_NS + 1) },
	  1, 0, ERANGE, RANGE_MSG },
	{ "link rate 1 Tbit/s + 1",
	  { NLQ_U64(TCA_ST2110_LINK_RATE_BPS, TC_ST2110_MAX_LINK_RATE_BPS + 1) },
	  1, 0, ERANGE, RANGE_MSG },
	{ "offload 2", { NLQ_U8(TCA_ST2110_OFFLOAD, 2) }, 1, 0,
	  ERANGE, RANGE_MSG },
	{ "clockid CLOCK_REALTIME", { NLQ_U32(TCA_ST2110_CLOCKID, 0) }, 1, 0,
	  EINVAL, CLOCK_MSG },
	{ "clockid CLOCK_MONOTONIC", { NLQ_U32(TCA_ST2110_CLOCKID, 1) }, 1, 0,
	  EINVAL, CLOCK_MSG },
	{ "clockid -1 (dynamic)", { NLQ_U32(TCA_ST2110_CLOCKID, 0xffffffff) },
	  1, 0, EINVAL, CLOCK_MSG },
	{ "limit as u16", { NLQ_U16(TCA_ST2110_LIMIT_PKTS, 100) }, 1, 0,
	  EINVAL, LEN_MSG },
	{ "link rate as u32",
	  { NLQ_U32(TCA_ST2110_LINK_RATE_BPS, 1000000) }, 1, 0,
	  EINVAL, LEN_MSG },
	{ "unknown attribute", { NLQ_U32(TCA_ST2110_MAX + 1, 1) }, 1, 0,
	  EINVAL, "Unknown attribute type" },
	{ "attribute type 0", { NLQ_U32(TCA_ST2110_UNSPEC, 1) }, 1, 0,
	  EINVAL, "Unknown attribute type" },
	{ "pad attribute", { NLQ_U64(TCA_ST2110_PAD, 0) }, 1, 0,
	  EINVAL, "Unsupported attribute" },
	{ "TCA_OPTIONS without NLA_F_NESTED",
	  { NLQ_U32(TCA_ST2110_LIMIT_PKTS, 100) }, 1, NLQ_OPTIONS_NOT_NESTED,
	  EINVAL, "NLA_F_NESTED is missing" },
	{ "offload on a device without LaunchTime",
	  { NLQ_U8(TCA_ST2110_OFFLOAD, 1) }, 1, 0,
	  EOPNOTSUPP, OFFLOAD_MSG },
	{ "good limit and slack with a bad clockid",
	  { NLQ_U32(TCA_ST2110_LIMIT_PKTS, 5), NLQ_U32(TCA_ST2110_TIMER_SLACK_NS, 7),
	    NLQ_U32(TCA_ST2110_CLOCKID, 1) }, 3, 0, EINVAL, CLOCK_MSG },
	{ "good limit, slack and rate with offload on veth",
	  { NLQ_U32(TCA_ST2110_LIMIT_PKTS, 5), NLQ_U32(TCA_ST2110_TIMER_SLACK_NS, 7),
	    NLQ_U64(TCA_ST2110_LINK_RATE_BPS, 1000), NLQ_U8(TCA_ST2110_OFFLOAD, 1) },
	  4, 0, EOPNOTSUPP, OFFLOAD_MSG },
};

#define N_BAD_QDISC (2 * ARRAY_SIZE(bad_qdisc))

static void test_bad_qdisc(const struct qcfg *cfg)
{
	unsigned int i;
	bool ok;

	/* The qdisc configured as *cfg exists: every change must fail whole. */
	for (i = 0; i < ARRAY_SIZE(bad_qdisc); i++) {
		const struct bad_case *b = &bad_qdisc[i];

		ok = expect_err(qdisc_change(b->a, b->na, b->flags), b->err,
				b->extack) && qdisc_dumps(cfg);
		ksft_test_result(ok, "change rejects %s: %s, unchanged\n",
				 b->name, strerror(b->err));
	}

	qdisc_del();
	for (i = 0; i < ARRAY_SIZE(bad_qdisc); i++) {
		const struct bad_case *b = &bad_qdisc[i];

		ok = expect_err(qdisc_add(b->a, b->na, b->flags), b->err,
				b->extack) && qdisc_absent();
		ksft_test_result(ok, "add rejects %s: %s, no qdisc left\n",
				 b->name, strerror(b->err));
	}
}

/* ---- 4. failed ->init leaks nothing ------------------------------------ */

/* Objects in use over every slab cache. */
static long long slab_objects(void)
{
	char line[512], name[64];
	long long total = 0, active;
	FILE *f = fopen("/proc/slabinfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %lld", name, &active) == 2 &&
		    name[0] != '#' && strcmp(name, "slabinfo"))
			total += active;
	}
	fclose(f);
	return total;
}

static long module_refcnt(void)
{
	long ref = -1;
	FILE *f = fopen("/sys/module/sch_st2110/refcnt", "r");

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &ref) != 1)
		ref = -1;
	fclose(f);
	return ref;
}

#define N_LEAK 1
#define LEAK_ROUNDS 4000

/*
 * Each failing add runs ->init past tcf_block_get() and the class hash
 * allocation, then fails (bad clockid, or offload refused), and the core
 * calls ->destroy.  Leaking even one object per round would show as
 * LEAK_ROUNDS objects; per-CPU slab caching moves the count by far less.
 */
static void test_failed_init_leak(void)
{
	const struct nlq_attr bad_clock[] = { NLQ_U32(TCA_ST2110_CLOCKID, 1) };
	const struct nlq_attr bad_offload[] = { NLQ_U8(TCA_ST2110_OFFLOAD, 1) };
	long long before, after;
	long ref_before, ref_after;
	int i, unexpected = 0;

	if (slab_objects() < 0) {
		ksft_test_result_skip("failed init leak check: no /proc/slabinfo\n");
		return;
	}
	for (i = 0; i < LEAK_ROUNDS / 10; i++)	/* warm the caches up */
		qdisc_add(bad_clock, 1, 0);

	ref_before = module_refcnt();
	before = slab_objects();
	for (i = 0; i < LEAK_ROUNDS; i++) {
		int ret = i & 1 ? qdisc_add(bad_offload, 1, 0) :
				  qdisc_add(bad_clock, 1, 0);

		if (ret != (i & 1 ? -EOPNOTSUPP : -EINVAL))
			unexpected++;
	}
	after = slab_objects();
	ref_after = module_refcnt();

	ksft_print_msg("%d failed inits: slab objects %lld -> %lld (%+lld), module refcnt %ld -> %ld\n",
		       LEAK_ROUNDS, before, after, after - before, ref_before,
		       ref_after);
	ksft_test_result(!unexpected && after - before < LEAK_ROUNDS / 2 &&
			 ref_before == ref_after && qdisc_absent(),
			 "%d failed inits leak no slab object, no module reference\n",
			 LEAK_ROUNDS);
}

/* ---- 5. classes (streams) ---------------------------------------------- */

struct ccfg {
	int		family;
	unsigned char	dst[16];
	uint16_t	port;
	bool		has_src;
	unsigned char	src[16];
	uint32_t	limit_pkts;
};

static int class_add(uint32_t minor, const struct nlq_attr *a, int na,
		     unsigned int flags)
{
	return nlq_class(&nl, RTM_NEWTCLASS, NLM_F_CREATE | NLM_F_EXCL, ifindex,
			 QDISC_HANDLE, CLASSID(minor), a, na, flags);
}

static int class_change(uint32_t minor, const struct nlq_attr *a, int na,
			unsigned int flags)
{
	return nlq_class(&nl, RTM_NEWTCLASS, 0, ifindex, QDISC_HANDLE,
			 CLASSID(minor), a, na, flags);
}

static int class_del(uint32_t minor)
{
	return nlq_class(&nl, RTM_DELTCLASS, 0, ifindex, QDISC_HANDLE,
			 CLASSID(minor), NULL, 0, 0);
}

static bool class_dumps(uint32_t minor, const struct ccfg *want)
{
	size_t alen = want->family == AF_INET ? 4 : 16;
	struct nlq_class_info ci;

	if (nlq_get_class(&nl, ifindex, CLASSID(minor), &ci, NULL) ||
	    !ci.found) {
		ksft_print_msg("class 1:%x not in the dump\n", minor);
		return false;
	}
	if (!ci.has_match || !ci.has_port || !ci.has_limit || ci.unexpected ||
	    ci.family != want->family || memcmp(ci.dst, want->dst, alen) ||
	    ci.port != want->port || ci.has_src != want->has_src ||
	    (want->has_src && memcmp(ci.src, want->src, alen)) ||
	    ci.limit_pkts != want->limit_pkts || ci.parent != TC_H_ROOT) {
		ksft_print_msg("class 1:%x: match %d port %u/%u family %d/%d src %d/%d limit %u/%u unexpected %d parent %x\n",
			       minor, ci.has_match, ci.port, want->port,
			       ci.family, want->family, ci.has_src,
			       want->has_src, ci.limit_pkts, want->limit_pkts,
			       ci.unexpected, ci.parent);
		return false;
	}
	return true;
}

static bool class_absent(uint32_t minor)
{
	struct nlq_class_info ci;

	if (nlq_get_class(&nl, ifindex, CLASSID(minor), &ci, NULL) || ci.found) {
		ksft_print_msg("class 1:%x exists\n", minor);
		return false;
	}
	return true;
}

static int class_count(void)
{
	struct nlq_class_info ci;
	int count = -1;

	if (nlq_get_class(&nl, ifindex, 0, &ci, &count))
		return -1;
	return count;
}

#define M_NEST		NLQ_NEST(TCA_ST2110_CLASS_MATCH)
#define DST4(a, b, c, d) NLQ_BE32(TCA_ST2110_MATCH_DST_IPV4, a, b, c, d)
#define SRC4(a, b, c, d) NLQ_BE32(TCA_ST2110_MATCH_SRC_IPV4, a, b, c, d)
#define DPORT(p)	NLQ_PORT(TCA_ST2110_MATCH_DST_PORT, p)
#define CLIMIT(n)	NLQ_U32(TCA_ST2110_CLASS_LIMIT_PKTS, n)
#define V6_FF0E_1	0xff, 0x0e, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1
#define V6_DB8_1	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1

static const struct ccfg c1 = {
	.family = AF_INET, .dst = { 239, 1, 1, 1 }, .port = 5004,
};

static const struct ccfg c2 = {
	.family = AF_INET6, .dst = { V6_FF0E_1 }, .port = 5006,
	.has_src = true, .src = { V6_DB8_1 }, .limit_pkts = 100,
};

static const struct ccfg c3 = {
	.family = AF_INET, .dst = { 239, 1, 1, 1 }, .port = 5004,
	.has_src = true, .src = { 10, 0, 0, 1 },
	.limit_pkts = TC_ST2110_CLASS_MAX_LIMIT_PKTS,
};

/* bad_class.flags: the case makes sense for class add only */
#define ADD_ONLY 0x100

struct bad_class {
	const char	*name;
	struct nlq_attr	a[MAX_ATTRS];
	int		na;
	unsigned int	flags;
	int		err;
	const char	*extack;
};

static const struct bad_class bad_classes[] = {
	{ "no options at all", { }, 0, NLQ_NO_OPTIONS | ADD_ONLY, EINVAL,
	  "Stream match is required to create a class" },
	{ "no match", { CLIMIT(10) }, 1, ADD_ONLY, EINVAL,
	  "Stream match is required to create a class" },
	{ "a match without port", { M_NEST, DST4(239, 1, 1, 9), NLQ_END }, 3, 0,
	  EINVAL, "Stream match needs a UDP destination port" },
	{ "a match without address", { M_NEST, DPORT(5008), NLQ_END }, 3, 0,
	  EINVAL, "Stream match needs a destination address" },
	{ "port 0", { M_NEST, DST4(239, 1, 1, 9), DPORT(0), NLQ_END }, 4, 0,
	  EINVAL, "UDP destination port 0 cannot match" },
	{ "two destination addresses",
	  { M_NEST, DST4(239, 1, 1, 9),
	    NLQ_IN6(TCA_ST2110_MATCH_DST_IPV6, V6_FF0E_1), DPORT(5008), NLQ_END },
	  5, 0, EINVAL, "Give one destination address, IPv4 or IPv6" },
	{ "two source addresses",
	  { M_NEST, DST4(239, 1, 1, 9), DPORT(5008), SRC4(10, 0, 0, 1),
	    NLQ_IN6(TCA_ST2110_MATCH_SRC_IPV6, V6_DB8_1), NLQ_END },
	  6, 0, EINVAL, "Give one source address, IPv4 or IPv6" },
	{ "IPv4 destination with IPv6 source",
	  { M_NEST, DST4(239, 1, 1, 9), DPORT(5008),
	    NLQ_IN6(TCA_ST2110_MATCH_SRC_IPV6, V6_DB8_1), NLQ_END },
	  5, 0, EINVAL, "Source and destination address families differ" },
	{ "IPv6 destination of 4 bytes",
	  { M_NEST, NLQ_BE32(TCA_ST2110_MATCH_DST_IPV6, 1, 2, 3, 4), DPORT(5008),
	    NLQ_END }, 4, 0, ERANGE, "binary attribute size out of range" },
	{ "the match of class 1:2 (duplicate)",
	  { M_NEST, NLQ_IN6(TCA_ST2110_MATCH_DST_IPV6, V6_FF0E_1), DPORT(5006),
	    NLQ_IN6(TCA_ST2110_MATCH_SRC_IPV6, V6_DB8_1), NLQ_END },
	  5, 0, EEXIST, "Another class of this qdisc has the same match" },
	/* Hand-made nest: the inner header is little endian (x86). */
	{ "a match without NLA_F_NESTED",
	  { { .type = TCA_ST2110_CLASS_MATCH, .len = 8,
	      .v.bytes = { 8, 0, TCA_ST2110_MATCH_DST_IPV4, 0, 239, 1, 1, 9 } } },
	  1, 0, EINVAL, "NLA_F_NESTED is missing" },
	{ "class limit 2^20+1",
	  { M_NEST, DST4(239, 1, 1, 9), DPORT(5008), NLQ_END,
	    CLIMIT(TC_ST2110_CLASS_MAX_LIMIT_PKTS + 1) },
	  5, 0, ERANGE, RANGE_MSG },
	{ "an unknown class attribute",
	  { M_NEST, DST4(239, 1, 1, 9), DPORT(5008), NLQ_END,
	    NLQ_U32(TCA_ST2110_CLASS_MAX + 1, 1) },
	  5, 0, EINVAL, "Unknown attribute type" },
	{ "an unknown match attribute",
	  { M_NEST, DST4(239, 1, 1, 9), DPORT(5008),
	    NLQ_U32(TCA_ST2110_MATCH_MAX + 1, 1), NLQ_END },
	  5, 0, EINVAL, "Unknown attribute type" },
	{ "class options without NLA_F_NESTED",
	  { CLIMIT(10) }, 1, NLQ_OPTIONS_NOT_NESTED, EINVAL,
	  "NLA_F_NESTED is missing" },
};

static unsigned int n_class_tests(void)
{
	unsigned int i, n = 14 + ARRAY_SIZE(bad_classes);

	for (i = 0; i < ARRAY_SIZE(bad_classes); i++)
		n += !(bad_classes[i].flags & ADD_ONLY);
	return n;
}

static void test_classes(void)
{
	struct nlq_attr a1[] = { M_NEST, DST4(239, 1, 1, 1), DPORT(5004),
				 NLQ_END };
	struct nlq_attr a2[] = { M_NEST,
				 NLQ_IN6(TCA_ST2110_MATCH_DST_IPV6, V6_FF0E_1),
				 DPORT(5006),
				 NLQ_IN6(TCA_ST2110_MATCH_SRC_IPV6, V6_DB8_1),
				 NLQ_END, CLIMIT(100) };
	struct nlq_attr a3[] = { M_NEST, DST4(239, 1, 1, 1), DPORT(5004),
				 SRC4(10, 0, 0, 1), NLQ_END,
				 CLIMIT(TC_ST2110_CLASS_MAX_LIMIT_PKTS) };
	struct nlq_attr lim[] = { CLIMIT(50) };
	struct nlq_attr rematch[] = { M_NEST, DST4(239, 1, 1, 2), DPORT(5010),
				      NLQ_END };
	struct tc_st2110_xstats xs;
	struct ccfg c1b = c1;
	unsigned int i;
	int ret;
	bool ok;

	ret = qdisc_add(NULL, 0, NLQ_NO_OPTIONS);
	ksft_test_result(expect_ok(ret, "add") && class_count() == 0,
			 "new qdisc has no class\n");

	ok = expect_ok(class_add(1, a1, ARRAY_SIZE(a1), 0), "class add") &&
	     class_dumps(1, &c1);
	ksft_test_result(ok, "class 1:1 IPv4 239.1.1.1:5004: dumps back, limit 0\n");

	ok = expect_ok(class_add(2, a2, ARRAY_SIZE(a2), 0), "class add") &&
	     class_dumps(2, &c2);
	ksft_test_result(ok, "class 1:2 IPv6 [ff0e::1]:5006 from 2001:db8::1, limit 100: dumps back\n");

	ok = expect_ok(class_add(3, a3, ARRAY_SIZE(a3), 0), "class add") &&
	     class_dumps(3, &c3);
	ksft_test_result(ok, "class 1:3 = 1:1's match plus a source: accepted (not a duplicate)\n");

	ok = get_xstats(&xs) && xs.streams == 3 && class_count() == 3;
	ksft_test_result(ok, "three classes: xstats streams %u, class dump count %d\n",
			 xs.streams, class_count());

	/* Rejections at add: nothing created. */
	for (i = 0; i < ARRAY_SIZE(bad_classes); i++) {
		const struct bad_class *b = &bad_classes[i];

		ok = expect_err(class_add(9, b->a, b->na, b->flags & ~ADD_ONLY),
				b->err, b->extack) && class_absent(9);
		ksft_test_result(ok, "class add rejects %s: %s, no class left\n",
				 b->name, strerror(b->err));
	}

	/* Rejections at change of 1:1: nothing changed. */
	for (i = 0; i < ARRAY_SIZE(bad_classes); i++) {
		const struct bad_class *b = &bad_classes[i];

		if (b->flags & ADD_ONLY)
			continue;
		ok = expect_err(class_change(1, b->a, b->na, b->flags), b->err,
				b->extack) && class_dumps(1, &c1);
		ksft_test_result(ok, "class change rejects %s: %s, unchanged\n",
				 b->name, strerror(b->err));
	}
	ok = expect_ok(class_change(1, NULL, 0, NLQ_NO_OPTIONS), "change") &&
	     class_dumps(1, &c1);
	ksft_test_result(ok, "class change without options changes nothing\n");

	c1b.limit_pkts = 50;
	ok = expect_ok(class_change(1, lim, 1, 0), "change") &&
	     class_dumps(1, &c1b);
	ksft_test_result(ok, "class change limit 50: match unchanged\n");

	c1b.dst[3] = 2;
	c1b.port = 5010;
	ok = expect_ok(class_change(1, rematch, ARRAY_SIZE(rematch), 0),
		       "change") && class_dumps(1, &c1b);
	ksft_test_result(ok, "class change match to 239.1.1.2:5010: limit kept\n");

	c1b = c1;
	c1b.limit_pkts = 50;
	ok = expect_ok(class_change(1, a1, ARRAY_SIZE(a1), 0), "change") &&
	     class_dumps(1, &c1b);
	ksft_test_result(ok, "class change back to 239.1.1.1:5004 (own match is no duplicate)\n");

	ret = class_add(0, a1, ARRAY_SIZE(a1), 0);
	ksft_test_result(expect_err(ret, EINVAL,
				    "Class id must be <qdisc major>:<non-zero minor>"),
			 "class id 1:0 rejected\n");

	ret = nlq_class(&nl, RTM_NEWTCLASS, NLM_F_CREATE | NLM_F_EXCL, ifindex,
			CLASSID(1), CLASSID(9), rematch, ARRAY_SIZE(rematch), 0);
	ok = expect_err(ret, EINVAL, "st2110 classes attach to the qdisc itself") &&
	     class_absent(9);
	ksft_test_result(ok, "class under another class rejected\n");

	ok = expect_ok(class_del(3), "class del") && class_absent(3) &&
	     class_count() == 2 && get_xstats(&xs) && xs.streams == 2;
	ksft_test_result(ok, "class delete: gone, two left\n");

	ok = expect_ok(qdisc_del(), "qdisc del") && qdisc_absent() &&
	     class_count() == 0;
	ksft_test_result(ok, "qdisc delete takes its classes along\n");

	/* The one class parameter that is not about the match. */
	ok = expect_ok(qdisc_add(NULL, 0, NLQ_NO_OPTIONS), "add") &&
	     expect_ok(class_add(1, a1, ARRAY_SIZE(a1), 0), "class add") &&
	     expect_ok(class_del(1), "class del") && class_absent(1) &&
	     expect_ok(class_add(1, a1, ARRAY_SIZE(a1), 0), "class re-add") &&
	     class_dumps(1, &c1);
	ksft_test_result(ok, "a deleted class id and match can be used again\n");
	qdisc_del();
}

int main(int argc, char **argv)
{
	struct qcfg cfg;

	ksft_print_header();
	if (argc != 2)
		ksft_exit_fail_msg("usage: %s IFNAME\n", argv[0]);
	ifname = argv[1];
	if (nlq_open(&nl))
		ksft_exit_fail_msg("cannot open an rtnetlink socket\n");
	ifindex = nlq_ifindex(&nl, ifname);
	if (ifindex <= 0)
		ksft_exit_fail_msg("no device %s\n", ifname);

	ksft_set_plan(N_DEFAULTS + N_GOOD + N_BAD_QDISC + N_LEAK +
		      n_class_tests());

	qdisc_del();		/* a leftover from an aborted run */
	test_defaults();
	test_good_values(&cfg);
	test_bad_qdisc(&cfg);
	test_failed_init_leak();
	test_classes();

	nlq_close(&nl);
	ksft_finished();
}
