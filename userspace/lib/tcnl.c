// SPDX-License-Identifier: GPL-2.0
/*
 * tcnl.c - option words, TCA_OPTIONS encoder/decoder and rtnetlink calls
 * for the st2110 qdisc (see tcnl.h).
 *
 * The encoder writes raw attributes rather than going through libnl or
 * iproute2's addattr so that the tc plugin, which must not link libnl,
 * sends byte for byte what the st2110 tool sends.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "numparse.h"
#include "tcnl.h"
#include "vfmt.h"

#ifndef CLOCK_TAI
#define CLOCK_TAI 11
#endif

__attribute__((format(printf, 3, 4)))
static int bad(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* ---- names ------------------------------------------------------------ */

static const char *const type_words[] = { "N", "NL", "W" };

const char *st2110_type_word(unsigned int type)
{
	return type < __TC_ST2110_TYPE_MAX ? type_words[type] : "?";
}

int st2110_type_parse(const char *s, uint8_t *type)
{
	unsigned int i;

	/* the SDP spelling (TP=2110TPNL) is accepted too */
	if (!strncasecmp(s, "2110TP", 6))
		s += 6;
	for (i = 0; i < __TC_ST2110_TYPE_MAX; i++) {
		if (!strcasecmp(s, type_words[i])) {
			*type = (uint8_t)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *st2110_packing_word(unsigned int packing)
{
	return packing == ST2110_PACKING_BPM ? "bpm" : packing == ST2110_PACKING_GPM ? "gpm" : "?";
}

const char *st2110_rtp_word(unsigned int policy)
{
	return policy == TC_ST2110_RTP_RESTAMP ? "restamp" : "follow";
}

static const struct {
	const char *name;
	uint32_t id;
} clocks[] = {
	{ "CLOCK_REALTIME", 0 }, { "CLOCK_MONOTONIC", 1 }, { "CLOCK_BOOTTIME", 7 },
	{ "CLOCK_TAI", CLOCK_TAI },
};

const char *st2110_clock_word(uint32_t clockid)
{
	size_t i;

	for (i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++)
		if (clocks[i].id == clockid)
			return clocks[i].name;
	return NULL;
}

static int clock_parse(const char *s, uint32_t *id)
{
	size_t i;

	for (i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
		if (!strcasecmp(s, clocks[i].name) || !strcasecmp(s, clocks[i].name + 6)) {
			*id = clocks[i].id;
			return 0;
		}
	}
	return -EINVAL;
}

/* "1ms", "125us", "250000ns", plain numbers are ms (as st2110-send) */
static int ptime_parse(const char *s, uint64_t *ns)
{
	size_t n = strlen(s);
	int64_t v;
	uint64_t scale = 1000000;

	if (n > 2 && !strcmp(s + n - 2, "ms")) {
		n -= 2;
	} else if (n > 2 && !strcmp(s + n - 2, "us")) {
		n -= 2;
		scale = 1000;
	} else if (n > 2 && !strcmp(s + n - 2, "ns")) {
		n -= 2;
		scale = 1;
	}
	if (st2110_parse_decimal_e9(s, n, false, &v) || v <= 0)
		return -EINVAL;
	/* v is value * 1e9; whole ns only */
	if (((uint64_t)v * scale) % 1000000000ULL)
		return -EINVAL;
	if ((uint64_t)v > UINT64_MAX / scale)
		return -EINVAL;
	*ns = (uint64_t)v * scale / 1000000000ULL;
	return *ns ? 0 : -EINVAL;
}

int st2110_audio_spec_parse(const char *s, struct st2110_audio_fmt *a, const char **reason)
{
	const char *f[4], *p = s;
	size_t flen[4];
	char buf[32];
	uint64_t v, ptime_ns, spp_x;
	struct st2110_audio_fmt t = { 0 };
	int i;

	*reason = "audio is RATE:CHANNELS:L16|L24:PTIME, e.g. 48000:2:L24:1ms";
	for (i = 0; i < 4; i++) {
		const char *c = strchr(p, ':');

		f[i] = p;
		flen[i] = c ? (size_t)(c - p) : strlen(p);
		if ((i < 3 && !c) || (i == 3 && c) || !flen[i] || flen[i] >= sizeof(buf))
			return -EINVAL;
		p = c ? c + 1 : p + flen[i];
	}
	if (flen[0] > 1 && (f[0][flen[0] - 1] == 'k' || f[0][flen[0] - 1] == 'K')) {
		int64_t khz;

		if (st2110_parse_decimal_e9(f[0], flen[0] - 1, false, &khz) || khz % 1000000)
			return -EINVAL;
		v = (uint64_t)khz / 1000000;
	} else if (st2110_parse_u64_n(f[0], flen[0], UINT32_MAX, &v)) {
		return -EINVAL;
	}
	t.rate_hz = (uint32_t)v;
	if (st2110_parse_u64_n(f[1], flen[1], 0xffff, &v))
		return -EINVAL;
	t.channels = (uint16_t)v;
	memcpy(buf, f[2], flen[2]);
	buf[flen[2]] = '\0';
	if (!strcasecmp(buf, "L16") || !strcmp(buf, "16"))
		t.depth_bits = 16;
	else if (!strcasecmp(buf, "L24") || !strcmp(buf, "24"))
		t.depth_bits = 24;
	else
		return -EINVAL;
	memcpy(buf, f[3], flen[3]);
	buf[flen[3]] = '\0';
	if (ptime_parse(buf, &ptime_ns))
		return -EINVAL;
	if (!t.rate_hz || ptime_ns > 1000000000ULL) {
		*reason = "audio packet time must be at most 1 s";
		return -EINVAL;
	}
	spp_x = ptime_ns * t.rate_hz;
	if (spp_x % 1000000000ULL) {
		*reason = "audio packet time must hold a whole number of samples";
		return -EINVAL;
	}
	t.samples_per_pkt = (uint32_t)(spp_x / 1000000000ULL);
	if (st2110_audio_validate(&t, reason))
		return -EINVAL;
	*a = t;
	return 0;
}

void st2110_audio_spec(char *buf, size_t len, const struct st2110_audio_fmt *a)
{
	uint64_t x = (uint64_t)a->samples_per_pkt * 1000000000ULL;
	uint64_t ns = a->rate_hz ? x / a->rate_hz : 0, div = 1;
	const char *unit = "ns";

	if (a->rate_hz && x % a->rate_hz) {	/* 44.1 kHz: no whole ns */
		snprintf(buf, len, "%u:%u:L%u:%uus?", a->rate_hz, a->channels,
			 a->depth_bits, (unsigned int)(ns / 1000));
		return;
	}
	if (ns % 1000000 == 0) {
		div = 1000000;
		unit = "ms";
	} else if (ns % 1000 == 0) {
		div = 1000;
		unit = "us";
	}
	snprintf(buf, len, "%u:%u:L%u:%llu%s", a->rate_hz, a->channels, a->depth_bits,
		 (unsigned long long)(ns / div), unit);
}

static const struct {
	const char *suffix;
	uint64_t mul;
} rate_units[] = {
	{ "tbit", 1000000000000ULL }, { "gbit", 1000000000ULL }, { "mbit", 1000000ULL },
	{ "kbit", 1000ULL }, { "bit", 1ULL },
};

int st2110_rate_parse(const char *s, uint64_t *bps)
{
	size_t n = strlen(s), i, sl;
	uint64_t mul = 1;
	int64_t v;

	for (i = 0; i < sizeof(rate_units) / sizeof(rate_units[0]); i++) {
		sl = strlen(rate_units[i].suffix);
		if (n > sl && !strcasecmp(s + n - sl, rate_units[i].suffix)) {
			mul = rate_units[i].mul;
			n -= sl;
			break;
		}
	}
	if (st2110_parse_decimal_e9(s, n, false, &v))
		return -EINVAL;
	/* v = value * 1e9; value * mul must be whole bits and fit */
	if ((uint64_t)v > UINT64_MAX / mul) {
		if (mul % 1000000000ULL || (uint64_t)v % 1000000000ULL ||
		    (uint64_t)v / 1000000000ULL > UINT64_MAX / mul)
			return -ERANGE;
		*bps = (uint64_t)v / 1000000000ULL * mul;
		return 0;
	}
	if (((uint64_t)v * mul) % 1000000000ULL)
		return -EINVAL;
	*bps = (uint64_t)v * mul / 1000000000ULL;
	return 0;
}

void st2110_rate_word(char *buf, size_t len, uint64_t bps)
{
	size_t i;

	for (i = 0; i < sizeof(rate_units) / sizeof(rate_units[0]); i++) {
		if (bps && bps % rate_units[i].mul == 0) {
			snprintf(buf, len, "%llu%s", (unsigned long long)(bps / rate_units[i].mul),
				 rate_units[i].suffix);
			return;
		}
	}
	snprintf(buf, len, "%llu", (unsigned long long)bps);
}

const char *st2110_class_addr(const struct st2110_class_cfg *c, bool src, char *buf,
			      size_t len)
{
	if (!inet_ntop(c->family, src ? c->src : c->dst, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

/* ---- option words ----------------------------------------------------- */

bool st2110_class_is_flag(const char *key)
{
	return !strcmp(key, "unpaced");
}

bool st2110_qdisc_is_flag(const char *key)
{
	return !strcmp(key, "offload") || !strcmp(key, "nooffload");
}

void st2110_class_init(struct st2110_class_cfg *c)
{
	memset(c, 0, sizeof(*c));
	c->video.sampling = ST2110_SAMPLING_YCBCR_422;
	c->video.depth = ST2110_DEPTH_10;
	c->video.packing = ST2110_PACKING_GPM;
	c->troffset_ns = TC_ST2110_TROFFSET_DEFAULT;
	c->lead_pkts = TC_ST2110_LEAD_DEFAULT;
}

static int u64_arg(const char *key, const char *val, uint64_t max, uint64_t *out,
		   char *err, size_t len)
{
	if (!st2110_parse_u64(val, max, out))
		return 0;
	return bad(err, len, "%s \"%s\": expected an integer 0..%llu", key, val,
		   (unsigned long long)max);
}

/* NUM, or "default": dflt, the kernel's own choice */
static int num_or_default(const char *key, const char *val, uint64_t max, uint64_t dflt,
			  uint64_t *out, char *err, size_t len)
{
	if (!strcmp(val, "default")) {
		*out = dflt;
		return 0;
	}
	return u64_arg(key, val, max, out, err, len);
}

/* A numeric address; the family must agree with the other one given. */
static int addr_arg(struct st2110_class_cfg *c, const char *key, const char *val,
		    uint8_t *out, char *err, size_t len)
{
	int family = strchr(val, ':') ? AF_INET6 : AF_INET;
	uint8_t tmp[16];

	if (inet_pton(family, val, tmp) != 1)
		return bad(err, len, "%s \"%s\": not a numeric IPv4 or IPv6 address", key, val);
	if ((c->has_match || c->has_src) && c->family && c->family != family)
		return bad(err, len, "%s \"%s\": dst and src must be of one address family",
			   key, val);
	c->family = family;
	memcpy(out, tmp, family == AF_INET ? 4 : 16);
	return 0;
}

static int sampling_parse(const char *s, uint8_t *out)
{
	unsigned int i;

	for (i = 1; i < __ST2110_SAMPLING_MAX; i++) {
		if (!strcasecmp(s, st2110_sampling_name(i))) {
			*out = (uint8_t)i;
			return 0;
		}
	}
	return -EINVAL;
}

static int depth_parse(const char *s, uint8_t *out)
{
	static const uint8_t depths[] = { ST2110_DEPTH_8, ST2110_DEPTH_10, ST2110_DEPTH_12,
					  ST2110_DEPTH_16, ST2110_DEPTH_16F };
	unsigned int i;

	for (i = 0; i < sizeof(depths); i++) {
		if (!strcasecmp(s, st2110_depth_name(depths[i]))) {
			*out = depths[i];
			return 0;
		}
	}
	return -EINVAL;
}

int st2110_class_arg(struct st2110_class_cfg *c, const char *key, const char *val,
		     char *err, size_t len)
{
	const char *reason;
	uint64_t v;
	int ret;

	if (st2110_class_is_flag(key)) {
		c->unpaced = true;
		return 0;
	}
	if (!val)
		return bad(err, len, "\"%s\" needs a value", key);
	if (!strcmp(key, "dst") || !strcmp(key, "group")) {
		ret = addr_arg(c, key, val, c->dst, err, len);
		c->has_match = !ret;
		return ret;
	}
	if (!strcmp(key, "src")) {
		ret = addr_arg(c, key, val, c->src, err, len);
		c->has_src = !ret;
		return ret;
	}
	if (!strcmp(key, "port")) {
		if (u64_arg(key, val, 65535, &v, err, len) || !v)
			return bad(err, len, "port \"%s\": expected 1..65535", val);
		c->port = (uint16_t)v;
		c->has_port = true;
		return 0;
	}
	if (!strcmp(key, "limit")) {
		if (u64_arg(key, val, TC_ST2110_CLASS_MAX_LIMIT_PKTS, &v, err, len))
			return -EINVAL;
		c->limit_pkts = (uint32_t)v;
		c->has_limit = true;
		return 0;
	}
	if (!strcmp(key, "video")) {
		if (st2110_vfmt_parse(val, &c->video, &reason))
			return bad(err, len, "video \"%s\": %s", val, reason);
		c->has_video = true;
		return 0;
	}
	if (!strcmp(key, "sampling")) {
		c->has_vsub = true;
		if (sampling_parse(val, &c->video.sampling))
			return bad(err, len, "sampling \"%s\": unknown (%s, ...)", val,
				   "YCbCr-4:2:2, YCbCr-4:4:4, YCbCr-4:2:0, RGB");
		return 0;
	}
	if (!strcmp(key, "depth")) {
		c->has_vsub = true;
		if (depth_parse(val, &c->video.depth))
			return bad(err, len, "depth \"%s\": expected %s", val, "8, 10, 12, 16 or 16f");
		return 0;
	}
	if (!strcmp(key, "packing")) {
		c->has_vsub = true;
		if (!strcasecmp(val, "gpm") || !strcasecmp(val, "2110GPM"))
			c->video.packing = ST2110_PACKING_GPM;
		else if (!strcasecmp(val, "bpm") || !strcasecmp(val, "2110BPM"))
			c->video.packing = ST2110_PACKING_BPM;
		else
			return bad(err, len, "packing \"%s\": expected %s", val, "gpm or bpm");
		return 0;
	}
	if (!strcmp(key, "payload")) {
		c->has_vsub = true;
		if (u64_arg(key, val, 65535, &v, err, len))
			return -EINVAL;
		c->video.max_payload_bytes = (uint16_t)v;
		return 0;
	}
	if (!strcmp(key, "npackets")) {
		c->has_vsub = true;
		if (u64_arg(key, val, UINT32_MAX, &v, err, len))
			return -EINVAL;
		c->npackets = (uint32_t)v;
		return 0;
	}
	if (!strcmp(key, "audio")) {
		if (st2110_audio_spec_parse(val, &c->audio, &reason))
			return bad(err, len, "audio \"%s\": %s", val, reason);
		c->has_audio = true;
		return 0;
	}
	if (!strcmp(key, "type")) {
		if (st2110_type_parse(val, &c->type))
			return bad(err, len, "type \"%s\": expected %s", val, "N, NL or W");
		c->has_type = true;
		return 0;
	}
	if (!strcmp(key, "troffset")) {
		if (num_or_default(key, val, UINT64_MAX - 1, TC_ST2110_TROFFSET_DEFAULT,
				   &c->troffset_ns, err, len))
			return -EINVAL;
		c->has_troffset = true;
		return 0;
	}
	if (!strcmp(key, "lead")) {
		if (num_or_default(key, val, UINT32_MAX - 1, TC_ST2110_LEAD_DEFAULT, &v, err, len))
			return -EINVAL;
		c->lead_pkts = (uint32_t)v;
		c->has_lead = true;
		return 0;
	}
	if (!strcmp(key, "rtp")) {
		if (!strcmp(val, st2110_rtp_word(TC_ST2110_RTP_FOLLOW)))
			c->rtp_policy = TC_ST2110_RTP_FOLLOW;
		else if (!strcmp(val, st2110_rtp_word(TC_ST2110_RTP_RESTAMP)))
			c->rtp_policy = TC_ST2110_RTP_RESTAMP;
		else
			return bad(err, len, "rtp \"%s\": expected follow or restamp", val);
		c->has_rtp = true;
		return 0;
	}
	return -ENOENT;
}

int st2110_class_check(const struct st2110_class_cfg *c, bool create, char *err, size_t len)
{
	struct st2110_video_layout l;
	struct st2110_sched s;
	const char *reason;

	if (create && !c->has_match)
		return bad(err, len, "a new stream needs its destination: dst ADDR port PORT");
	if (c->has_match != c->has_port && (create || c->has_match))
		return bad(err, len, "dst and port go together");
	if (c->has_src && !c->has_match)
		return bad(err, len, "src needs dst and port (the match is replaced whole)");
	if (c->has_video && c->has_audio)
		return bad(err, len, "video and audio exclude each other");
	if (c->has_vsub && !c->has_video)
		return bad(err, len, "sampling, depth, packing, payload and npackets need video");
	if (c->unpaced && (c->has_video || c->has_audio || c->has_type || c->has_troffset ||
			   c->has_lead || c->has_rtp))
		return bad(err, len, "unpaced takes no format options");
	if (create && !c->has_video && !c->has_audio &&
	    (c->has_type || c->has_troffset || c->has_lead || c->has_rtp))
		return bad(err, len, "type, troffset, lead and rtp need video or audio");
	if (c->has_video) {
		if (st2110_video_layout_init(&l, &c->video, &reason) ||
		    st2110_sched_init_video(&s, &l, c->has_type ? c->type : TC_ST2110_TYPE_N,
					    c->has_troffset ? c->troffset_ns :
					    ST2110_TROFFSET_DEFAULT, &reason))
			return bad(err, len, "video: %s", reason);
		if (c->has_lead && c->lead_pkts != TC_ST2110_LEAD_DEFAULT &&
		    c->lead_pkts > (c->npackets ? c->npackets : l.npackets))
			return bad(err, len, "lead: more packets than the frame has (NPACKETS)");
	}
	return 0;
}

int st2110_qdisc_arg(struct st2110_qdisc_cfg *q, const char *key, const char *val,
		     char *err, size_t len)
{
	uint64_t v;

	if (st2110_qdisc_is_flag(key)) {
		q->offload = key[0] == 'o';
		q->has_offload = true;
		return 0;
	}
	if (!val)
		return bad(err, len, "\"%s\" needs a value", key);
	if (!strcmp(key, "limit")) {
		if (u64_arg(key, val, TC_ST2110_MAX_LIMIT_PKTS, &v, err, len) ||
		    v < TC_ST2110_MIN_LIMIT_PKTS)
			return bad(err, len, "limit \"%s\": expected 1..%s", val, "1048576");
		q->limit_pkts = (uint32_t)v;
		q->has_limit = true;
		return 0;
	}
	if (!strcmp(key, "slack")) {
		if (u64_arg(key, val, TC_ST2110_MAX_TIMER_SLACK_NS, &v, err, len))
			return -EINVAL;
		q->slack_ns = (uint32_t)v;
		q->has_slack = true;
		return 0;
	}
	if (!strcmp(key, "linkrate")) {
		if (st2110_rate_parse(val, &q->link_rate_bps) ||
		    q->link_rate_bps > TC_ST2110_MAX_LINK_RATE_BPS)
			return bad(err, len, "linkrate \"%s\": expected a rate up to %s (0: ethtool)",
				   val, "1tbit");
		q->has_rate = true;
		return 0;
	}
	if (!strcmp(key, "clockid")) {
		if (clock_parse(val, &q->clockid))
			return bad(err, len, "clockid \"%s\": unknown clock (%s)", val, "CLOCK_TAI");
		q->has_clockid = true;
		return 0;
	}
	return -ENOENT;
}

/* ---- wire format ------------------------------------------------------- */

struct enc {
	uint8_t *buf;
	size_t cap, len;
	bool full;
	size_t nest[2];
	int depth;
};

static void put(struct enc *e, uint16_t type, const void *data, size_t dlen)
{
	struct nlattr *a;
	size_t need = NLA_ALIGN(NLA_HDRLEN + dlen);

	if (e->full || e->len + need > e->cap) {
		e->full = true;
		return;
	}
	a = (struct nlattr *)(e->buf + e->len);
	a->nla_type = type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + dlen);
	if (dlen)
		memcpy(e->buf + e->len + NLA_HDRLEN, data, dlen);
	memset(e->buf + e->len + NLA_HDRLEN + dlen, 0, need - NLA_HDRLEN - dlen);
	e->len += need;
}

static void put_u8(struct enc *e, uint16_t t, uint8_t v) { put(e, t, &v, 1); }
static void put_u16(struct enc *e, uint16_t t, uint16_t v) { put(e, t, &v, 2); }
static void put_u32(struct enc *e, uint16_t t, uint32_t v) { put(e, t, &v, 4); }
static void put_u64(struct enc *e, uint16_t t, uint64_t v) { put(e, t, &v, 8); }

static void nest_start(struct enc *e, uint16_t type)
{
	e->nest[e->depth++] = e->len;
	put(e, type | NLA_F_NESTED, NULL, 0);
}

static void nest_end(struct enc *e)
{
	size_t at = e->nest[--e->depth];

	if (!e->full)
		((struct nlattr *)(e->buf + at))->nla_len = (uint16_t)(e->len - at);
}

size_t st2110_qdisc_encode(const struct st2110_qdisc_cfg *q, void *buf, size_t cap)
{
	struct enc e = { .buf = buf, .cap = cap };

	if (q->has_clockid)
		put_u32(&e, TCA_ST2110_CLOCKID, q->clockid);
	if (q->has_slack)
		put_u32(&e, TCA_ST2110_TIMER_SLACK_NS, q->slack_ns);
	if (q->has_limit)
		put_u32(&e, TCA_ST2110_LIMIT_PKTS, q->limit_pkts);
	if (q->has_rate)
		put_u64(&e, TCA_ST2110_LINK_RATE_BPS, q->link_rate_bps);
	if (q->has_offload)
		put_u8(&e, TCA_ST2110_OFFLOAD, q->offload);
	return e.full ? 0 : e.len;
}

size_t st2110_class_encode(const struct st2110_class_cfg *c, void *buf, size_t cap)
{
	struct enc e = { .buf = buf, .cap = cap };
	bool v6 = c->family == AF_INET6;
	uint16_t port = htons(c->port);
	const struct st2110_video_fmt *v = &c->video;
	const struct st2110_audio_fmt *a = &c->audio;

	if (c->has_match) {
		nest_start(&e, TCA_ST2110_CLASS_MATCH);
		put(&e, v6 ? TCA_ST2110_MATCH_DST_IPV6 : TCA_ST2110_MATCH_DST_IPV4, c->dst,
		    v6 ? 16 : 4);
		put(&e, TCA_ST2110_MATCH_DST_PORT, &port, 2);
		if (c->has_src)
			put(&e, v6 ? TCA_ST2110_MATCH_SRC_IPV6 : TCA_ST2110_MATCH_SRC_IPV4, c->src,
			    v6 ? 16 : 4);
		nest_end(&e);
	}
	if (c->has_limit)
		put_u32(&e, TCA_ST2110_CLASS_LIMIT_PKTS, c->limit_pkts);
	if (c->has_video) {
		nest_start(&e, TCA_ST2110_CLASS_VIDEO);
		put_u32(&e, TCA_ST2110_VIDEO_WIDTH_PX, v->width_px);
		put_u32(&e, TCA_ST2110_VIDEO_HEIGHT_PX, v->height_px);
		put_u8(&e, TCA_ST2110_VIDEO_SCAN, v->scan);
		put_u32(&e, TCA_ST2110_VIDEO_RATE_NUM, v->rate.num);
		put_u32(&e, TCA_ST2110_VIDEO_RATE_DEN, v->rate.den);
		put_u8(&e, TCA_ST2110_VIDEO_SAMPLING, v->sampling);
		put_u8(&e, TCA_ST2110_VIDEO_DEPTH, v->depth);
		put_u8(&e, TCA_ST2110_VIDEO_PACKING, v->packing);
		if (v->max_payload_bytes)
			put_u16(&e, TCA_ST2110_VIDEO_PAYLOAD_BYTES, v->max_payload_bytes);
		if (c->npackets)
			put_u32(&e, TCA_ST2110_VIDEO_NPACKETS, c->npackets);
		nest_end(&e);
	}
	if (c->has_audio) {
		nest_start(&e, TCA_ST2110_CLASS_AUDIO);
		put_u32(&e, TCA_ST2110_AUDIO_RATE_HZ, a->rate_hz);
		put_u16(&e, TCA_ST2110_AUDIO_CHANNELS, a->channels);
		put_u8(&e, TCA_ST2110_AUDIO_DEPTH_BITS, a->depth_bits);
		put_u32(&e, TCA_ST2110_AUDIO_SAMPLES_PER_PKT, a->samples_per_pkt);
		nest_end(&e);
	}
	if (c->has_type)
		put_u8(&e, TCA_ST2110_CLASS_TYPE, c->type);
	if (c->has_troffset)
		put_u64(&e, TCA_ST2110_CLASS_TROFFSET_NS, c->troffset_ns);
	if (c->has_lead)
		put_u32(&e, TCA_ST2110_CLASS_LEAD_PKTS, c->lead_pkts);
	if (c->has_rtp)
		put_u8(&e, TCA_ST2110_CLASS_RTP_POLICY, c->rtp_policy);
	if (c->unpaced)
		put(&e, TCA_ST2110_CLASS_UNPACED, NULL, 0);
	return e.full ? 0 : e.len;
}

/* Walk attributes: calls fn(type, data, len) for each; -EINVAL if malformed. */
static int walk(const void *buf, size_t len, int (*fn)(void *ctx, unsigned int type,
						       const uint8_t *d, size_t dl), void *ctx)
{
	const uint8_t *p = buf;
	const struct nlattr *a;
	int ret;

	while (len >= NLA_HDRLEN) {
		a = (const struct nlattr *)p;
		if (a->nla_len < NLA_HDRLEN || a->nla_len > len)
			return -EINVAL;
		ret = fn(ctx, a->nla_type & NLA_TYPE_MASK, p + NLA_HDRLEN,
			 a->nla_len - NLA_HDRLEN);
		if (ret)
			return ret;
		if ((size_t)NLA_ALIGN(a->nla_len) >= len)
			break;
		p += (size_t)NLA_ALIGN(a->nla_len);
		len -= (size_t)NLA_ALIGN(a->nla_len);
	}
	return 0;
}

static uint64_t get_uint(const uint8_t *d, size_t dl)
{
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	switch (dl) {
	case 1: memcpy(&u8, d, 1); return u8;
	case 2: memcpy(&u16, d, 2); return u16;
	case 4: memcpy(&u32, d, 4); return u32;
	case 8: memcpy(&u64, d, 8); return u64;
	}
	return 0;
}

static int qdisc_attr(void *ctx, unsigned int type, const uint8_t *d, size_t dl)
{
	struct st2110_qdisc_cfg *q = ctx;

	switch (type) {
	case TCA_ST2110_PAD:
		return 0;
	case TCA_ST2110_CLOCKID:
		q->has_clockid = true;
		q->clockid = (uint32_t)get_uint(d, dl);
		return 0;
	case TCA_ST2110_TIMER_SLACK_NS:
		q->has_slack = true;
		q->slack_ns = (uint32_t)get_uint(d, dl);
		return 0;
	case TCA_ST2110_LIMIT_PKTS:
		q->has_limit = true;
		q->limit_pkts = (uint32_t)get_uint(d, dl);
		return 0;
	case TCA_ST2110_LINK_RATE_BPS:
		q->has_rate = true;
		q->link_rate_bps = get_uint(d, dl);
		return 0;
	case TCA_ST2110_OFFLOAD:
		q->has_offload = true;
		q->offload = (uint8_t)get_uint(d, dl);
		return 0;
	}
	q->unknown_attrs++;
	return 0;
}

int st2110_qdisc_decode(struct st2110_qdisc_cfg *q, const void *buf, size_t len)
{
	memset(q, 0, sizeof(*q));
	return walk(buf, len, qdisc_attr, q);
}

static int match_attr(void *ctx, unsigned int type, const uint8_t *d, size_t dl)
{
	struct st2110_class_cfg *c = ctx;

	switch (type) {
	case TCA_ST2110_MATCH_DST_IPV4:
	case TCA_ST2110_MATCH_DST_IPV6:
		if (dl != (type == TCA_ST2110_MATCH_DST_IPV4 ? 4U : 16U))
			return -EINVAL;
		c->family = dl == 4 ? AF_INET : AF_INET6;
		memcpy(c->dst, d, dl);
		c->has_match = true;
		return 0;
	case TCA_ST2110_MATCH_SRC_IPV4:
	case TCA_ST2110_MATCH_SRC_IPV6:
		if (dl != (type == TCA_ST2110_MATCH_SRC_IPV4 ? 4U : 16U))
			return -EINVAL;
		memcpy(c->src, d, dl);
		c->has_src = true;
		return 0;
	case TCA_ST2110_MATCH_DST_PORT:
		if (dl != 2)
			return -EINVAL;
		c->port = ntohs((uint16_t)get_uint(d, dl));
		c->has_port = true;
		return 0;
	}
	c->unknown_attrs++;
	return 0;
}

static int video_attr(void *ctx, unsigned int type, const uint8_t *d, size_t dl)
{
	struct st2110_class_cfg *c = ctx;
	struct st2110_video_fmt *v = &c->video;
	uint64_t x = get_uint(d, dl);

	switch (type) {
	case TCA_ST2110_VIDEO_WIDTH_PX: v->width_px = (uint32_t)x; break;
	case TCA_ST2110_VIDEO_HEIGHT_PX: v->height_px = (uint32_t)x; break;
	case TCA_ST2110_VIDEO_SCAN: v->scan = (uint8_t)x; break;
	case TCA_ST2110_VIDEO_RATE_NUM: v->rate.num = (uint32_t)x; break;
	case TCA_ST2110_VIDEO_RATE_DEN: v->rate.den = (uint32_t)x; break;
	case TCA_ST2110_VIDEO_SAMPLING: v->sampling = (uint8_t)x; break;
	case TCA_ST2110_VIDEO_DEPTH: v->depth = (uint8_t)x; break;
	case TCA_ST2110_VIDEO_PACKING: v->packing = (uint8_t)x; break;
	case TCA_ST2110_VIDEO_PAYLOAD_BYTES: v->max_payload_bytes = (uint16_t)x; break;
	case TCA_ST2110_VIDEO_NPACKETS: c->npackets = (uint32_t)x; break;
	default: c->unknown_attrs++;
	}
	return 0;
}

static int audio_attr(void *ctx, unsigned int type, const uint8_t *d, size_t dl)
{
	struct st2110_class_cfg *c = ctx;
	struct st2110_audio_fmt *a = &c->audio;
	uint64_t x = get_uint(d, dl);

	switch (type) {
	case TCA_ST2110_AUDIO_RATE_HZ: a->rate_hz = (uint32_t)x; break;
	case TCA_ST2110_AUDIO_CHANNELS: a->channels = (uint16_t)x; break;
	case TCA_ST2110_AUDIO_DEPTH_BITS: a->depth_bits = (uint8_t)x; break;
	case TCA_ST2110_AUDIO_SAMPLES_PER_PKT: a->samples_per_pkt = (uint32_t)x; break;
	default: c->unknown_attrs++;
	}
	return 0;
}

static int class_attr(void *ctx, unsigned int type, const uint8_t *d, size_t dl)
{
	struct st2110_class_cfg *c = ctx;

	switch (type) {
	case TCA_ST2110_CLASS_PAD:
		return 0;
	case TCA_ST2110_CLASS_MATCH:
		return walk(d, dl, match_attr, c);
	case TCA_ST2110_CLASS_LIMIT_PKTS:
		c->has_limit = true;
		c->limit_pkts = (uint32_t)get_uint(d, dl);
		return 0;
	case TCA_ST2110_CLASS_VIDEO:
		c->has_video = true;
		memset(&c->video, 0, sizeof(c->video));
		return walk(d, dl, video_attr, c);
	case TCA_ST2110_CLASS_AUDIO:
		c->has_audio = true;
		return walk(d, dl, audio_attr, c);
	case TCA_ST2110_CLASS_TYPE:
		c->has_type = true;
		c->type = (uint8_t)get_uint(d, dl);
		return 0;
	case TCA_ST2110_CLASS_TROFFSET_NS:
		c->has_troffset = true;
		c->troffset_ns = get_uint(d, dl);
		return 0;
	case TCA_ST2110_CLASS_LEAD_PKTS:
		c->has_lead = true;
		c->lead_pkts = (uint32_t)get_uint(d, dl);
		return 0;
	case TCA_ST2110_CLASS_RTP_POLICY:
		c->has_rtp = true;
		c->rtp_policy = (uint8_t)get_uint(d, dl);
		return 0;
	case TCA_ST2110_CLASS_UNPACED:
		c->unpaced = true;
		return 0;
	}
	c->unknown_attrs++;
	return 0;
}

int st2110_class_decode(struct st2110_class_cfg *c, const void *buf, size_t len)
{
	st2110_class_init(c);
	return walk(buf, len, class_attr, c);
}

void st2110_xstats_copy(void *dst, size_t dst_len, const void *src, size_t src_len)
{
	memset(dst, 0, dst_len);
	memcpy(dst, src, src_len < dst_len ? src_len : dst_len);
}

#ifndef TCNL_NO_LIBNL
/* ---- rtnetlink ------------------------------------------------------------- */

#include <net/if.h>
#include <linux/gen_stats.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <netlink/route/link.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

static int nl_open(struct st2110_nl *n, int protocol)
{
	int one = 1;

	memset(n, 0, sizeof(*n));
	n->sk = nl_socket_alloc();
	if (!n->sk)
		return -ENOMEM;
	if (nl_connect(n->sk, protocol) < 0) {
		nl_socket_free(n->sk);
		n->sk = NULL;
		return -ENOTCONN;
	}
	/* the kernel's extack text is what the user needs to read */
	setsockopt(nl_socket_get_fd(n->sk), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl_socket_get_fd(n->sk), SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	return 0;
}

int st2110_nl_open(struct st2110_nl *n)
{
	return nl_open(n, NETLINK_ROUTE);
}

int st2110_nl_open_generic(struct st2110_nl *n)
{
	return nl_open(n, NETLINK_GENERIC);
}

void st2110_nl_close(struct st2110_nl *n)
{
	if (n->sk)
		nl_socket_free(n->sk);
	n->sk = NULL;
}

int st2110_nl_ifindex(struct st2110_nl *n, const char *name)
{
	struct rtnl_link *link;
	int ifindex;

	if (!name[0] || strlen(name) >= IFNAMSIZ ||
	    rtnl_link_get_kernel(n->sk, 0, name, &link) < 0)
		return -ENODEV;
	ifindex = rtnl_link_get_ifindex(link);
	rtnl_link_put(link);
	return ifindex;
}

const char *st2110_nl_ifname(struct st2110_nl *n, int ifindex, char *buf, size_t len)
{
	struct rtnl_link *link;

	if (rtnl_link_get_kernel(n->sk, ifindex, NULL, &link) < 0) {
		snprintf(buf, len, "?");
		return buf;
	}
	snprintf(buf, len, "%s", rtnl_link_get_name(link));
	rtnl_link_put(link);
	return buf;
}

static int err_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	struct st2110_nl *n = arg;
	size_t off = NLMSG_HDRLEN + sizeof(*e);

	(void)nla;
	n->err = -e->error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NL_STOP;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	if (off < nlh->nlmsg_len &&
	    !nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)nlh + off),
		       (int)(nlh->nlmsg_len - off), NULL) && tb[NLMSGERR_ATTR_MSG])
		snprintf(n->extack, sizeof(n->extack), "%.*s", nla_len(tb[NLMSGERR_ATTR_MSG]),
			 (char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
	return NL_STOP;
}

static int ack_cb(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_STOP;
}

int st2110_nl_transact(struct st2110_nl *n, struct nl_msg *msg,
		       int (*valid)(struct nl_msg *msg, void *arg),
		       void *arg)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int err;

	n->err = 0;
	n->extack[0] = '\0';
	if (!cb)
		return -ENOMEM;
	nl_cb_err(cb, NL_CB_CUSTOM, err_cb, n);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, ack_cb, n);
	if (valid)
		nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, valid, arg);
	err = nl_send_auto(n->sk, msg);
	if (err >= 0) {
		err = nl_recvmsgs(n->sk, cb);
		if (err < 0 && !n->err)
			n->err = err == -NLE_PERM ? EPERM : EIO;
	} else if (!n->err) {
		n->err = EIO;
	}
	nl_cb_put(cb);
	return -n->err;
}

static struct nl_msg *tc_msg(int cmd, int flags, int ifindex, uint32_t parent,
			     uint32_t handle, const char *kind)
{
	struct tcmsg t = { .tcm_family = AF_UNSPEC, .tcm_ifindex = ifindex,
			   .tcm_parent = parent, .tcm_handle = handle };
	struct nl_msg *msg = nlmsg_alloc_simple(cmd, flags | NLM_F_REQUEST | NLM_F_ACK);

	if (!msg)
		return NULL;
	if (nlmsg_append(msg, &t, sizeof(t), NLMSG_ALIGNTO) < 0 ||
	    (kind && nla_put_string(msg, TCA_KIND, kind) < 0)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int put_options(struct nl_msg *msg, const void *buf, size_t len)
{
	struct nlattr *nest = nla_nest_start(msg, TCA_OPTIONS | NLA_F_NESTED);

	if (!nest)
		return -ENOMEM;
	/* the encoded payload is a sequence of complete attributes */
	if (len && nlmsg_append(msg, (void *)buf, len, NLA_ALIGNTO) < 0)
		return -ENOMEM;
	nla_nest_end(msg, nest);
	return 0;
}

/* Send msg with TCA_OPTIONS opts (NULL: none), then free it. */
static int tc_send(struct st2110_nl *n, struct nl_msg *msg, const void *opts, size_t len)
{
	int err = -ENOMEM;

	if (!opts || !put_options(msg, opts, len))
		err = st2110_nl_transact(n, msg, NULL, NULL);
	nlmsg_free(msg);
	return err;
}

int st2110_nl_qdisc(struct st2110_nl *n, int cmd, int flags, int ifindex,
		    uint32_t parent, uint32_t handle, const char *kind,
		    const struct st2110_qdisc_cfg *cfg)
{
	uint8_t opts[ST2110_OPT_MAX_BYTES];
	struct nl_msg *msg = tc_msg(cmd, flags, ifindex, parent, handle, kind);
	size_t len = 0;

	if (!msg)
		return -ENOMEM;
	if (cfg)
		len = st2110_qdisc_encode(cfg, opts, sizeof(opts));
	return tc_send(n, msg, cfg ? opts : NULL, len);
}

int st2110_nl_class(struct st2110_nl *n, int cmd, int flags, int ifindex,
		    uint32_t parent, uint32_t classid, const struct st2110_class_cfg *cfg)
{
	uint8_t opts[ST2110_OPT_MAX_BYTES];
	struct nl_msg *msg;
	size_t len;

	msg = tc_msg(cmd, flags, ifindex, parent, classid,
		     cmd == RTM_NEWTCLASS ? ST2110_TC_KIND : NULL);
	if (!msg)
		return -ENOMEM;
	if (!cfg || cmd != RTM_NEWTCLASS)
		return tc_send(n, msg, NULL, 0);
	len = st2110_class_encode(cfg, opts, sizeof(opts));
	if (!len && (cfg->has_match || cfg->has_video || cfg->has_audio)) {
		nlmsg_free(msg);
		return -E2BIG;
	}
	return tc_send(n, msg, opts, len);
}

/* The attribute's payload into a struct of any size (older or newer). */
static void attr_copy(void *dst, size_t len, const struct nlattr *a)
{
	st2110_xstats_copy(dst, len, nla_data(a), (size_t)nla_len(a));
}

/* TCA_STATS2; xstats (TCA_STATS_APP) only where it is ours, else NULL. */
static void parse_stats(struct nlattr *st2, struct st2110_tc_stats *s, void *xstats,
			size_t xstats_len, bool *has_xstats)
{
	struct nlattr *tb[TCA_STATS_MAX + 1];
	struct gnet_stats_basic b;
	struct gnet_stats_queue q;

	if (!st2 || nla_parse_nested(tb, TCA_STATS_MAX, st2, NULL) < 0)
		return;
	if (tb[TCA_STATS_BASIC]) {
		attr_copy(&b, sizeof(b), tb[TCA_STATS_BASIC]);
		s->bytes = b.bytes;
		s->packets = b.packets;
	}
	if (tb[TCA_STATS_QUEUE]) {
		attr_copy(&q, sizeof(q), tb[TCA_STATS_QUEUE]);
		s->drops = q.drops;
		s->overlimits = q.overlimits;
		s->qlen = q.qlen;
		s->backlog_bytes = q.backlog;
		s->requeues = q.requeues;
	}
	if (xstats && tb[TCA_STATS_APP]) {
		attr_copy(xstats, xstats_len, tb[TCA_STATS_APP]);
		*has_xstats = true;
	}
}

struct dump_ctx {
	int ifindex;
	bool classes;
	int (*qcb)(const struct st2110_nl_qdisc *q, void *arg);
	int (*ccb)(const struct st2110_nl_class *c, void *arg);
	void *arg;
	int ret;
};

static int dump_valid(struct nl_msg *msg, void *arg)
{
	struct dump_ctx *d = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct tcmsg *t = nlmsg_data(nlh);
	struct nlattr *tb[TCA_MAX + 1];
	bool st;

	if (nlmsg_parse(nlh, sizeof(*t), tb, TCA_MAX, NULL) < 0 || d->ret)
		return NL_SKIP;
	if (d->ifindex && t->tcm_ifindex != d->ifindex)
		return NL_SKIP;
	st = tb[TCA_KIND] && !strcmp(nla_get_string(tb[TCA_KIND]), ST2110_TC_KIND);
	if (d->classes) {
		struct st2110_nl_class c;

		memset(&c, 0, sizeof(c));
		c.ifindex = t->tcm_ifindex;
		c.classid = t->tcm_handle;
		c.parent = t->tcm_parent;
		if (tb[TCA_KIND])
			snprintf(c.kind, sizeof(c.kind), "%s", nla_get_string(tb[TCA_KIND]));
		c.is_st2110 = st;
		st2110_class_init(&c.cfg);
		if (st && tb[TCA_OPTIONS])
			c.has_opts = !st2110_class_decode(&c.cfg, nla_data(tb[TCA_OPTIONS]),
							  (size_t)nla_len(tb[TCA_OPTIONS]));
		parse_stats(tb[TCA_STATS2], &c.stats, st ? &c.xstats : NULL, sizeof(c.xstats),
			    &c.has_xstats);
		d->ret = d->ccb(&c, d->arg);
	} else {
		struct st2110_nl_qdisc q;

		memset(&q, 0, sizeof(q));
		q.ifindex = t->tcm_ifindex;
		q.handle = t->tcm_handle;
		q.parent = t->tcm_parent;
		if (tb[TCA_KIND])
			snprintf(q.kind, sizeof(q.kind), "%s", nla_get_string(tb[TCA_KIND]));
		q.is_st2110 = st;
		if (st && tb[TCA_OPTIONS])
			q.has_opts = !st2110_qdisc_decode(&q.cfg, nla_data(tb[TCA_OPTIONS]),
							  (size_t)nla_len(tb[TCA_OPTIONS]));
		parse_stats(tb[TCA_STATS2], &q.stats, st ? &q.xstats : NULL, sizeof(q.xstats),
			    &q.has_xstats);
		d->ret = d->qcb(&q, d->arg);
	}
	return NL_OK;
}

static int dump(struct st2110_nl *n, int cmd, struct dump_ctx *d)
{
	struct tcmsg t = { .tcm_family = AF_UNSPEC, .tcm_ifindex = d->ifindex };
	struct nl_msg *msg = nlmsg_alloc_simple(cmd, NLM_F_REQUEST | NLM_F_DUMP);
	int err;

	if (!msg)
		return -ENOMEM;
	if (nlmsg_append(msg, &t, sizeof(t), NLMSG_ALIGNTO) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	err = st2110_nl_transact(n, msg, dump_valid, d);
	nlmsg_free(msg);
	if (err)
		return err;
	return d->ret;
}

int st2110_nl_dump_qdiscs(struct st2110_nl *n, int ifindex,
			  int (*cb)(const struct st2110_nl_qdisc *q, void *arg), void *arg)
{
	struct dump_ctx d = { .ifindex = ifindex, .qcb = cb, .arg = arg };

	return dump(n, RTM_GETQDISC, &d);
}

int st2110_nl_dump_classes(struct st2110_nl *n, int ifindex,
			   int (*cb)(const struct st2110_nl_class *c, void *arg), void *arg)
{
	struct dump_ctx d = { .ifindex = ifindex, .classes = true, .ccb = cb, .arg = arg };

	return dump(n, RTM_GETTCLASS, &d);
}

static int root_cb(const struct st2110_nl_qdisc *q, void *arg)
{
	struct st2110_nl_qdisc *out = arg;

	if (q->parent == TC_H_ROOT && !out->ifindex)
		*out = *q;
	return 0;
}

int st2110_nl_root_qdisc(struct st2110_nl *n, int ifindex, struct st2110_nl_qdisc *out)
{
	int err;

	memset(out, 0, sizeof(*out));
	err = st2110_nl_dump_qdiscs(n, ifindex, root_cb, out);
	if (err)
		return err;
	return out->ifindex ? 0 : -ENOENT;
}
#endif /* TCNL_NO_LIBNL */
