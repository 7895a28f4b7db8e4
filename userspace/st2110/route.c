// SPDX-License-Identifier: GPL-2.0
/*
 * route.c - "st2110 route": the multicast routes of the XDP program.
 *
 *   st2110 route { add | change } ROUTE ACTION [ OPTIONS ]
 *   st2110 route del ROUTE
 *   st2110 route switch dev IN out DEV[,DEV...] from SRC to SRC [ timeout MS ]
 *   st2110 [ -s ] [ -d ] [ -j ] route show [ dev IN ] [ group G ] [ port P ]
 *   ROUTE   := group G port P [ source S ] dev IN
 *   SRC     := group G port P [ source S ]
 *   ACTION  := { to DEV[,DEV...] [ pass ] | pass | drop }
 *   OPTIONS := [ clock HZ ] [ measure { on | off } ] [ format { FMT | none } ]
 *              [ type { N | NL | W } ] [ merge { ID | none } [ leg { 0 | 1 } ] ]
 *              [ ttl { dec | keep } ] [ src-mac { port | keep } ]
 *              [ at-frame [ timeout MS ] ]	(change only)
 *
 * "ttl dec" and "src-mac port" are what a router does to the copies it
 * forwards (the copies to the "to" ports, never the packet the local stack
 * gets): TTL / hop limit - 1 (a packet arriving with TTL 1 is not
 * forwarded), and each copy leaves with its output port's own MAC as the
 * source. They belong to the route, as a (S,G) entry of a multicast router
 * decides routed or bridged: on the same ports one flow can be routed
 * between subnets while another is fanned out untouched (e.g. to a probe
 * that must see the sender's own MAC). Default: keep both (L2 fan-out).
 *
 * A route with "to" gets an egress set of its own (a devmap in the
 * program's array of maps), made before the route points at it and deleted
 * after the route stops pointing at it, so a packet never meets a half-made
 * set. Everything is checked before the first map write; a failed command
 * leaves the tables as they were.
 *
 * "at-frame" stages the action change in the program: it takes effect on
 * the first packet after the flow's next RTP marker (a frame boundary), or
 * is forced after "timeout" ms of traffic without one. The command waits a
 * little for it, so the old egress set can go; a set, format or merge that
 * no route names any more is deleted by the next route command.
 *
 * One writer at a time: two route commands on one instance at once may
 * pick the same free egress set or format id.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json.h"
#include "numparse.h"
#include "vfmt.h"
#include "st2110.h"
#include "xdp_cli.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: st2110 route { add | change } ROUTE ACTION [ OPTIONS ]\n"
		"       st2110 route del ROUTE\n"
		"       st2110 route switch dev IN out DEV[,DEV...] from SRC to SRC [ timeout MS ]\n"
		"       st2110 [ -s ] [ -d ] [ -j ] route show [ dev IN ] [ group G ] [ port P ]\n"
		"       st2110 route help\n"
		"where  ROUTE   := group G port P [ source S ] dev IN\n"
		"       SRC     := group G port P [ source S ]\n"
		"       ACTION  := { to DEV[,DEV...] [ pass ] | pass | drop }\n"
		"       OPTIONS := [ clock HZ ] [ measure { on | off } ] [ format { FMT | none } ]\n"
		"                  [ type { N | NL | W } ] [ merge { ID | none } [ leg { 0 | 1 } ] ]\n"
		"                  [ ttl { dec | keep } ] [ src-mac { port | keep } ]\n"
		"                  [ at-frame [ timeout MS ] ]   (change only)\n"
		"       FMT := 1080p59.94 | 1080i50 | 720p50 | WxH{p|i|psf}RATE ...\n");
}

struct route_args {
	const char *group, *source, *dev, *to;
	unsigned int port;
	bool has_action, pass, drop, at_frame, has_clock, has_measure, measure;
	bool has_format, has_type, has_merge, has_leg, has_timeout;
	bool has_ttl, ttl_dec, has_src_mac, src_mac_port;
	const char *format;		/* NULL with has_format: none */
	__u32 type, merge, leg;
	__u64 timeout_ns;
	__u32 clock_hz;
	__u32 to_ifindex[ST2110_XDP_MAX_PORTS];
	unsigned int to_count;
};

enum { CMD_ADD, CMD_CHANGE, CMD_DEL, CMD_SHOW };

/*
 * at-frame without "timeout": force the change after this much traffic
 * without a frame boundary (5 frames at 23.98 Hz; audio has no frames).
 */
#define STAGE_TIMEOUT_DEFAULT_NS	200000000ULL

static int parse_port(const char *s, unsigned int *port)
{
	uint64_t v;

	if (st2110_parse_u64(s, 65535, &v) || !v)
		return errorf(EXIT_USAGE, "port \"%s\" is not a UDP port (1..65535)", s);
	*port = v;
	return EXIT_OK;
}

/* "KEY { YES | NO }": exit status, *v true for YES. */
static int parse_pair(const char *key, const char *s, const char *yes, const char *no, bool *v)
{
	if (!strcmp(s, yes))
		*v = true;
	else if (!strcmp(s, no))
		*v = false;
	else
		return errorf(EXIT_USAGE, "%s must be %s or %s, not \"%s\"", key, yes, no, s);
	return EXIT_OK;
}

static int parse_route(int argc, char **argv, int cmd, struct route_args *a)
{
	bool actions = cmd == CMD_ADD || cmd == CMD_CHANGE;
	uint64_t v;
	int err;

	memset(a, 0, sizeof(*a));
	a->measure = true;
	while (argc > 0) {
		if (!strcmp(*argv, "group")) {
			NEXT_ARG();
			a->group = *argv;
		} else if (!strcmp(*argv, "port")) {
			NEXT_ARG();
			err = parse_port(*argv, &a->port);
			if (err)
				return err;
		} else if (cmd != CMD_SHOW && !strcmp(*argv, "source")) {
			NEXT_ARG();
			a->source = *argv;
		} else if (!strcmp(*argv, "dev")) {
			NEXT_ARG();
			a->dev = *argv;
		} else if (actions && !strcmp(*argv, "to")) {
			NEXT_ARG();
			if (a->to || a->drop)
				return errorf(EXIT_USAGE, "one action only: \"to\" given after another");
			a->to = *argv;
			a->has_action = true;
		} else if (actions && !matches(*argv, "pass")) {
			if (a->pass || a->drop)
				return errorf(EXIT_USAGE, "one action only: \"pass\" given twice or with drop");
			a->pass = true;
			a->has_action = true;
		} else if (actions && !matches(*argv, "drop")) {
			if (a->has_action)
				return errorf(EXIT_USAGE, "one action only: \"drop\" given with another");
			a->drop = true;
			a->has_action = true;
		} else if (actions && !strcmp(*argv, "at-frame")) {
			a->at_frame = true;
		} else if (actions && !matches(*argv, "timeout")) {
			NEXT_ARG();
			if (st2110_parse_u64(*argv, 3600000, &v))
				return errorf(EXIT_USAGE, "timeout \"%s\" is not a time in ms (0..3600000)",
					      *argv);
			a->timeout_ns = v * 1000000;
			a->has_timeout = true;
		} else if (actions && !matches(*argv, "format")) {
			NEXT_ARG();
			a->format = strcmp(*argv, "none") ? *argv : NULL;
			a->has_format = true;
		} else if (actions && !matches(*argv, "type")) {
			NEXT_ARG();
			if (!strcmp(*argv, "N"))
				a->type = ST2110_TYPE_N;
			else if (!strcmp(*argv, "NL"))
				a->type = ST2110_TYPE_NL;
			else if (!strcmp(*argv, "W"))
				a->type = ST2110_TYPE_W;
			else
				return errorf(EXIT_USAGE, "type must be N, NL or W, not \"%s\"", *argv);
			a->has_type = true;
		} else if (actions && !matches(*argv, "merge")) {
			NEXT_ARG();
			if (!strcmp(*argv, "none")) {
				a->merge = 0;
			} else if (st2110_parse_u64(*argv, ST2110_XDP_MAX_MERGES - 1, &v) || !v) {
				return errorf(EXIT_USAGE, "merge \"%s\" is not an id 1..%u or none",
					      *argv, ST2110_XDP_MAX_MERGES - 1);
			} else {
				a->merge = v;
			}
			a->has_merge = true;
		} else if (actions && !strcmp(*argv, "leg")) {
			NEXT_ARG();
			if (strcmp(*argv, "0") && strcmp(*argv, "1"))
				return errorf(EXIT_USAGE, "leg must be 0 or 1, not \"%s\"", *argv);
			a->leg = **argv - '0';
			a->has_leg = true;
		} else if (actions && !matches(*argv, "clock")) {
			NEXT_ARG();
			if (st2110_parse_u64(*argv, ST2110_XDP_MAX_RTP_CLOCK_HZ, &v))
				return errorf(EXIT_USAGE, "clock \"%s\" is not a rate in Hz (0..%u)",
					      *argv, ST2110_XDP_MAX_RTP_CLOCK_HZ);
			a->clock_hz = v;
			a->has_clock = true;
		} else if (actions && !matches(*argv, "measure")) {
			NEXT_ARG();
			err = parse_pair("measure", *argv, "on", "off", &a->measure);
			if (err)
				return err;
			a->has_measure = true;
		} else if (actions && !strcmp(*argv, "ttl")) {
			NEXT_ARG();
			err = parse_pair("ttl", *argv, "dec", "keep", &a->ttl_dec);
			if (err)
				return err;
			a->has_ttl = true;
		} else if (actions && !strcmp(*argv, "src-mac")) {
			NEXT_ARG();
			err = parse_pair("src-mac", *argv, "port", "keep", &a->src_mac_port);
			if (err)
				return err;
			a->has_src_mac = true;
		} else if (!matches(*argv, "help")) {
			usage(stdout);
			return -1;
		} else {
			return errorf(EXIT_USAGE, "unknown argument \"%s\", try \"st2110 route help\"",
				      *argv);
		}
		argc--;
		argv++;
	}
	if (cmd == CMD_SHOW)
		return EXIT_OK;
	if (!a->group || !a->port || !a->dev)
		return errorf(EXIT_USAGE, "a route needs \"group G port P dev IN\"");
	if (cmd == CMD_ADD && !a->has_action)
		return errorf(EXIT_USAGE, "a route needs an action: to DEV[,DEV...] [pass], pass or drop");
	if (cmd == CMD_CHANGE && !a->has_action && !a->has_clock && !a->has_measure &&
	    !a->has_format && !a->has_type && !a->has_merge && !a->has_ttl && !a->has_src_mac)
		return errorf(EXIT_USAGE, "change needs something to change: an action or an option");
	if (a->at_frame && cmd != CMD_CHANGE)
		return errorf(EXIT_USAGE, "at-frame stages a change of an existing route: use it with change");
	if (a->at_frame && (!a->has_action || a->has_clock || a->has_measure || a->has_format ||
			    a->has_type || a->has_merge || a->has_ttl || a->has_src_mac))
		return errorf(EXIT_USAGE, "at-frame changes the action only (to, pass, drop)");
	if (a->has_timeout && !a->at_frame)
		return errorf(EXIT_USAGE, "timeout goes with at-frame");
	if (a->has_type && !a->format)
		return errorf(EXIT_USAGE, "type goes with format FMT");
	if (a->has_leg && (!a->has_merge || !a->merge))
		return errorf(EXIT_USAGE, "leg goes with merge ID");
	if (a->has_merge && a->merge && !a->has_leg)
		return errorf(EXIT_USAGE, "merge ID needs leg 0 or leg 1");
	return EXIT_OK;
}

/* "a,b,c" to ifindexes in this namespace: exit status. */
static int parse_to(struct route_args *a)
{
	char *list = strdup(a->to), *save = NULL, *name;
	unsigned int i, idx;
	int err = EXIT_OK;

	if (!list)
		return errorf(EXIT_RUNTIME, "out of memory");
	for (name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		if (a->to_count == ST2110_XDP_MAX_PORTS) {
			err = errorf(EXIT_USAGE, "more than %u ports after \"to\"",
				     ST2110_XDP_MAX_PORTS);
			break;
		}
		idx = strlen(name) < IF_NAMESIZE ? if_nametoindex(name) : 0;
		if (!idx) {
			err = errorf(EXIT_RUNTIME, "Cannot find device \"%s\"", name);
			break;
		}
		for (i = 0; i < a->to_count; i++)
			if (a->to_ifindex[i] == idx)
				break;
		if (i < a->to_count) {
			err = errorf(EXIT_USAGE, "device \"%s\" listed twice after \"to\"", name);
			break;
		}
		a->to_ifindex[a->to_count++] = idx;
	}
	if (!err && !a->to_count)
		err = errorf(EXIT_USAGE, "\"to\" needs at least one device");
	free(list);
	return err;
}

static bool uses_set_action(__u32 action)
{
	return action == ST2110_XDP_ACT_REDIRECT || action == ST2110_XDP_ACT_REDIRECT_PASS;
}

static bool uses_set(const struct st2110_xdp_route *r)
{
	return uses_set_action(r->action);
}

/* Lowest egress set index that does not exist (single writer assumed). */
static int alloc_set(struct st2110_xdp *x, __u32 *set)
{
	__u32 ports[ST2110_XDP_MAX_PORTS];
	unsigned int n;
	__u32 s;

	for (s = 0; s < ST2110_XDP_MAX_EGRESS_SETS; s++) {
		if (st2110_xdp_egress_set_get(x, s, ports, ST2110_XDP_MAX_PORTS, &n) == -ENOENT) {
			*set = s;
			return 0;
		}
	}
	return -ENOSPC;
}

static int key_text(const struct st2110_xdp_key *k, char *g, char *s, size_t len)
{
	static const __u32 zero[4];
	int af = k->family == ST2110_XDP_FAMILY_IPV6 ? AF_INET6 : AF_INET;

	if (!inet_ntop(af, k->group, g, len))
		return -EINVAL;
	s[0] = '\0';
	if (memcmp(k->source, zero, sizeof(zero)) && !inet_ntop(af, k->source, s, len))
		return -EINVAL;
	return 0;
}

struct merge_use {
	const char *self;	/* this instance's interface */
	__u32 map_id, merge;
	bool used;
};

/* Does a route of dev's instance name u->merge in the same merges map? */
static int merge_use_cb(const char *dev, void *arg)
{
	struct merge_use *u = arg;
	struct st2110_xdp_key k, prev;
	struct st2110_xdp_route r;
	struct st2110_xdp *y;
	bool first = true;
	__u32 id;

	if (!strcmp(dev, u->self) || st2110_xdp_open(dev, xdp_cli_pin_root(false), &y))
		return EXIT_OK;
	if (!st2110_xdp_merges_map_id(y, &id) && id == u->map_id) {
		while (!u->used && !st2110_xdp_route_next(y, first ? NULL : &prev, &k)) {
			prev = k;
			first = false;
			if (!st2110_xdp_route_get(y, &k, &r) && r.merge == u->merge)
				u->used = true;
		}
	}
	st2110_xdp_close(y);
	return EXIT_OK;
}

/* A merge shared with another instance (xdp attach ... share-merges) and used there. */
static bool merge_used_elsewhere(struct st2110_xdp *x, __u32 merge)
{
	struct merge_use u = { .merge = merge };
	struct st2110_xdp_attach_info info;
	static char self[IF_NAMESIZE + 8];

	if (st2110_xdp_info(x, &info) || st2110_xdp_merges_map_id(x, &u.map_id))
		return true;	/* cannot tell: keep it */
	u.self = xdp_cli_ifname(info.ifindex, self, sizeof(self));
	xdp_cli_foreach(merge_use_cb, &u);
	return u.used;
}

/* The CLI's own sets, formats and merges that no route names any more. */
static void collect_garbage(struct st2110_xdp *x)
{
	__u32 ports[ST2110_XDP_MAX_PORTS], id;
	struct st2110_xdp_format f;
	struct st2110_xdp_merge m;
	unsigned int n;

	for (id = 0; id < ST2110_XDP_MAX_EGRESS_SETS; id++)
		if (!st2110_xdp_egress_set_get(x, id, ports, ST2110_XDP_MAX_PORTS, &n))
			st2110_xdp_egress_set_del(x, id);	/* -EBUSY if used */
	for (id = 1; id < ST2110_XDP_MAX_FORMATS; id++)
		if (!st2110_xdp_format_get(x, id, &f, NULL))
			st2110_xdp_format_del(x, id);
	for (id = 1; id < ST2110_XDP_MAX_MERGES; id++)
		if (!st2110_xdp_merge_get(x, id, &m) && !merge_used_elsewhere(x, id))
			st2110_xdp_merge_del(x, id);
}

static int alloc_format(struct st2110_xdp *x, __u32 *id)
{
	struct st2110_xdp_format f;
	__u32 i;

	for (i = 1; i < ST2110_XDP_MAX_FORMATS; i++) {
		if (st2110_xdp_format_get(x, i, &f, NULL) == -ENOENT) {
			*id = i;
			return 0;
		}
	}
	return -ENOSPC;
}

/* FMT as st2110-send takes it, with its defaults: 4:2:2 10 bit GPM. */
static int parse_format(const struct route_args *a, struct st2110_xdp_format *f)
{
	const char *reason = "";

	memset(f, 0, sizeof(*f));
	f->video.sampling = ST2110_SAMPLING_YCBCR_422;
	f->video.depth = ST2110_DEPTH_10;
	f->video.packing = ST2110_PACKING_GPM;
	f->type = a->has_type ? a->type : ST2110_TYPE_N;
	f->troffset_ns = ST2110_TROFFSET_DEFAULT;
	if (st2110_vfmt_parse(a->format, &f->video, &reason))
		return errorf(EXIT_USAGE, "format \"%s\": %s", a->format, reason);
	return EXIT_OK;
}

/*
 * Wait until the program applied a staged change (a frame boundary or the
 * timeout, both need traffic); tell the user when it has not yet.
 */
static void wait_applied(struct st2110_xdp *x, const struct st2110_xdp_key *key,
			 __u64 timeout_ns)
{
	__u64 waited_ns = 0, limit_ns = timeout_ns + 100000000ULL;
	const struct timespec step = { 0, 5000000 };
	struct st2110_xdp_route r;

	if (limit_ns > 2000000000ULL)
		limit_ns = 2000000000ULL;
	for (;;) {
		if (st2110_xdp_route_get(x, key, &r) || r.stage_state == ST2110_XDP_STAGE_NONE)
			return;
		if (waited_ns >= limit_ns)
			break;
		nanosleep(&step, NULL);
		waited_ns += step.tv_nsec;
	}
	fprintf(stderr, "Note: the change is staged and applies at the flow's next frame boundary\n");
}

static int do_modify(int cmd, int argc, char **argv)
{
	struct st2110_xdp_route r = {}, old = {};
	struct st2110_xdp_format fmt;
	struct st2110_xdp_merge m;
	struct st2110_xdp_key key;
	struct route_args a;
	struct st2110_xdp *x;
	bool have_old, made_set = false, made_fmt = false, made_merge = false;
	int err;

	err = parse_route(argc, argv, cmd, &a);
	if (err)
		return err < 0 ? EXIT_OK : err;
	if (st2110_xdp_key_make(&key, a.group, a.port, a.source))
		return errorf(EXIT_USAGE, "%s", st2110_xdp_errmsg());
	if (a.format) {
		err = parse_format(&a, &fmt);
		if (err)
			return err;
	}
	err = xdp_cli_need_caps(true);
	if (err)
		return err;
	if (a.to) {
		err = parse_to(&a);
		if (err)
			return err;
	}
	err = xdp_cli_open(a.dev, &x);
	if (err)
		return err;

	have_old = !st2110_xdp_route_get(x, &key, &old);
	if (cmd == CMD_ADD && have_old) {
		err = errorf(EXIT_RUNTIME, "route group %s port %u%s%s dev %s exists (use change)",
			     a.group, a.port, a.source ? " source " : "",
			     a.source ? a.source : "", a.dev);
		goto out;
	}
	if (cmd != CMD_ADD && !have_old) {
		err = errorf(EXIT_RUNTIME, "no route group %s port %u%s%s dev %s",
			     a.group, a.port, a.source ? " source " : "",
			     a.source ? a.source : "", a.dev);
		goto out;
	}
	if (cmd == CMD_DEL) {
		if (st2110_xdp_route_del(x, &key))
			err = xdp_cli_fail("route del");
		goto out;
	}

	/* change keeps what was not given, as tc's "change" does */
	if (cmd == CMD_CHANGE)
		r = old;
	if (a.has_clock)
		r.rtp_clock_hz = a.clock_hz;
	if (a.has_measure)
		r.flags = a.measure ? r.flags & ~ST2110_XDP_ROUTE_F_NO_MEASURE :
				      r.flags | ST2110_XDP_ROUTE_F_NO_MEASURE;
	if (a.has_action) {
		r.egress_set = 0;
		if (a.drop)
			r.action = ST2110_XDP_ACT_DROP;
		else if (a.to)
			r.action = a.pass ? ST2110_XDP_ACT_REDIRECT_PASS : ST2110_XDP_ACT_REDIRECT;
		else
			r.action = ST2110_XDP_ACT_PASS;
	}
	if (a.has_ttl)
		r.flags = a.ttl_dec ? r.flags | ST2110_XDP_ROUTE_F_TTL_DEC :
				      r.flags & ~ST2110_XDP_ROUTE_F_TTL_DEC;
	if (a.has_src_mac)
		r.flags = a.src_mac_port ? r.flags | ST2110_XDP_ROUTE_F_SRC_MAC :
					   r.flags & ~ST2110_XDP_ROUTE_F_SRC_MAC;
	if (((a.has_ttl && a.ttl_dec) || (a.has_src_mac && a.src_mac_port)) && !uses_set(&r)) {
		err = errorf(EXIT_USAGE, "ttl dec and src-mac port act on forwarded copies: the route needs \"to DEV[,DEV...]\"");
		goto out;
	}
	if (a.has_merge) {
		r.merge = a.merge;
		r.merge_leg = a.leg;
		if (a.merge && st2110_xdp_merge_get(x, a.merge, &m) == -ENOENT) {
			if (st2110_xdp_merge_set(x, a.merge, 0)) {
				err = xdp_cli_fail("merge");
				goto out;
			}
			made_merge = true;
		}
	}
	if (a.has_format) {
		r.format = 0;
		if (a.format) {
			if (alloc_format(x, &r.format)) {
				err = errorf(EXIT_RUNTIME, "all %u formats are in use",
					     ST2110_XDP_MAX_FORMATS - 1);
				goto undo;
			}
			if (st2110_xdp_format_set(x, r.format, &fmt)) {
				err = xdp_cli_fail("format");
				goto undo;
			}
			made_fmt = true;
		}
	}
	if (a.to) {
		if (alloc_set(x, &r.egress_set)) {
			err = errorf(EXIT_RUNTIME, "all %u egress sets are in use",
				     ST2110_XDP_MAX_EGRESS_SETS);
			goto undo;
		}
		if (st2110_xdp_egress_set_ports(x, r.egress_set, a.to_ifindex, a.to_count)) {
			err = xdp_cli_fail("egress set");
			goto undo;
		}
		made_set = true;
	}
	if (a.at_frame) {
		if (!a.has_timeout)
			a.timeout_ns = STAGE_TIMEOUT_DEFAULT_NS;
		if (st2110_xdp_route_stage(x, &key, &r, a.timeout_ns)) {
			err = xdp_cli_fail("route change at-frame");
			goto undo;
		}
		wait_applied(x, &key, a.timeout_ns);
	} else if (cmd == CMD_ADD ? st2110_xdp_route_add(x, &key, &r) :
				    st2110_xdp_route_change(x, &key, &r)) {
		err = xdp_cli_fail(cmd == CMD_ADD ? "route add" : "route change");
		goto undo;
	}
	err = EXIT_OK;
	goto out;
undo:
	if (made_set)
		st2110_xdp_egress_set_del(x, r.egress_set);
	if (made_fmt)
		st2110_xdp_format_del(x, r.format);
	if (made_merge)
		st2110_xdp_merge_del(x, r.merge);
out:
	if (err == EXIT_OK)
		collect_garbage(x);
	st2110_xdp_close(x);
	return err;
}

/*
 * route switch dev IN out DEV[,DEV...] from group G port P [source S]
 *                                      to group G port P [source S] [timeout MS]
 *
 * The vertical-interval switch of an SDI router: the "from" route stops
 * (drop) at the end of its current frame, and only then does the "to"
 * route start sending to the outputs, at the start of its own next frame
 * (a gate in the program orders the two), so the outputs never carry a
 * frame that mixes the two sources.
 */
static int parse_switch_key(int *argc, char ***argv, const char *word,
			    struct st2110_xdp_key *key)
{
	const char *group = NULL, *source = NULL;
	unsigned int port = 0;
	int err;

	while (*argc > 1) {
		if (!strcmp((*argv)[1], "group")) {
			group = (*argv)[2];
		} else if (!strcmp((*argv)[1], "port")) {
			if (!(*argv)[2])
				break;
			err = parse_port((*argv)[2], &port);
			if (err)
				return err;
		} else if (!strcmp((*argv)[1], "source")) {
			source = (*argv)[2];
		} else {
			break;
		}
		if (*argc < 3)
			return incomplete_command();
		*argc -= 2;
		*argv += 2;
	}
	if (!group || !port)
		return errorf(EXIT_USAGE, "\"%s\" needs \"group G port P [source S]\"", word);
	if (st2110_xdp_key_make(key, group, port, source))
		return errorf(EXIT_USAGE, "%s: %s", word, st2110_xdp_errmsg());
	return EXIT_OK;
}

static int do_switch(int argc, char **argv)
{
	struct st2110_xdp_route from_r = { .action = ST2110_XDP_ACT_DROP }, to_r, cur;
	struct st2110_xdp_key from, to;
	struct route_args a = {};
	struct st2110_xdp *x;
	bool have_from = false, have_to = false;
	__u64 timeout_ns = STAGE_TIMEOUT_DEFAULT_NS;
	uint64_t v;
	int err;

	while (argc > 0) {
		if (!strcmp(*argv, "dev")) {
			NEXT_ARG();
			a.dev = *argv;
		} else if (!strcmp(*argv, "out")) {
			NEXT_ARG();
			a.to = *argv;
		} else if (!strcmp(*argv, "from") || !strcmp(*argv, "to")) {
			bool is_from = **argv == 'f';

			err = parse_switch_key(&argc, &argv, *argv, is_from ? &from : &to);
			if (err)
				return err;
			if (is_from)
				have_from = true;
			else
				have_to = true;
		} else if (!matches(*argv, "timeout")) {
			NEXT_ARG();
			if (st2110_parse_u64(*argv, 3600000, &v))
				return errorf(EXIT_USAGE, "timeout \"%s\" is not a time in ms (0..3600000)",
					      *argv);
			timeout_ns = v * 1000000;
		} else if (!matches(*argv, "help")) {
			usage(stdout);
			return EXIT_OK;
		} else {
			return errorf(EXIT_USAGE, "unknown argument \"%s\", try \"st2110 route help\"",
				      *argv);
		}
		argc--;
		argv++;
	}
	if (!a.dev || !a.to || !have_from || !have_to)
		return errorf(EXIT_USAGE, "switch needs \"dev IN out DEV[,DEV...] from ROUTE to ROUTE\"");
	if (!memcmp(&from, &to, sizeof(from)))
		return errorf(EXIT_USAGE, "switch from a route to itself");
	err = xdp_cli_need_caps(true);
	if (err)
		return err;
	err = parse_to(&a);
	if (err)
		return err;
	err = xdp_cli_open(a.dev, &x);
	if (err)
		return err;
	if (st2110_xdp_route_get(x, &from, &cur) || st2110_xdp_route_get(x, &to, &to_r)) {
		err = errorf(EXIT_RUNTIME, "switch: both routes must exist on %s", a.dev);
		goto out;
	}
	to_r.action = ST2110_XDP_ACT_REDIRECT;
	if (alloc_set(x, &to_r.egress_set)) {
		err = errorf(EXIT_RUNTIME, "all %u egress sets are in use", ST2110_XDP_MAX_EGRESS_SETS);
		goto out;
	}
	if (st2110_xdp_egress_set_ports(x, to_r.egress_set, a.to_ifindex, a.to_count)) {
		err = xdp_cli_fail("egress set");
		goto out;
	}
	if (st2110_xdp_route_switch(x, &from, &from_r, &to, &to_r, timeout_ns)) {
		err = xdp_cli_fail("route switch");
		st2110_xdp_egress_set_del(x, to_r.egress_set);
		goto out;
	}
	wait_applied(x, &to, timeout_ns);
	collect_garbage(x);
	err = EXIT_OK;
out:
	st2110_xdp_close(x);
	return err;
}

const char *xdp_cli_action_name(__u32 action)
{
	switch (action) {
	case ST2110_XDP_ACT_PASS:		return "pass";
	case ST2110_XDP_ACT_DROP:		return "drop";
	case ST2110_XDP_ACT_REDIRECT:		return "redirect";
	case ST2110_XDP_ACT_REDIRECT_PASS:	return "redirect_pass";
	}
	return "unknown";
}

struct show_filter {
	struct route_args a;
	json_t *arr;
};

static const char *type_name(__u32 type)
{
	switch (type) {
	case ST2110_TYPE_N:	return "N";
	case ST2110_TYPE_NL:	return "NL";
	case ST2110_TYPE_W:	return "W";
	}
	return "?";
}

/* Ports of an egress set as names, for text ("a,b") or JSON. */
static json_t *set_ports(const struct st2110_xdp *x, __u32 set, bool text)
{
	__u32 ports[ST2110_XDP_MAX_PORTS];
	char name[IF_NAMESIZE + 8];
	json_t *arr = text ? NULL : json_array();
	unsigned int n, i;

	if (st2110_xdp_egress_set_get(x, set, ports, ST2110_XDP_MAX_PORTS, &n))
		n = 0;
	for (i = 0; i < n; i++) {
		xdp_cli_ifname(ports[i], name, sizeof(name));
		if (text)
			printf("%s%s", i ? "," : "", name);
		else
			json_array_append_new(arr, json_string(name));
	}
	if (text && !n)
		printf("\"\"");
	return arr;
}

static json_t *merge_json(const struct st2110_xdp_merge *m)
{
	json_t *o = json_object();

	st2110_json_set(o, "packets_leg0", st2110_json_u64(m->packets[0]));
	st2110_json_set(o, "packets_leg1", st2110_json_u64(m->packets[1]));
	st2110_json_set(o, "forwarded", st2110_json_u64(m->forwarded));
	st2110_json_set(o, "duplicates", st2110_json_u64(m->duplicates));
	st2110_json_set(o, "stale", st2110_json_u64(m->stale));
	st2110_json_set(o, "both", st2110_json_u64(m->both));
	st2110_json_set(o, "recovered_leg0", st2110_json_u64(m->recovered[0]));
	st2110_json_set(o, "recovered_leg1", st2110_json_u64(m->recovered[1]));
	st2110_json_set(o, "lost_both", st2110_json_u64(m->lost_both));
	return o;
}

static void show_route(const char *dev, const struct st2110_xdp *x,
		       const struct st2110_xdp_key *k, const struct st2110_xdp_route *r,
		       json_t *arr)
{
	char g[INET6_ADDRSTRLEN], s[INET6_ADDRSTRLEN], name[IF_NAMESIZE + 8];
	__u32 ports[ST2110_XDP_MAX_PORTS];
	unsigned int n = 0, i;
	json_t *o = NULL, *to = NULL, *st;
	struct st2110_xdp_format fmt;
	struct st2110_xdp_merge m;
	char fname[64];

	if (key_text(k, g, s, sizeof(g)))
		return;
	if (uses_set(r) && st2110_xdp_egress_set_get(x, r->egress_set, ports,
						     ST2110_XDP_MAX_PORTS, &n))
		n = 0;
	if (json) {
		o = json_object();
		st2110_json_set(o, "dev", json_string(dev));
		st2110_json_set(o, "group", json_string(g));
		st2110_json_set(o, "port", json_integer(k->dport));
		if (*s)
			st2110_json_set(o, "source", json_string(s));
		st2110_json_set(o, "action", json_string(xdp_cli_action_name(r->action)));
		if (uses_set(r)) {
			to = json_array();
			for (i = 0; i < n; i++)
				json_array_append_new(to, json_string(xdp_cli_ifname(ports[i], name,
										     sizeof(name))));
			st2110_json_set(o, "to", to);
			st2110_json_set(o, "egress_set", json_integer(r->egress_set));
		}
		st2110_json_set(o, "clock_hz", json_integer(r->rtp_clock_hz));
		st2110_json_set(o, "measure",
				json_boolean(!(r->flags & ST2110_XDP_ROUTE_F_NO_MEASURE)));
		st2110_json_set(o, "ttl", json_string(r->flags & ST2110_XDP_ROUTE_F_TTL_DEC ?
						      "dec" : "keep"));
		st2110_json_set(o, "src_mac", json_string(r->flags & ST2110_XDP_ROUTE_F_SRC_MAC ?
							  "port" : "keep"));
		if (r->format && !st2110_xdp_format_get(x, r->format, &fmt, NULL)) {
			st2110_vfmt_name(&fmt.video, fname, sizeof(fname));
			st2110_json_set(o, "format", json_string(fname));
			st2110_json_set(o, "type", json_string(type_name(fmt.type)));
		}
		if (r->merge) {
			st2110_json_set(o, "merge", json_integer(r->merge));
			st2110_json_set(o, "leg", json_integer(r->merge_leg));
			if (show_stats && !st2110_xdp_merge_get(x, r->merge, &m))
				st2110_json_set(o, "merge_stats", merge_json(&m));
		}
		if (r->stage_state != ST2110_XDP_STAGE_NONE) {
			st = json_object();
			st2110_json_set(st, "action", json_string(xdp_cli_action_name(r->stage_action)));
			if (uses_set_action(r->stage_action))
				st2110_json_set(st, "to", set_ports(x, r->stage_egress_set, false));
			st2110_json_set(o, "staged", st);
		}
		st2110_json_set(o, "switches_clean", st2110_json_u64(r->switches_clean));
		st2110_json_set(o, "switches_forced", st2110_json_u64(r->switches_forced));
		json_array_append_new(arr, o);
		return;
	}
	/* the words of "route add", so a line can be pasted back */
	printf("group %s port %u", g, k->dport);
	if (*s)
		printf(" source %s", s);
	printf(" dev %s", dev);
	if (uses_set(r)) {
		printf(" to ");
		for (i = 0; i < n; i++)
			printf("%s%s", i ? "," : "", xdp_cli_ifname(ports[i], name, sizeof(name)));
		if (!n)
			printf("\"\"");
		if (r->action == ST2110_XDP_ACT_REDIRECT_PASS)
			printf(" pass");
	} else {
		printf(" %s", xdp_cli_action_name(r->action));
	}
	if (r->rtp_clock_hz)
		printf(" clock %u", r->rtp_clock_hz);
	if (r->flags & ST2110_XDP_ROUTE_F_NO_MEASURE)
		printf(" measure off");
	if (r->flags & ST2110_XDP_ROUTE_F_TTL_DEC)
		printf(" ttl dec");
	if (r->flags & ST2110_XDP_ROUTE_F_SRC_MAC)
		printf(" src-mac port");
	if (show_details && uses_set(r))
		printf(" egress_set %u", r->egress_set);
	if (r->format && !st2110_xdp_format_get(x, r->format, &fmt, NULL)) {
		st2110_vfmt_name(&fmt.video, fname, sizeof(fname));
		printf(" format %s type %s", fname, type_name(fmt.type));
	}
	if (r->merge)
		printf(" merge %u leg %u", r->merge, r->merge_leg);
	if (r->stage_state != ST2110_XDP_STAGE_NONE) {
		printf(" staged %s", xdp_cli_action_name(r->stage_action));
		if (uses_set_action(r->stage_action)) {
			printf(" to ");
			set_ports(x, r->stage_egress_set, true);
		}
	}
	if (show_stats)
		printf(" switches_clean %llu switches_forced %llu",
		       (unsigned long long)r->switches_clean, (unsigned long long)r->switches_forced);
	if (show_stats && r->merge && !st2110_xdp_merge_get(x, r->merge, &m))
		printf("\n    merge: packets %llu/%llu forwarded %llu duplicates %llu recovered %llu/%llu lost_both %llu",
		       (unsigned long long)m.packets[0], (unsigned long long)m.packets[1],
		       (unsigned long long)m.forwarded, (unsigned long long)m.duplicates,
		       (unsigned long long)m.recovered[0], (unsigned long long)m.recovered[1],
		       (unsigned long long)m.lost_both);
	printf("\n");
}

static int show_dev(const char *dev, void *arg)
{
	struct show_filter *f = arg;
	struct st2110_xdp_key k, prev;
	struct st2110_xdp_route r;
	struct st2110_xdp *x;
	char g[INET6_ADDRSTRLEN], s[INET6_ADDRSTRLEN];
	bool first = true;
	int err;

	err = st2110_xdp_open(dev, xdp_cli_pin_root(false), &x);
	if (err)
		return xdp_cli_fail(dev);
	while (!st2110_xdp_route_next(x, first ? NULL : &prev, &k)) {
		prev = k;
		first = false;
		if (st2110_xdp_route_get(x, &k, &r))
			continue;	/* deleted meanwhile */
		if (f->a.port && k.dport != f->a.port)
			continue;
		if (f->a.group && (key_text(&k, g, s, sizeof(g)) || strcmp(g, f->a.group)))
			continue;
		show_route(dev, x, &k, &r, f->arr);
	}
	st2110_xdp_close(x);
	return EXIT_OK;
}

static int do_show(int argc, char **argv)
{
	static char canon[INET6_ADDRSTRLEN];
	struct show_filter f = {};
	struct st2110_xdp_key key;
	struct st2110_xdp *x;
	int err;

	err = parse_route(argc, argv, CMD_SHOW, &f.a);
	if (err)
		return err < 0 ? EXIT_OK : err;
	/* a group filter in canonical text, as the table prints it */
	if (f.a.group) {
		if (st2110_xdp_key_make(&key, f.a.group, 1, NULL))
			return errorf(EXIT_USAGE, "%s", st2110_xdp_errmsg());
		inet_ntop(key.family == ST2110_XDP_FAMILY_IPV6 ? AF_INET6 : AF_INET,
			  key.group, canon, sizeof(canon));
		f.a.group = canon;
	}
	err = xdp_cli_need_caps(false);
	if (err)
		return err;
	f.arr = json ? json_array() : NULL;
	if (f.a.dev) {
		err = xdp_cli_open(f.a.dev, &x);
		if (!err) {
			st2110_xdp_close(x);
			err = show_dev(f.a.dev, &f);
		}
	} else {
		err = xdp_cli_foreach(show_dev, &f);
	}
	if (f.arr && err == EXIT_OK)
		st2110_json_print(stdout, f.arr, pretty);
	else
		json_decref(f.arr);
	return err;
}

int do_route(int argc, char **argv)
{
	if (argc < 1)
		return do_show(0, NULL);
	if (!matches(*argv, "add"))
		return do_modify(CMD_ADD, argc - 1, argv + 1);
	if (!matches(*argv, "change"))
		return do_modify(CMD_CHANGE, argc - 1, argv + 1);
	if (!matches(*argv, "delete"))
		return do_modify(CMD_DEL, argc - 1, argv + 1);
	if (!matches(*argv, "show") || !matches(*argv, "list"))
		return do_show(argc - 1, argv + 1);
	if (!matches(*argv, "switch"))
		return do_switch(argc - 1, argv + 1);
	if (!matches(*argv, "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	return unknown_command("route", *argv);
}
