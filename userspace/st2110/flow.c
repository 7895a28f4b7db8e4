// SPDX-License-Identifier: GPL-2.0
/*
 * flow.c - "st2110 flow": what the XDP program measured on each flow.
 *
 *   st2110 [ -s ] [ -j ] flow show [ dev IN ] [ group G ] [ port P ]
 *   st2110 flow flush [ dev IN ]
 *
 * A flow is one (group, port, sender) on a route of the XDP program on IN;
 * its entry is read under the flow's lock, so the numbers of one line
 * belong together. "flush" deletes the entries: counting starts again.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stddef.h>
#include <net/if.h>
#include <string.h>

#include "json.h"
#include "numparse.h"
#include "st2110.h"
#include "xdp_cli.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: st2110 [ -s ] [ -j ] flow show [ dev IN ] [ group G ] [ port P ]\n"
		"       st2110 flow flush [ dev IN ]\n"
		"       st2110 flow help\n");
}

struct flow_args {
	const char *dev;
	char group[INET6_ADDRSTRLEN];	/* canonical text, "" = any */
	unsigned int port;
	json_t *arr;
};

static int parse_args(int argc, char **argv, bool show, struct flow_args *a)
{
	struct st2110_xdp_key key;
	uint64_t v;

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
	return EXIT_OK;
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

static int show_dev(const char *dev, void *arg)
{
	char g[INET6_ADDRSTRLEN], s[INET6_ADDRSTRLEN];
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
		if (!json) {
			printf("group %s port %u source %s dev %s ssrc 0x%08x", g, k.dport, s, dev,
			       f.ssrc);
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
	a.arr = json ? json_array() : NULL;
	err = run(show_dev, &a, false);
	if (a.arr && err == EXIT_OK)
		st2110_json_print(stdout, a.arr, pretty);
	else
		json_decref(a.arr);
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
