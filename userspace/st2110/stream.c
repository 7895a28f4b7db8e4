// SPDX-License-Identifier: GPL-2.0
/*
 * stream.c - "st2110 stream": the media streams of an sch_st2110 qdisc,
 * one tc class each, configured over rtnetlink (libnl-3, userspace/lib/tcnl).
 *
 *   st2110 stream add dev DEV { sdp FILE [media N] | STREAM } [classid X:Y]
 *   st2110 stream change dev DEV { classid X:Y | group G port P } OPTIONS
 *   st2110 stream del dev DEV { classid X:Y | group G port P | sdp FILE [media N] }
 *   st2110 [-s] [-d] [-j] [-p] stream show [dev DEV] [classid X:Y] [sdp]
 *					   [-i SECS [count N]]
 *
 * "add" puts an st2110 qdisc at the root of DEV when DEV has none yet
 * (replacing the device's default qdisc, never one somebody configured),
 * picks the lowest free class minor unless classid is given, and undoes
 * everything it did when a step fails, so a failed add changes nothing.
 * An SDP file gives one stream per m= line; an a=group:DUP (ST 2022-7)
 * pair is two m= lines, hence two streams, one per leg.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

#include "interval.h"
#include "json.h"
#include "numparse.h"
#include "sdp.h"
#include "st2110.h"
#include "tcnl.h"
#include "vfmt.h"

#define ROOT_HANDLE	0x10000U	/* "1:" when we create the qdisc */
#define MAX_CLASSES	1024

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: st2110 stream add dev DEV { sdp FILE [media N] | STREAM } [classid X:Y]\n"
		"                      [OPTIONS]\n"
		"       st2110 stream change dev DEV { classid X:Y | group ADDR port PORT }\n"
		"                      { FORMAT | OPTIONS | unpaced }\n"
		"       st2110 stream del dev DEV { classid X:Y | group ADDR port PORT |\n"
		"                      sdp FILE [media N] }\n"
		"       st2110 [-s] [-d] [-j] [-p] stream show [dev DEV] [classid X:Y] [sdp]\n"
		"                      [-i SECS [count N]]\n"
		"       st2110 stream help\n"
		"where  STREAM  := group ADDR port PORT [src ADDR] FORMAT\n"
		"       FORMAT  := { video FMT [sampling S] [depth D] [packing gpm|bpm]\n"
		"                    [payload BYTES] [npackets N] |\n"
		"                    audio RATE:CHANNELS:L16|L24:PTIME }\n"
		"       OPTIONS := [type N|NL|W] [troffset NS|default] [lead PKTS|default]\n"
		"                  [limit PKTS] [rtp follow|restamp]\n"
		"FMT is 1080p59.94, 576i50, 1280x720p50, ... (see st2110-send(1)); an SDP\n"
		"stream takes TP and TROFF from the file unless type/troffset are given.\n");
}

/* ---- helpers ------------------------------------------------------------ */

static int parse_classid(const char *s, uint32_t *id)
{
	const char *colon = strchr(s, ':');
	char *end;
	unsigned long maj, min;

	if (!colon || colon == s || !colon[1])
		return -EINVAL;
	maj = strtoul(s, &end, 16);
	if (end != colon || maj == 0 || maj > 0xffff)
		return -EINVAL;
	min = strtoul(colon + 1, &end, 16);
	if (*end || min == 0 || min > 0xffff || colon[1] == '-' || colon[1] == '+' ||
	    s[0] == '-' || s[0] == '+' || s[0] == ' ')
		return -EINVAL;
	*id = (uint32_t)(maj << 16 | min);
	return 0;
}

static const char *classid_str(uint32_t id, char *buf, size_t len)
{
	snprintf(buf, len, "%x:%x", id >> 16, id & 0xffff);
	return buf;
}

static int nl_fail(const struct st2110_nl *n, const char *what)
{
	if (n->extack[0])
		return errorf(EXIT_RUNTIME, "%s: %s (%s)", what, n->extack, strerror(n->err));
	return errorf(EXIT_RUNTIME, "%s: %s", what, strerror(n->err ? n->err : EIO));
}

static int open_nl(struct st2110_nl *n)
{
	if (st2110_nl_open(n))
		return errorf(EXIT_RUNTIME, "cannot open an rtnetlink socket");
	return 0;
}

struct class_list {
	unsigned int n;
	struct st2110_nl_class c[MAX_CLASSES];
};

static int collect_cb(const struct st2110_nl_class *c, void *arg)
{
	struct class_list *l = arg;

	if (c->is_st2110 && l->n < MAX_CLASSES)
		l->c[l->n++] = *c;
	return 0;
}

static int list_classes(struct st2110_nl *n, int ifindex, struct class_list *l)
{
	l->n = 0;
	return st2110_nl_dump_classes(n, ifindex, collect_cb, l);
}

static bool same_match(const struct st2110_class_cfg *a, const struct st2110_class_cfg *b)
{
	size_t alen = a->family == AF_INET6 ? 16 : 4;

	return a->family == b->family && a->port == b->port && !memcmp(a->dst, b->dst, alen) &&
	       a->has_src == b->has_src && (!a->has_src || !memcmp(a->src, b->src, alen));
}

/* ---- SDP -> class ------------------------------------------------------- */

static int sdp_to_class(const struct st2110_sdp_stream *st, struct st2110_class_cfg *c,
			const char *file)
{
	struct st2110_video_layout l;
	struct st2110_sched s = { 0 };
	const char *reason;

	st2110_class_init(c);
	if (st->media == ST2110_SDP_ANC)
		return errorf(EXIT_RUNTIME,
			      "%s:%u: m=video smpte291 (ST 2110-40 ancillary data) has no "
			      "ST 2110-21 schedule: sch_st2110 paces video and audio only",
			      file, st->line);
	if (st->addr_count > 1 || st->port_count > 1)
		return errorf(EXIT_RUNTIME, "%s:%u: address or port ranges (/count) are not "
			      "supported: one stream is one destination", file, st->line);
	c->family = st->dst.family;
	memcpy(c->dst, &st->dst.u, c->family == AF_INET6 ? 16 : 4);
	c->port = st->port;
	c->has_match = c->has_port = true;
	if (st->filter.present) {
		if (st->filter.exclude || st->filter.nsrc != 1 ||
		    st->filter.src[0].family != st->dst.family)
			return errorf(EXIT_RUNTIME, "%s:%u: a=source-filter: a stream matches at "
				      "most one included source of its own family", file, st->line);
		memcpy(c->src, &st->filter.src[0].u, c->family == AF_INET6 ? 16 : 4);
		c->has_src = true;
	}
	if (st->media == ST2110_SDP_AUDIO) {
		c->audio = st->audio.fmt;
		c->has_audio = true;
		return 0;
	}
	c->video = st->video.fmt;
	c->video.max_payload_bytes = 0;
	c->has_video = true;
	c->type = st->video.type;
	c->has_type = true;
	if (st2110_sdp_video_sched(st, &l, &s, &reason))
		return errorf(EXIT_RUNTIME, "%s:%u: %s", file, st->line, reason);
	if (st->video.has_troff && st->video.troff_us != st2110_sched_troff_us(&s)) {
		c->troffset_ns = (uint64_t)st->video.troff_us * 1000;
		c->has_troffset = true;
	}
	return 0;
}

/* ---- class -> SDP ------------------------------------------------------- */

static void class_to_sdp(const struct st2110_class_cfg *c, struct st2110_sdp_stream *st)
{
	struct st2110_video_layout l;
	struct st2110_sched s = { 0 };
	const char *reason;

	memset(st, 0, sizeof(*st));
	st->dup_group = -1;
	st->port = c->port;
	st->port_count = 1;
	st->addr_count = 1;
	st->dst.family = c->family;
	memcpy(&st->dst.u, c->dst, c->family == AF_INET6 ? 16 : 4);
	/* not kept by the kernel: the usual values (ST 2110-10 §8) */
	if (c->family == AF_INET && (c->dst[0] & 0xf0) == 0xe0)
		st->ttl = 64;
	if (c->has_src) {
		st->filter.present = true;
		st->filter.dst = st->dst;
		st->filter.nsrc = 1;
		st->filter.src[0].family = c->family;
		memcpy(&st->filter.src[0].u, c->src, c->family == AF_INET6 ? 16 : 4);
	}
	st->nrefclk = 1;
	st->refclk[0].kind = ST2110_REFCLK_PTP_TRACEABLE;
	st->refclk[0].version = ST2110_PTP_IEEE1588_2008;
	if (c->has_audio) {
		st->media = ST2110_SDP_AUDIO;
		st->pt = 97;
		st->audio.fmt = c->audio;
		st->clock_hz = c->audio.rate_hz;
		return;
	}
	st->media = ST2110_SDP_VIDEO;
	st->pt = 96;
	st->clock_hz = 90000;
	st->video.fmt = c->video;
	st->video.fmt.max_payload_bytes = 0;
	st->video.type = c->type;
	st->video.colorimetry = ST2110_COLORIMETRY_BT709;
	st->video.ssn = ST2110_SSN_2017;
	if (c->troffset_ns != TC_ST2110_TROFFSET_DEFAULT &&
	    !st2110_video_layout_init(&l, &st->video.fmt, &reason) &&
	    !st2110_sched_init_video(&s, &l, c->type, c->troffset_ns, &reason)) {
		st->video.has_troff = true;
		st->video.troff_us = (uint32_t)st2110_sched_troff_us(&s);
	}
}

/* ---- add ------------------------------------------------------------------- */

struct add_args {
	const char *dev, *sdp_file;
	unsigned int media;		/* 1-based, 0 = all */
	bool has_classid;
	uint32_t classid;
	struct st2110_class_cfg opt;	/* words given on the command line */
};

/* The words after the object's own (dev, sdp, media, classid). */
static int class_words(int argc, char **argv, struct add_args *a, bool allow_stream_keys)
{
	char err[ST2110_ERR_LEN];
	const char *key, *val;
	int ret;

	while (argc > 0) {
		key = *argv;
		if (!strcmp(key, "dev")) {
			NEXT_ARG();
			if (a->dev)
				return errorf(EXIT_USAGE, "dev given twice");
			a->dev = *argv;
		} else if (!strcmp(key, "sdp") && allow_stream_keys) {
			NEXT_ARG();
			a->sdp_file = *argv;
		} else if (!strcmp(key, "media") && allow_stream_keys) {
			uint64_t v;

			NEXT_ARG();
			if (st2110_parse_u64(*argv, ST2110_SDP_MAX_STREAMS, &v) || !v)
				return errorf(EXIT_USAGE, "media \"%s\": expected 1..%d (the m= line)",
					      *argv, ST2110_SDP_MAX_STREAMS);
			a->media = (unsigned int)v;
		} else if (!strcmp(key, "classid")) {
			NEXT_ARG();
			if (parse_classid(*argv, &a->classid))
				return errorf(EXIT_USAGE, "classid \"%s\": expected X:Y (hex, not 0)",
					      *argv);
			a->has_classid = true;
		} else if (!strcmp(key, "help")) {
			usage(stdout);
			return -1;
		} else {
			val = NULL;
			if (!st2110_class_is_flag(key)) {
				NEXT_ARG();
				val = *argv;
			}
			ret = st2110_class_arg(&a->opt, key, val, err, sizeof(err));
			if (ret == -ENOENT)
				return errorf(EXIT_USAGE, "unknown option \"%s\", try \"st2110 stream help\"",
					      key);
			if (ret)
				return errorf(EXIT_USAGE, "%s", err);
		}
		argc--;
		argv++;
	}
	if (!a->dev)
		return errorf(EXIT_USAGE, "dev DEV is required");
	return 0;
}

/* The st2110 root qdisc's major; creates it if the root is the default. */
static int ensure_root(struct st2110_nl *n, int ifindex, const char *dev, uint32_t *major,
		       bool *created)
{
	struct st2110_nl_qdisc q;
	int err = st2110_nl_root_qdisc(n, ifindex, &q);

	*created = false;
	if (err && err != -ENOENT)
		return nl_fail(n, "reading the qdiscs");
	if (!err && q.is_st2110) {
		*major = q.handle & 0xffff0000U;
		return 0;
	}
	/* handle 0: the default qdisc the kernel attached, ours to replace */
	if (!err && q.handle)
		return errorf(EXIT_RUNTIME, "%s has root qdisc %s %x: not st2110 (\"tc qdisc del "
			      "dev %s root\" first)", dev, q.kind, q.handle >> 16, dev);
	if (st2110_nl_qdisc(n, RTM_NEWQDISC, NLM_F_CREATE | NLM_F_EXCL, ifindex, TC_H_ROOT,
			    ROOT_HANDLE, ST2110_TC_KIND, NULL))
		return nl_fail(n, "creating the st2110 root qdisc");
	*major = ROOT_HANDLE;
	*created = true;
	return 0;
}

static uint32_t free_classid(const struct class_list *l, uint32_t major, const uint32_t *taken,
			     unsigned int ntaken)
{
	uint32_t min, id;
	unsigned int i;
	bool used;

	for (min = 1; min <= 0xffff; min++) {
		id = major | min;
		used = false;
		for (i = 0; i < l->n && !used; i++)
			used = l->c[i].classid == id;
		for (i = 0; i < ntaken && !used; i++)
			used = taken[i] == id;
		if (!used)
			return id;
	}
	return 0;
}

/* Command-line OPTIONS override what the SDP says. */
static void apply_overrides(struct st2110_class_cfg *c, const struct st2110_class_cfg *o)
{
	if (o->has_type) {
		c->type = o->type;
		c->has_type = true;
	}
	if (o->has_troffset) {
		c->troffset_ns = o->troffset_ns;
		c->has_troffset = true;
	}
	if (o->has_lead) {
		c->lead_pkts = o->lead_pkts;
		c->has_lead = true;
	}
	if (o->has_limit) {
		c->limit_pkts = o->limit_pkts;
		c->has_limit = true;
	}
	if (o->has_rtp) {
		c->rtp_policy = o->rtp_policy;
		c->has_rtp = true;
	}
}

static int load_sdp(const char *file, struct st2110_sdp *sdp)
{
	struct st2110_sdp_diag d;
	char buf[512];

	if (st2110_sdp_load(sdp, file, &d)) {
		st2110_sdp_print_warnings(stderr, "", file, sdp);
		fprintf(stderr, "Error: %s\n", st2110_sdp_format_diag(buf, sizeof(buf), file, &d));
		return EXIT_RUNTIME;
	}
	st2110_sdp_print_warnings(stderr, "", file, sdp);
	return 0;
}

/* The streams an add/del names: from the SDP, or the one on the command line. */
static int wanted_streams(struct add_args *a, struct st2110_class_cfg *out, unsigned int *nout,
			  bool for_add)
{
	struct st2110_sdp *sdp;
	char err[ST2110_ERR_LEN];
	unsigned int i;
	int ret = 0;

	*nout = 0;
	if (!a->sdp_file) {
		if (a->media)
			return errorf(EXIT_USAGE, "media needs sdp FILE");
		if (for_add && st2110_class_check(&a->opt, true, err, sizeof(err)))
			return errorf(EXIT_USAGE, "%s", err);
		out[(*nout)++] = a->opt;
		return 0;
	}
	if (a->opt.has_match || a->opt.has_port || a->opt.has_src || a->opt.has_video ||
	    a->opt.has_audio || a->opt.has_vsub || a->opt.unpaced)
		return errorf(EXIT_USAGE, "sdp FILE gives the streams: no group, port, src, "
			      "video, audio or unpaced with it");
	sdp = calloc(1, sizeof(*sdp));
	if (!sdp)
		return errorf(EXIT_RUNTIME, "out of memory");
	if (load_sdp(a->sdp_file, sdp)) {
		free(sdp);
		return EXIT_RUNTIME;
	}
	if (a->media > sdp->nstream) {
		ret = errorf(EXIT_USAGE, "media %u: %s has %u m= lines", a->media, a->sdp_file,
			     sdp->nstream);
		goto out;
	}
	for (i = 0; i < sdp->nstream; i++) {
		if (a->media && i + 1 != a->media)
			continue;
		ret = sdp_to_class(&sdp->stream[i], &out[*nout], a->sdp_file);
		if (ret)
			goto out;
		apply_overrides(&out[*nout], &a->opt);
		if (for_add && st2110_class_check(&out[*nout], true, err, sizeof(err))) {
			ret = errorf(EXIT_RUNTIME, "%s:%u: %s", a->sdp_file, sdp->stream[i].line, err);
			goto out;
		}
		(*nout)++;
	}
	if (sdp->ngroup && !a->media && !json)
		fprintf(stderr, "%s: a=group:DUP: each ST 2022-7 leg is a stream of its own\n",
			a->sdp_file);
out:
	free(sdp);
	return ret;
}

static int stream_add(int argc, char **argv)
{
	struct st2110_class_cfg want[ST2110_SDP_MAX_STREAMS];
	struct add_args a = { 0 };
	struct class_list *l = NULL;
	struct st2110_nl n;
	uint32_t major = 0, ids[ST2110_SDP_MAX_STREAMS];
	unsigned int nwant, i, j, done = 0;
	bool created = false;
	char cbuf[16];
	int ifindex, ret;

	st2110_class_init(&a.opt);
	ret = class_words(argc, argv, &a, true);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	ret = wanted_streams(&a, want, &nwant, true);
	if (ret)
		return ret;
	if (a.has_classid && nwant > 1)
		return errorf(EXIT_USAGE, "classid names one stream; %s has %u (use media N)",
			      a.sdp_file, nwant);
	if (open_nl(&n))
		return EXIT_RUNTIME;
	ifindex = st2110_nl_ifindex(&n, a.dev);
	if (ifindex < 0) {
		st2110_nl_close(&n);
		return errorf(EXIT_RUNTIME, "cannot find device \"%s\"", a.dev);
	}
	l = malloc(sizeof(*l));
	if (!l) {
		ret = errorf(EXIT_RUNTIME, "out of memory");
		goto out;
	}
	ret = ensure_root(&n, ifindex, a.dev, &major, &created);
	if (ret)
		goto out;
	if (list_classes(&n, ifindex, l)) {
		ret = nl_fail(&n, "reading the classes");
		goto undo;
	}
	/* say which stream is in the way, before the kernel says "exists" */
	for (i = 0; i < nwant; i++) {
		for (j = 0; j < l->n; j++) {
			if (same_match(&want[i], &l->c[j].cfg)) {
				char addr[INET6_ADDRSTRLEN];

				ret = errorf(EXIT_RUNTIME, "%s port %u: already stream %s on %s",
					     st2110_class_addr(&want[i], false, addr, sizeof(addr)),
					     want[i].port,
					     classid_str(l->c[j].classid, cbuf, sizeof(cbuf)), a.dev);
				goto undo;
			}
		}
	}
	for (i = 0; i < nwant; i++) {
		if (a.has_classid) {
			if ((a.classid & 0xffff0000U) != major) {
				ret = errorf(EXIT_RUNTIME, "classid %s: the st2110 qdisc of %s is %x:",
					     classid_str(a.classid, cbuf, sizeof(cbuf)), a.dev,
					     major >> 16);
				goto undo;
			}
			ids[i] = a.classid;
		} else {
			ids[i] = free_classid(l, major, ids, i);
		}
		if (st2110_nl_class(&n, RTM_NEWTCLASS, NLM_F_CREATE | NLM_F_EXCL, ifindex, major,
				    ids[i], &want[i])) {
			ret = nl_fail(&n, "adding the stream class");
			goto undo;
		}
		done++;
		if (!json)
			printf("stream %s dev %s\n", classid_str(ids[i], cbuf, sizeof(cbuf)), a.dev);
	}
	ret = EXIT_OK;
	goto out;
undo:
	while (done--)
		st2110_nl_class(&n, RTM_DELTCLASS, 0, ifindex, major, ids[done], NULL);
	if (created)
		st2110_nl_qdisc(&n, RTM_DELQDISC, 0, ifindex, TC_H_ROOT, major, NULL, NULL);
out:
	free(l);
	st2110_nl_close(&n);
	return ret;
}

/* ---- change / del ----------------------------------------------------------- */

/*
 * For a change or del: the socket, dev's ifindex and its st2110 classes.
 * On failure the error is said and nothing is left open.
 */
static int open_classes(struct st2110_nl *n, const char *dev, int *ifindex,
			struct class_list **l)
{
	int ret;

	if (open_nl(n))
		return EXIT_RUNTIME;
	*l = malloc(sizeof(**l));
	*ifindex = st2110_nl_ifindex(n, dev);
	if (!*l)
		ret = errorf(EXIT_RUNTIME, "out of memory");
	else if (*ifindex < 0)
		ret = errorf(EXIT_RUNTIME, "cannot find device \"%s\"", dev);
	else if (list_classes(n, *ifindex, *l))
		ret = nl_fail(n, "reading the classes");
	else
		return 0;
	free(*l);
	st2110_nl_close(n);
	return ret;
}

/* The class a change/del names by classid or by its match. */
static int find_class(const struct class_list *l, const struct add_args *a,
		      const struct st2110_class_cfg *match)
{
	unsigned int i;

	for (i = 0; i < l->n; i++) {
		if (a->has_classid ? l->c[i].classid == a->classid :
		    same_match(match, &l->c[i].cfg))
			return (int)i;
	}
	return -1;
}

static int stream_change(int argc, char **argv)
{
	struct add_args a = { 0 };
	struct st2110_class_cfg want;
	struct class_list *l;
	struct st2110_nl n;
	char err[ST2110_ERR_LEN], cbuf[16];
	int ifindex, ret, k;

	st2110_class_init(&a.opt);
	ret = class_words(argc, argv, &a, false);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	if (!a.has_classid && !a.opt.has_match)
		return errorf(EXIT_USAGE, "which stream? classid X:Y or group ADDR port PORT");
	if (a.opt.has_match && !a.opt.has_port)
		return errorf(EXIT_USAGE, "group and port go together");
	want = a.opt;
	/* the match only names the stream: it is not changed */
	want.has_match = want.has_port = want.has_src = false;
	if (st2110_class_check(&want, false, err, sizeof(err)))
		return errorf(EXIT_USAGE, "%s", err);
	if (!want.has_limit && !want.has_video && !want.has_audio && !want.has_type &&
	    !want.has_troffset && !want.has_lead && !want.has_rtp && !want.unpaced)
		return errorf(EXIT_USAGE, "nothing to change");
	ret = open_classes(&n, a.dev, &ifindex, &l);
	if (ret)
		return ret;
	k = find_class(l, &a, &a.opt);
	if (k < 0) {
		ret = errorf(EXIT_RUNTIME, "no such stream on %s", a.dev);
		goto out;
	}
	if (st2110_nl_class(&n, RTM_NEWTCLASS, 0, ifindex, l->c[k].parent, l->c[k].classid,
			    &want)) {
		ret = nl_fail(&n, "changing the stream class");
		goto out;
	}
	if (!json)
		printf("stream %s dev %s changed\n", classid_str(l->c[k].classid, cbuf, sizeof(cbuf)),
		       a.dev);
	ret = EXIT_OK;
out:
	free(l);
	st2110_nl_close(&n);
	return ret;
}

static int stream_del(int argc, char **argv)
{
	struct st2110_class_cfg want[ST2110_SDP_MAX_STREAMS];
	struct add_args a = { 0 };
	struct class_list *l;
	struct st2110_nl n;
	unsigned int nwant = 0, i;
	int ifindex, ret, k[ST2110_SDP_MAX_STREAMS];
	char cbuf[16];

	st2110_class_init(&a.opt);
	ret = class_words(argc, argv, &a, true);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	if (a.opt.has_video || a.opt.has_audio || a.opt.has_vsub || a.opt.has_type ||
	    a.opt.has_troffset || a.opt.has_lead || a.opt.has_limit || a.opt.has_rtp ||
	    a.opt.unpaced)
		return errorf(EXIT_USAGE, "del takes only dev and the stream's classid, group/port "
			      "or sdp FILE");
	if (a.has_classid + !!a.opt.has_match + !!a.sdp_file != 1)
		return errorf(EXIT_USAGE, "which stream? one of classid X:Y, group ADDR port PORT, "
			      "sdp FILE");
	if (a.opt.has_match != a.opt.has_port)
		return errorf(EXIT_USAGE, "group and port go together");
	if (a.sdp_file) {
		ret = wanted_streams(&a, want, &nwant, false);
		if (ret)
			return ret;
	} else {
		want[0] = a.opt;
		nwant = 1;
	}
	ret = open_classes(&n, a.dev, &ifindex, &l);
	if (ret)
		return ret;
	/* all or nothing: find every stream before deleting any */
	for (i = 0; i < nwant; i++) {
		k[i] = find_class(l, &a, &want[i]);
		if (k[i] < 0) {
			ret = errorf(EXIT_RUNTIME, "no such stream on %s%s", a.dev,
				     nwant > 1 ? " (the SDP's streams are not all there)" : "");
			goto out;
		}
	}
	for (i = 0; i < nwant; i++) {
		if (st2110_nl_class(&n, RTM_DELTCLASS, 0, ifindex, l->c[k[i]].parent,
				    l->c[k[i]].classid, NULL)) {
			ret = nl_fail(&n, "deleting the stream class");
			goto out;
		}
		if (!json)
			printf("stream %s dev %s deleted\n",
			       classid_str(l->c[k[i]].classid, cbuf, sizeof(cbuf)), a.dev);
	}
	ret = EXIT_OK;
out:
	free(l);
	st2110_nl_close(&n);
	return ret;
}

/* ---- show ------------------------------------------------------------------ */

static void print_text(const struct st2110_nl_class *c, const char *dev)
{
	const struct st2110_class_cfg *f = &c->cfg;
	const struct tc_st2110_class_xstats *x = &c->xstats;
	char buf[64], addr[INET6_ADDRSTRLEN];
	unsigned int i;

	printf("stream %s dev %s", classid_str(c->classid, buf, sizeof(buf)), dev);
	if (f->has_match) {
		printf(" group %s port %u", st2110_class_addr(f, false, addr, sizeof(addr)), f->port);
		if (f->has_src)
			printf(" src %s", st2110_class_addr(f, true, addr, sizeof(addr)));
	}
	if (f->has_video) {
		st2110_vfmt_name(&f->video, buf, sizeof(buf));
		printf(" video %s sampling %s depth %s packing %s", buf,
		       st2110_sampling_name(f->video.sampling) ?: "?",
		       st2110_depth_name(f->video.depth) ?: "?",
		       st2110_packing_word(f->video.packing));
		if (f->video.max_payload_bytes)
			printf(" payload %u", f->video.max_payload_bytes);
		if (f->npackets)
			printf(" npackets %u", f->npackets);
	} else if (f->has_audio) {
		st2110_audio_spec(buf, sizeof(buf), &f->audio);
		printf(" audio %s", buf);
	} else {
		printf(" unpaced");
	}
	if (f->has_video || f->has_audio) {
		printf(" type %s", st2110_type_word(f->type));
		if (f->troffset_ns == TC_ST2110_TROFFSET_DEFAULT)
			printf(" troffset default");
		else
			printf(" troffset %" PRIu64, f->troffset_ns);
		if (f->lead_pkts == TC_ST2110_LEAD_DEFAULT)
			printf(" lead default");
		else
			printf(" lead %u", f->lead_pkts);
		printf(" rtp %s", st2110_rtp_word(f->rtp_policy));
	}
	printf(" limit %u\n", f->limit_pkts);
	if (!show_stats)
		return;
	printf("    Sent %" PRIu64 " bytes %" PRIu64 " pkt (dropped %u, overlimits %u) "
	       "backlog %ub %up\n", c->stats.bytes, c->stats.packets, c->stats.drops,
	       c->stats.overlimits, c->stats.backlog_bytes, c->stats.qlen);
	if (!c->has_xstats)
		return;
	printf("    matched %llu filtered %llu paced %llu pkts %llu"
	       " bytes frames %llu drops %llu\n", (unsigned long long)x->matched_pkts, (unsigned long long)x->filtered_pkts,
	       (unsigned long long)x->paced_pkts, (unsigned long long)x->paced_bytes, (unsigned long long)x->frames, (unsigned long long)x->drops);
	printf("    late %llu (max %lluns ewma %lluns) horizon %llu"
	       " unscheduled %llu cinst_waits %llu npackets %u lead %u\n",
	       (unsigned long long)x->late_pkts, (unsigned long long)x->late_max_ns, (unsigned long long)x->late_ewma_ns, (unsigned long long)x->horizon_pkts,
	       (unsigned long long)x->unscheduled_pkts, (unsigned long long)x->cinst_waits, x->npackets, x->lead_pkts);
	printf("    egress frames %llu cinst peak %u vrx %lld..%lld over cmax %llu"
	       " vrxfull %llu vrx underflow %llu\n",
	       (unsigned long long)x->egress_frames, x->egress_cinst_peak_pkts, (long long)x->egress_vrx_min_pkts,
	       (long long)x->egress_vrx_peak_pkts, (unsigned long long)x->egress_frames_over_cmax,
	       (unsigned long long)x->egress_frames_over_vrx, (unsigned long long)x->egress_frames_vrx_under);
	if (show_stats < 2 && !show_details)
		return;
	printf("    release error:");
	for (i = 0; i < TC_ST2110_ERR_HIST_BUCKETS; i++) {
		if (!x->err_hist[i])
			continue;
		if (i == 0)
			printf(" 0ns:%llu", (unsigned long long)x->err_hist[i]);
		else
			printf(" <%lluns:%llu", 1ULL << i, (unsigned long long)x->err_hist[i]);
	}
	printf("\n");
}

static json_t *class_json(const struct st2110_nl_class *c, const char *dev)
{
	const struct st2110_class_cfg *f = &c->cfg;
	const struct tc_st2110_class_xstats *x = &c->xstats;
	json_t *o = json_object(), *v, *h;
	char buf[64];
	unsigned int i;

	st2110_json_set(o, "dev", json_string(dev));
	st2110_json_set(o, "classid", json_string(classid_str(c->classid, buf, sizeof(buf))));
	st2110_json_set(o, "parent", json_string(classid_str(c->parent, buf, sizeof(buf))));
	if (f->has_match) {
		st2110_json_set(o, "group", json_string(st2110_class_addr(f, false, buf, sizeof(buf))));
		st2110_json_set(o, "port", json_integer(f->port));
		if (f->has_src)
			st2110_json_set(o, "src", json_string(st2110_class_addr(f, true, buf,
										  sizeof(buf))));
	}
	st2110_json_set(o, "limit_pkts", json_integer(f->limit_pkts));
	if (f->has_video) {
		v = json_object();
		st2110_vfmt_name(&f->video, buf, sizeof(buf));
		st2110_json_set(v, "format", json_string(buf));
		st2110_json_set(v, "width_px", json_integer(f->video.width_px));
		st2110_json_set(v, "height_px", json_integer(f->video.height_px));
		st2110_json_set(v, "scan", json_string(st2110_sdp_scan_name(f->video.scan)));
		st2110_json_set(v, "rate", st2110_json_frac(f->video.rate.num, f->video.rate.den));
		st2110_json_set(v, "sampling", json_string(st2110_sampling_name(f->video.sampling) ?: "?"));
		st2110_json_set(v, "depth", json_string(st2110_depth_name(f->video.depth) ?: "?"));
		st2110_json_set(v, "packing", json_string(st2110_packing_word(f->video.packing)));
		if (f->video.max_payload_bytes)
			st2110_json_set(v, "payload_bytes", json_integer(f->video.max_payload_bytes));
		if (f->npackets)
			st2110_json_set(v, "npackets", json_integer(f->npackets));
		st2110_json_set(o, "video", v);
	} else if (f->has_audio) {
		v = json_object();
		st2110_audio_spec(buf, sizeof(buf), &f->audio);
		st2110_json_set(v, "format", json_string(buf));
		st2110_json_set(v, "rate_hz", json_integer(f->audio.rate_hz));
		st2110_json_set(v, "channels", json_integer(f->audio.channels));
		st2110_json_set(v, "depth_bits", json_integer(f->audio.depth_bits));
		st2110_json_set(v, "samples_per_pkt", json_integer(f->audio.samples_per_pkt));
		st2110_json_set(o, "audio", v);
	}
	if (f->has_video || f->has_audio) {
		st2110_json_set(o, "type", json_string(st2110_type_word(f->type)));
		if (f->troffset_ns != TC_ST2110_TROFFSET_DEFAULT)
			st2110_json_set(o, "troffset_ns", st2110_json_u64(f->troffset_ns));
		if (f->lead_pkts != TC_ST2110_LEAD_DEFAULT)
			st2110_json_set(o, "lead_pkts", json_integer(f->lead_pkts));
		st2110_json_set(o, "rtp", json_string(st2110_rtp_word(f->rtp_policy)));
	} else {
		st2110_json_set(o, "unpaced", json_true());
	}
	if (!show_stats)
		return o;
	v = json_object();
	st2110_json_set(v, "bytes", st2110_json_u64(c->stats.bytes));
	st2110_json_set(v, "packets", st2110_json_u64(c->stats.packets));
	st2110_json_set(v, "drops", json_integer(c->stats.drops));
	st2110_json_set(v, "overlimits", json_integer(c->stats.overlimits));
	st2110_json_set(v, "backlog_bytes", json_integer(c->stats.backlog_bytes));
	st2110_json_set(v, "backlog_pkts", json_integer(c->stats.qlen));
	st2110_json_set(o, "stats", v);
	if (!c->has_xstats)
		return o;
	v = json_object();
	st2110_json_set(v, "matched_pkts", st2110_json_u64(x->matched_pkts));
	st2110_json_set(v, "filtered_pkts", st2110_json_u64(x->filtered_pkts));
	st2110_json_set(v, "paced_pkts", st2110_json_u64(x->paced_pkts));
	st2110_json_set(v, "paced_bytes", st2110_json_u64(x->paced_bytes));
	st2110_json_set(v, "frames", st2110_json_u64(x->frames));
	st2110_json_set(v, "late_pkts", st2110_json_u64(x->late_pkts));
	st2110_json_set(v, "late_max_ns", st2110_json_u64(x->late_max_ns));
	st2110_json_set(v, "late_ewma_ns", st2110_json_u64(x->late_ewma_ns));
	st2110_json_set(v, "horizon_pkts", st2110_json_u64(x->horizon_pkts));
	st2110_json_set(v, "unscheduled_pkts", st2110_json_u64(x->unscheduled_pkts));
	st2110_json_set(v, "drops", st2110_json_u64(x->drops));
	st2110_json_set(v, "cinst_waits", st2110_json_u64(x->cinst_waits));
	st2110_json_set(v, "npackets", json_integer(x->npackets));
	st2110_json_set(v, "lead_pkts", json_integer(x->lead_pkts));
	st2110_json_set(v, "egress_frames", st2110_json_u64(x->egress_frames));
	st2110_json_set(v, "egress_cinst_peak_pkts", json_integer(x->egress_cinst_peak_pkts));
	st2110_json_set(v, "egress_vrx_min_pkts", json_integer(x->egress_vrx_min_pkts));
	st2110_json_set(v, "egress_vrx_peak_pkts", json_integer(x->egress_vrx_peak_pkts));
	st2110_json_set(v, "egress_frames_over_cmax", st2110_json_u64(x->egress_frames_over_cmax));
	st2110_json_set(v, "egress_frames_over_vrx", st2110_json_u64(x->egress_frames_over_vrx));
	st2110_json_set(v, "egress_frames_vrx_under", st2110_json_u64(x->egress_frames_vrx_under));
	h = json_array();
	for (i = 0; i < TC_ST2110_ERR_HIST_BUCKETS; i++)
		json_array_append_new(h, st2110_json_u64(x->err_hist[i]));
	st2110_json_set(v, "release_err_hist", h);
	st2110_json_set(o, "xstats", v);
	return o;
}

/*
 * The counters "-i" gives deltas of: text words, JSON names (those of the
 * totals), tc_stats or xstats, and the text line they go on.
 */
struct iv_counter {
	const char *text, *json;
	bool xstats;
	unsigned int line;
};

static const struct iv_counter iv_counters[] = {
	{ "bytes", "bytes", false, 0 }, { "packets", "packets", false, 0 },
	{ "dropped", "drops", false, 0 }, { "overlimits", "overlimits", false, 0 },
	{ "matched", "matched_pkts", true, 1 }, { "filtered", "filtered_pkts", true, 1 },
	{ "paced", "paced_pkts", true, 1 }, { "frames", "frames", true, 1 },
	{ "drops", "drops", true, 1 }, { "late", "late_pkts", true, 1 },
	{ "horizon", "horizon_pkts", true, 1 }, { "unscheduled", "unscheduled_pkts", true, 1 },
	{ "cinst_waits", "cinst_waits", true, 1 },
	{ "egress_frames", "egress_frames", true, 2 },
	{ "over_cmax", "egress_frames_over_cmax", true, 2 },
	{ "vrxfull", "egress_frames_over_vrx", true, 2 },
	{ "vrx_underflow", "egress_frames_vrx_under", true, 2 },
};

static unsigned int iv_values(const struct st2110_nl_class *c, uint64_t *v)
{
	const struct tc_st2110_class_xstats *x = &c->xstats;
	unsigned int n = 0;

	v[n++] = c->stats.bytes;
	v[n++] = c->stats.packets;
	v[n++] = c->stats.drops;
	v[n++] = c->stats.overlimits;
	if (!c->has_xstats)
		return n;
	v[n++] = x->matched_pkts;
	v[n++] = x->filtered_pkts;
	v[n++] = x->paced_pkts;
	v[n++] = x->frames;
	v[n++] = x->drops;
	v[n++] = x->late_pkts;
	v[n++] = x->horizon_pkts;
	v[n++] = x->unscheduled_pkts;
	v[n++] = x->cinst_waits;
	v[n++] = x->egress_frames;
	v[n++] = x->egress_frames_over_cmax;
	v[n++] = x->egress_frames_over_vrx;
	v[n++] = x->egress_frames_vrx_under;
	return n;
}

/* Keeps the stream's counters for the next sample; the delta to the last. */
static unsigned int iv_record(struct st2110_iv *iv, const struct st2110_nl_class *c,
			      struct st2110_iv_delta *d)
{
	struct st2110_iv_delta dummy;
	uint64_t v[ST2110_IV_MAXF];
	char key[ST2110_IV_KEYLEN];
	unsigned int n = iv_values(c, v);

	snprintf(key, sizeof(key), "%d %x", c->ifindex, c->classid);
	st2110_iv_diff(iv, key, v, n, d ? d : &dummy);
	return n;
}

/*
 * One stream of a sample after the first: what changed since the last.
 * o is the stream's JSON object (-j) or NULL (text).
 */
static void iv_stream(struct st2110_iv *iv, const struct st2110_nl_class *c, const char *dev,
		      json_t *o)
{
	struct st2110_iv_delta d;
	char buf[16];
	json_t *dj = NULL, *sj = NULL, *xj = NULL;
	unsigned int n, i, line = 0;

	n = iv_record(iv, c, &d);
	if (o) {
		st2110_iv_json_time(iv, o);
		if (!st2110_iv_has_delta(iv))
			return;
		dj = json_object();
		sj = json_object();
		xj = n > 4 ? json_object() : NULL;
		if (d.reset)
			st2110_json_set(dj, "reset", json_true());
	} else {
		printf("stream %s dev %s%s:", classid_str(c->classid, buf, sizeof(buf)), dev,
		       d.reset ? " reset" : "");
	}
	st2110_iv_rates(iv, dj, d.d[1], d.d[0]);
	for (i = 0; i < n; i++) {
		if (!o && iv_counters[i].line != line) {
			if (!line)
				printf(" backlog %ub %up", c->stats.backlog_bytes, c->stats.qlen);
			line = iv_counters[i].line;
			printf("\n   ");
		}
		st2110_iv_field(o ? (iv_counters[i].xstats ? xj : sj) : NULL, d.reset,
				o ? iv_counters[i].json : iv_counters[i].text, d.d[i]);
	}
	if (o) {
		st2110_json_set(dj, "stats", sj);
		if (xj)
			st2110_json_set(dj, "xstats", xj);
		st2110_json_set(o, "delta", dj);
		return;
	}
	if (!line)
		printf(" backlog %ub %up", c->stats.backlog_bytes, c->stats.qlen);
	printf("\n");
}

struct show_args {
	const char *dev;
	bool has_classid, sdp;
	uint32_t classid;
	struct st2110_iv iv;
};

static int show_sdp(const struct class_list *l, const char *dev)
{
	struct st2110_sdp *sdp = calloc(1, sizeof(*sdp));
	unsigned int i;
	int err;

	if (!sdp)
		return errorf(EXIT_RUNTIME, "out of memory");
	strcpy(sdp->user, "-");
	sdp->origin_family = AF_INET;
	strcpy(sdp->origin_addr, "0.0.0.0");
	snprintf(sdp->name, sizeof(sdp->name), "st2110 streams of %s", dev);
	for (i = 0; i < l->n; i++) {
		if (!l->c[i].cfg.has_video && !l->c[i].cfg.has_audio)
			continue;	/* unpaced: no format to describe */
		if (sdp->nstream == ST2110_SDP_MAX_STREAMS) {
			free(sdp);
			return errorf(EXIT_RUNTIME, "more than %d streams: pick one with classid",
				      ST2110_SDP_MAX_STREAMS);
		}
		class_to_sdp(&l->c[i].cfg, &sdp->stream[sdp->nstream++]);
	}
	if (!sdp->nstream) {
		free(sdp);
		return errorf(EXIT_RUNTIME, "no paced stream on %s to describe", dev);
	}
	err = st2110_sdp_write(stdout, sdp);
	free(sdp);
	if (err)
		return errorf(EXIT_RUNTIME, "cannot write the SDP: %s", strerror(-err));
	return EXIT_OK;
}

static int by_classid(const void *a, const void *b)
{
	const struct st2110_nl_class *x = a, *y = b;

	return x->classid < y->classid ? -1 : x->classid > y->classid;
}

/* One device's streams; with -i -j into arr, the sample's one array. */
static int show_once(struct st2110_nl *n, struct show_args *s, struct class_list *l,
		     int ifindex, json_t *arr)
{
	json_t *own = NULL, *o;
	char dev[64];
	unsigned int i, keep = 0;

	if (list_classes(n, ifindex, l))
		return nl_fail(n, "reading the classes");
	for (i = 0; i < l->n; i++)
		if (!s->has_classid || l->c[i].classid == s->classid)
			l->c[keep++] = l->c[i];
	l->n = keep;
	/* the kernel dumps in hash order; people read them by classid */
	qsort(l->c, l->n, sizeof(l->c[0]), by_classid);
	if (s->has_classid && !keep)
		return errorf(EXIT_RUNTIME, "no stream %x:%x on %s", s->classid >> 16,
			      s->classid & 0xffff, s->dev);
	if (s->sdp)
		return show_sdp(l, s->dev);
	if (json && !arr)
		arr = own = json_array();
	for (i = 0; i < l->n; i++) {
		st2110_nl_ifname(n, l->c[i].ifindex, dev, sizeof(dev));
		if (json) {
			o = class_json(&l->c[i], dev);
			if (s->iv.interval_s && show_stats)
				iv_stream(&s->iv, &l->c[i], dev, o);
			json_array_append_new(arr, o);
		} else if (st2110_iv_has_delta(&s->iv) && show_stats) {
			iv_stream(&s->iv, &l->c[i], dev, NULL);
		} else {
			print_text(&l->c[i], dev);
			if (s->iv.interval_s && show_stats)
				iv_record(&s->iv, &l->c[i], NULL);
		}
	}
	if (own)
		st2110_json_print(stdout, own, pretty);
	fflush(stdout);
	return EXIT_OK;
}

/* Without dev: every device with an st2110 root qdisc. */
struct devs {
	unsigned int n;
	int ifindex[64];
};

static int devs_cb(const struct st2110_nl_qdisc *q, void *arg)
{
	struct devs *d = arg;
	unsigned int i;

	if (!q->is_st2110)
		return 0;
	for (i = 0; i < d->n; i++)
		if (d->ifindex[i] == q->ifindex)
			return 0;
	if (d->n < 64)
		d->ifindex[d->n++] = q->ifindex;
	return 0;
}

static int stream_show(int argc, char **argv)
{
	struct show_args s = { 0 };
	struct class_list *l;
	struct st2110_nl n;
	struct devs d = { 0 };
	unsigned int i;
	json_t *arr;
	int ifindex, ret = EXIT_OK, r;

	while (argc > 0) {
		if (!strcmp(*argv, "dev")) {
			NEXT_ARG();
			s.dev = *argv;
		} else if (!strcmp(*argv, "classid")) {
			NEXT_ARG();
			if (parse_classid(*argv, &s.classid))
				return errorf(EXIT_USAGE, "classid \"%s\": expected X:Y (hex, not 0)",
					      *argv);
			s.has_classid = true;
		} else if (!strcmp(*argv, "sdp")) {
			s.sdp = true;
		} else if ((r = st2110_iv_arg(&s.iv, &argc, &argv))) {
			if (r != 1)
				return r;
		} else if (!strcmp(*argv, "help")) {
			usage(stdout);
			return EXIT_OK;
		} else {
			return errorf(EXIT_USAGE, "unknown option \"%s\", try \"st2110 stream help\"",
				      *argv);
		}
		argc--;
		argv++;
	}
	if ((s.sdp || s.has_classid) && !s.dev)
		return errorf(EXIT_USAGE, "%s needs dev DEV", s.sdp ? "sdp" : "classid");
	r = st2110_iv_check(&s.iv);
	if (r)
		return r;
	if (s.sdp && s.iv.interval_s)
		return errorf(EXIT_USAGE, "sdp is printed once: no -i");
	if (open_nl(&n))
		return EXIT_RUNTIME;
	l = malloc(sizeof(*l));
	if (!l) {
		st2110_nl_close(&n);
		return errorf(EXIT_RUNTIME, "out of memory");
	}
	if (s.dev) {
		ifindex = st2110_nl_ifindex(&n, s.dev);
		if (ifindex < 0) {
			ret = errorf(EXIT_RUNTIME, "cannot find device \"%s\"", s.dev);
			goto out;
		}
		d.ifindex[d.n++] = ifindex;
	} else if (st2110_nl_dump_qdiscs(&n, 0, devs_cb, &d)) {
		ret = nl_fail(&n, "reading the qdiscs");
		goto out;
	}
	ret = st2110_iv_start(&s.iv, 4 * MAX_CLASSES);
	if (ret)
		goto out;
	do {
		st2110_iv_sample(&s.iv);
		/* -i -j: one array a sample, whatever the number of devices */
		arr = json && s.iv.interval_s ? json_array() : NULL;
		if (!json && s.iv.sample > 1 && show_stats)
			st2110_iv_print_header(&s.iv);
		else if (!json && s.iv.sample > 1)
			printf("\n");
		for (i = 0; i < d.n && ret == EXIT_OK; i++)
			ret = show_once(&n, &s, l, d.ifindex[i], arr);
		if (arr && ret == EXIT_OK)
			st2110_json_print(stdout, arr, pretty);
		else
			json_decref(arr);
	} while (ret == EXIT_OK && st2110_iv_wait(&s.iv));
	st2110_iv_end(&s.iv);
out:
	free(l);
	st2110_nl_close(&n);
	return ret;
}

/* listed in st2110.c's object table */
int do_stream(int argc, char **argv);

int do_stream(int argc, char **argv)
{
	if (argc < 1)
		return stream_show(0, NULL);
	if (!matches(*argv, "add"))
		return stream_add(argc - 1, argv + 1);
	if (!matches(*argv, "change"))
		return stream_change(argc - 1, argv + 1);
	if (!matches(*argv, "delete"))
		return stream_del(argc - 1, argv + 1);
	if (!matches(*argv, "show") || !matches(*argv, "list"))
		return stream_show(argc - 1, argv + 1);
	if (!matches(*argv, "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	return unknown_command("stream", *argv);
}
