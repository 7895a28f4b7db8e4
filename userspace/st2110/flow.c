// SPDX-License-Identifier: GPL-2.0
/*
 * flow.c - "st2110 flow": what the XDP program measured on each flow.
 *
 *   st2110 [ -s ] [ -j ] flow show [ dev IN ] [ group G ] [ port P ]
 *					 [ -i SECS [ count N ] ]
 *   st2110 flow flush [ dev IN ]
 *
 * A flow is one (group, port, sender) on a route of the XDP program on IN;
 * its entry is read under the flow's lock, so the numbers of one line
 * belong together. "flush" deletes the entries: counting starts again.
 * With -i, every sample after the first gives what changed (interval.h).
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stddef.h>
#include <net/if.h>
#include <string.h>

#include "interval.h"
#include "json.h"
#include "numparse.h"
#include "st2110.h"
#include "xdp_cli.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: st2110 [ -s ] [ -j ] flow show [ dev IN ] [ group G ] [ port P ]\n"
		"                                   [ -i SECS [ count N ] ]\n"
		"       st2110 flow flush [ dev IN ]\n"
		"       st2110 flow help\n");
}

struct flow_args {
	const char *dev;
	char group[INET6_ADDRSTRLEN];	/* canonical text, "" = any */
	unsigned int port;
	json_t *arr;
	struct st2110_iv iv;
};

static int parse_args(int argc, char **argv, bool show, struct flow_args *a)
{
	struct st2110_xdp_key key;
	uint64_t v;
	int r;

	while (argc > 0) {
		if (!strcmp(*argv, "dev")) {
			NEXT_ARG();
			a->dev = *argv;
		} else if (show && !strcmp(*argv, "group")) {
			NEXT_ARG();
			if (st2110_xdp_key_make(&key, *argv, 1, NULL))
				return errorf(EXIT_USAGE, "%s", st2110_xdp_errmsg());
			inet_ntop(key.family == ST2110_XDP_FAMILY_IPV6 ? AF_INET6 : AF_INET,
				  key.group, a->group, sizeof(a->group));
		} else if (show && !strcmp(*argv, "port")) {
			NEXT_ARG();
			if (st2110_parse_u64(*argv, 65535, &v) || !v)
				return errorf(EXIT_USAGE, "port \"%s\" is not a UDP port (1..65535)",
					      *argv);
			a->port = v;
		} else if (show && (r = st2110_iv_arg(&a->iv, &argc, &argv))) {
			if (r != 1)
				return r;
		} else if (!matches(*argv, "help")) {
			usage(stdout);
			return -1;
		} else {
			return errorf(EXIT_USAGE, "unknown argument \"%s\", try \"st2110 flow help\"",
				      *argv);
		}
		argc--;
		argv++;
	}
	return st2110_iv_check(&a->iv);
}

/* Fields of the entry by name (all 64 bits wide); the JSON names. */
struct u64_field {
	const char *name;
	size_t off;
	bool is_signed;
};

#define FL(f)	{ #f, offsetof(struct st2110_xdp_flow, f), false }
/* always shown */
static const struct u64_field flow_base[] = {
	FL(packets), FL(bytes), FL(rtp_packets), FL(expected), FL(lost), FL(reordered),
	FL(duplicates),
};

/* with -s */
static const struct u64_field flow_stats[] = {
	FL(rtp_bad_version), FL(rtp_short), FL(stale), FL(resyncs), FL(ssrc_changes),
	FL(ext_seq_first), FL(ext_seq_max), FL(first_ns), FL(last_ns), FL(jitter_q4_ns),
};

/* ST 2110-21 receiver measurement, when the route names a format */
#define RXU(f)	{ #f, offsetof(struct st2110_xdp_rx, f), false }
#define RXS(f)	{ #f, offsetof(struct st2110_xdp_rx, f), true }
static const struct u64_field rx_fields[] = {
	RXU(frames), RXU(pkts), RXU(cinst_peak), RXS(vrx_peak), RXS(vrx_min),
	RXU(frames_over_cmax), RXU(frames_over_vrx), RXU(late_pkts), RXS(tpr_err_min_ns),
	RXS(tpr_err_max_ns), RXS(latency_min_ns), RXS(latency_max_ns), RXS(latency_last_ns),
	RXU(npackets_measured), RXU(npackets_mismatch), RXU(index_errors),
};

static __u64 field_raw(const void *base, const struct u64_field *f)
{
	__u64 v;

	memcpy(&v, (const char *)base + f->off, sizeof(v));
	return v;
}

static void fields_json(json_t *o, const void *base, const struct u64_field *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		st2110_json_set(o, f[i].name, f[i].is_signed ?
				json_integer((json_int_t)(__s64)field_raw(base, &f[i])) :
				st2110_json_u64(field_raw(base, &f[i])));
}

/* "name value" pairs, per on a line */
static void fields_text(const void *base, const struct u64_field *f, size_t n,
			unsigned int per, const char *indent)
{
	size_t i;

	for (i = 0; i < n; i++) {
		printf("%s%s ", i % per ? "  " : indent, f[i].name);
		if (f[i].is_signed)
			printf("%" PRId64, (int64_t)field_raw(base, &f[i]));
		else
			printf("%" PRIu64, (uint64_t)field_raw(base, &f[i]));
	}
}

static void flow_json(json_t *o, const struct st2110_xdp_flow *f)
{
	json_t *rx;

	fields_json(o, f, flow_base, ARRAY_SIZE(flow_base));
	st2110_json_set(o, "frames", st2110_json_u64(f->rtp_markers));
	st2110_json_set(o, "jitter_ns", st2110_json_u64(f->jitter_q4_ns / 16));
	if (show_stats)
		fields_json(o, f, flow_stats, ARRAY_SIZE(flow_stats));
	if (f->rx.format) {
		rx = json_object();
		fields_json(rx, &f->rx, rx_fields, ARRAY_SIZE(rx_fields));
		st2110_json_set(o, "rx", rx);
	}
}

static void flow_text(const struct st2110_xdp_flow *f)
{
	fields_text(f, flow_base, ARRAY_SIZE(flow_base), 8, "\n    ");
	printf("  frames %" PRIu64, (uint64_t)f->rtp_markers);
	printf("  jitter %" PRIu64 ".%03" PRIu64 "us",
	       (uint64_t)(f->jitter_q4_ns / 16 / 1000), (uint64_t)(f->jitter_q4_ns / 16 % 1000));
	if (show_stats)
		fields_text(f, flow_stats, ARRAY_SIZE(flow_stats), 5, "\n    ");
	if (f->rx.format) {
		printf("\n    rx:");
		fields_text(&f->rx, rx_fields, ARRAY_SIZE(rx_fields), 5, "\n      ");
	}
	printf("\n");
}

/* The counters -i gives deltas of; jitter is a current value, not one. */
static const struct u64_field flow_delta[] = {
	FL(packets), FL(bytes), FL(rtp_packets), FL(expected), FL(lost), FL(reordered),
	FL(duplicates), { "frames", offsetof(struct st2110_xdp_flow, rtp_markers), false },
};

/* A sample after the first: text line, or o["delta"] with -j. */
static void flow_iv(struct st2110_iv *iv, const char *key, const struct st2110_xdp_flow *f,
		    json_t *o)
{
	uint64_t v[ARRAY_SIZE(flow_delta)];
	struct st2110_iv_delta d;
	json_t *dj = NULL;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(flow_delta); i++)
		v[i] = field_raw(f, &flow_delta[i]);
	st2110_iv_diff(iv, key, v, ARRAY_SIZE(flow_delta), &d);
	if (o) {
		st2110_iv_json_time(iv, o);
		if (!st2110_iv_has_delta(iv))
			return;
		dj = json_object();
		if (d.reset)
			st2110_json_set(dj, "reset", json_true());
	} else if (!st2110_iv_has_delta(iv)) {
		return;
	} else if (d.reset) {
		printf(" reset");
	}
	if (!o)
		printf(":");
	st2110_iv_rates(iv, dj, d.d[0], d.d[1]);
	for (i = 0; i < ARRAY_SIZE(flow_delta); i++)
		st2110_iv_field(dj, d.reset, flow_delta[i].name, d.d[i]);
	if (o) {
		st2110_json_set(o, "delta", dj);
		return;
	}
	printf(" jitter %" PRIu64 ".%03" PRIu64 "us\n",
	       (uint64_t)(f->jitter_q4_ns / 16 / 1000), (uint64_t)(f->jitter_q4_ns / 16 % 1000));
}

static int show_dev(const char *dev, void *arg)
{
	char g[INET6_ADDRSTRLEN], s[INET6_ADDRSTRLEN], key[ST2110_IV_KEYLEN];
	struct flow_args *a = arg;
	struct st2110_xdp_key k, prev;
	struct st2110_xdp_flow f;
	struct st2110_xdp *x;
	bool first = true;
	json_t *o;
	int af;

	if (st2110_xdp_open(dev, xdp_cli_pin_root(false), &x))
		return xdp_cli_fail(dev);
	while (!st2110_xdp_flow_next(x, first ? NULL : &prev, &k)) {
		prev = k;
		first = false;
		if (st2110_xdp_flow_get(x, &k, &f))
			continue;	/* flushed meanwhile */
		af = k.family == ST2110_XDP_FAMILY_IPV6 ? AF_INET6 : AF_INET;
		if (!inet_ntop(af, k.group, g, sizeof(g)) || !inet_ntop(af, k.source, s, sizeof(s)))
			continue;
		if ((a->port && k.dport != a->port) || (*a->group && strcmp(g, a->group)))
			continue;
		snprintf(key, sizeof(key), "%s %s %u %s", dev, g, k.dport, s);
		if (!json) {
			printf("group %s port %u source %s dev %s ssrc 0x%08x", g, k.dport, s, dev,
			       f.ssrc);
			if (a->iv.interval_s)
				flow_iv(&a->iv, key, &f, NULL);
			if (!st2110_iv_has_delta(&a->iv))
				flow_text(&f);
			continue;
		}
		o = json_object();
		st2110_json_set(o, "dev", json_string(dev));
		st2110_json_set(o, "group", json_string(g));
		st2110_json_set(o, "port", json_integer(k.dport));
		st2110_json_set(o, "source", json_string(s));
		st2110_json_set(o, "ssrc", json_integer(f.ssrc));
		flow_json(o, &f);
		if (a->iv.interval_s)
			flow_iv(&a->iv, key, &f, o);
		json_array_append_new(a->arr, o);
	}
	st2110_xdp_close(x);
	return EXIT_OK;
}

static int flush_dev(const char *dev, void *arg)
{
	struct st2110_xdp *x;
	int err = EXIT_OK;

	(void)arg;
	if (st2110_xdp_open(dev, xdp_cli_pin_root(false), &x))
		return xdp_cli_fail(dev);
	if (st2110_xdp_flow_del(x, NULL))
		err = xdp_cli_fail(dev);
	st2110_xdp_close(x);
	return err;
}

static int run(int (*fn)(const char *, void *), struct flow_args *a, bool write)
{
	struct st2110_xdp *x;
	int err;

	err = xdp_cli_need_caps(write);
	if (err)
		return err;
	if (!a->dev)
		return xdp_cli_foreach(fn, a);
	/* the device and instance checks and messages of the other commands */
	err = xdp_cli_open(a->dev, &x);
	if (err)
		return err;
	st2110_xdp_close(x);
	return fn(a->dev, a);
}

static int do_show(int argc, char **argv)
{
	struct flow_args a = {};
	int err;

	err = parse_args(argc, argv, true, &a);
	if (err)
		return err < 0 ? EXIT_OK : err;
	err = st2110_iv_start(&a.iv, 16384);
	if (err)
		return err;
	do {
		st2110_iv_sample(&a.iv);
		if (!json && st2110_iv_has_delta(&a.iv))
			st2110_iv_print_header(&a.iv);
		a.arr = json ? json_array() : NULL;
		err = run(show_dev, &a, false);
		if (a.arr && err == EXIT_OK)
			st2110_json_print(stdout, a.arr, pretty);
		else
			json_decref(a.arr);
	} while (err == EXIT_OK && st2110_iv_wait(&a.iv));
	st2110_iv_end(&a.iv);
	return err;
}

static int do_flush(int argc, char **argv)
{
	struct flow_args a = {};
	int err;

	err = parse_args(argc, argv, false, &a);
	if (err)
		return err < 0 ? EXIT_OK : err;
	return run(flush_dev, &a, true);
}

int do_flow(int argc, char **argv)
{
	if (argc < 1)
		return do_show(0, NULL);
	if (!matches(*argv, "show") || !matches(*argv, "list"))
		return do_show(argc - 1, argv + 1);
	if (!matches(*argv, "flush"))
		return do_flush(argc - 1, argv + 1);
	if (!matches(*argv, "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	return unknown_command("flow", *argv);
}
