// SPDX-License-Identifier: GPL-2.0
/*
 * sdp.c - strict SDP reader and canonical writer for ST 2110 (see sdp.h).
 *
 * One pass over a private copy of the text: each line is checked against
 * the RFC 4566 grammar and order and parsed as far as it can be on its own.
 * A media description is finished (session defaults applied, its fmtp
 * interpreted for the encoding its rtpmap names, the result validated by
 * the timing core) when the next m= line or the end of the text is reached,
 * because a= lines may come in any order.  Groups are resolved last, once
 * every a=mid is known.
 *
 * Documentation/sdp.md explains why this parser exists (rather than
 * gst-sdp or sofia-sip) and every accept/reject decision.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sdp.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* RFC 4566 §5 order: session v o s i u e p c b t r z k a, media m i c b k a */
static const char session_order[] = "vosiuepcbtrzka";
static const char media_order[] = "micbka";

struct conn {
	struct st2110_sdp_addr addr;
	uint8_t ttl;
	uint16_t count;
};

struct mediaclk {
	uint64_t rate_num, rate_den;	/* 0/0: no rate= */
};

/* What a media description said, line by line, until it is finished. */
struct media_state {
	unsigned int m_line, c_line, rtpmap_line, fmtp_line, ptime_line;
	unsigned int maxptime_line, framecount_line, mediaclk_line;
	unsigned int filter_line, refclk_line, mid_line, ssrc_line;
	char *fmtp;			/* parameters after "<pt> " */
	uint64_t ptime_ns;
	uint32_t framecount;
	struct conn c;
	struct mediaclk mclk;
};

struct parser {
	struct st2110_sdp *sdp;
	struct st2110_sdp_diag *err;
	/* session level */
	unsigned int c_line, filter_line, refclk_line, mediaclk_line;
	struct conn c;
	struct st2110_sdp_filter filter;
	unsigned int nrefclk;
	struct st2110_sdp_refclk refclk[ST2110_SDP_MAX_REFCLKS];
	struct mediaclk mclk;
	unsigned int ngroup_lines;
	unsigned int group_line[ST2110_SDP_MAX_GROUPS];
	char *group_mids[ST2110_SDP_MAX_GROUPS];
	struct media_state m[ST2110_SDP_MAX_STREAMS];
	/* grammar state */
	bool in_media;
	int rank;			/* index in session_order/media_order */
	char seen[26];			/* letters seen in this section */
};

/* ---- messages ---------------------------------------------------------- */

struct qbuf {
	char b[80];
};

/* 'text' for a message: at most 48 characters, non-printables as \xHH. */
static const char *quote(struct qbuf *q, const char *s)
{
	size_t o = 0, n = 0;

	q->b[o++] = '\'';
	for (; *s && n < 48 && o + 4 + 5 < sizeof(q->b); s++, n++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f) {
			snprintf(q->b + o, sizeof(q->b) - o, "\\x%02x", c);
			o += 4;
		} else {
			q->b[o++] = (char)c;
		}
	}
	if (*s) {
		memcpy(q->b + o, "...", 3);
		o += 3;
	}
	q->b[o++] = '\'';
	q->b[o] = '\0';
	return q->b;
}

#define Q(s)	quote(&(struct qbuf){ { 0 } }, (s))

static void set_diag(struct st2110_sdp_diag *d, unsigned int line,
		     const char *fmt, va_list ap)
{
	d->line = line;
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
}

__attribute__((format(printf, 3, 4)))
static int fail(struct parser *p, unsigned int line, const char *fmt, ...)
{
	va_list ap;

	if (p->err->msg[0])		/* keep the first error */
		return -EINVAL;
	va_start(ap, fmt);
	set_diag(p->err, line, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

__attribute__((format(printf, 3, 4)))
static void warn(struct parser *p, unsigned int line, const char *fmt, ...)
{
	struct st2110_sdp *sdp = p->sdp;
	va_list ap;

	if (sdp->nwarning == ST2110_SDP_MAX_WARNINGS) {
		sdp->warnings_dropped++;
		return;
	}
	va_start(ap, fmt);
	set_diag(&sdp->warning[sdp->nwarning++], line, fmt, ap);
	va_end(ap);
}

const char *st2110_sdp_format_diag(char *buf, size_t size, const char *name,
				   const struct st2110_sdp_diag *d)
{
	if (d->line)
		snprintf(buf, size, "%s:%u: %s", name, d->line, d->msg);
	else
		snprintf(buf, size, "%s: %s", name, d->msg);
	return buf;
}

void st2110_sdp_print_warnings(FILE *f, const char *prefix, const char *name,
			       const struct st2110_sdp *sdp)
{
	unsigned int i;

	for (i = 0; i < sdp->nwarning && i < ST2110_SDP_MAX_WARNINGS; i++) {
		if (sdp->warning[i].line)
			fprintf(f, "%s%s:%u: warning: %s\n", prefix, name,
				sdp->warning[i].line, sdp->warning[i].msg);
		else
			fprintf(f, "%s%s: warning: %s\n", prefix, name, sdp->warning[i].msg);
	}
	if (sdp->warnings_dropped)
		fprintf(f, "%s%s: %u more warnings\n", prefix, name, sdp->warnings_dropped);
}

/* ---- names ------------------------------------------------------------- */

#define NAME(table, i) \
	((i) < ARRAY_SIZE(table) && table[i] ? table[i] : "?")

static const char *const media_names[] = {
	[ST2110_SDP_VIDEO] = "video", [ST2110_SDP_AUDIO] = "audio",
	[ST2110_SDP_ANC] = "anc",
};
static const char *const type_names[] = {
	[ST2110_TYPE_N] = "2110TPN", [ST2110_TYPE_NL] = "2110TPNL",
	[ST2110_TYPE_W] = "2110TPW",
};
static const char *const packing_names[] = {
	[ST2110_PACKING_GPM] = "2110GPM", [ST2110_PACKING_BPM] = "2110BPM",
};
static const char *const scan_names[] = {
	[ST2110_SCAN_PROGRESSIVE] = "progressive",
	[ST2110_SCAN_INTERLACED] = "interlaced", [ST2110_SCAN_PSF] = "psf",
};
static const char *const colorimetry_names[] = {
	[ST2110_COLORIMETRY_BT601] = "BT601", [ST2110_COLORIMETRY_BT709] = "BT709",
	[ST2110_COLORIMETRY_BT2020] = "BT2020", [ST2110_COLORIMETRY_BT2100] = "BT2100",
	[ST2110_COLORIMETRY_ST2065_1] = "ST2065-1",
	[ST2110_COLORIMETRY_ST2065_3] = "ST2065-3",
	[ST2110_COLORIMETRY_UNSPECIFIED] = "UNSPECIFIED",
	[ST2110_COLORIMETRY_XYZ] = "XYZ", [ST2110_COLORIMETRY_ALPHA] = "ALPHA",
};
static const char *const tcs_names[] = {
	[ST2110_TCS_SDR] = "SDR", [ST2110_TCS_PQ] = "PQ", [ST2110_TCS_HLG] = "HLG",
	[ST2110_TCS_LINEAR] = "LINEAR", [ST2110_TCS_BT2100LINPQ] = "BT2100LINPQ",
	[ST2110_TCS_BT2100LINHLG] = "BT2100LINHLG",
	[ST2110_TCS_ST2065_1] = "ST2065-1", [ST2110_TCS_ST428_1] = "ST428-1",
	[ST2110_TCS_DENSITY] = "DENSITY", [ST2110_TCS_ST2115LOGS3] = "ST2115LOGS3",
	[ST2110_TCS_UNSPECIFIED] = "UNSPECIFIED",
};
static const char *const range_names[] = {
	[ST2110_RANGE_NARROW] = "NARROW", [ST2110_RANGE_FULLPROTECT] = "FULLPROTECT",
	[ST2110_RANGE_FULL] = "FULL",
};
static const char *const ssn_names[] = {
	[ST2110_SSN_2017] = "ST2110-20:2017", [ST2110_SSN_2022] = "ST2110-20:2022",
};
static const char *const ptp_version_names[] = {
	[ST2110_PTP_VERSION_NONE] = "", [ST2110_PTP_IEEE1588_2002] = "IEEE1588-2002",
	[ST2110_PTP_IEEE1588_2008] = "IEEE1588-2008",
	[ST2110_PTP_IEEE1588_2019] = "IEEE1588-2019",
	[ST2110_PTP_IEEE802_1AS_2011] = "IEEE802.1AS-2011",
};

const char *st2110_sdp_media_name(unsigned int m) { return NAME(media_names, m); }
const char *st2110_sdp_type_name(unsigned int t) { return NAME(type_names, t); }
const char *st2110_sdp_packing_name(unsigned int p) { return NAME(packing_names, p); }
const char *st2110_sdp_scan_name(unsigned int s) { return NAME(scan_names, s); }
const char *st2110_sdp_colorimetry_name(unsigned int c) { return NAME(colorimetry_names, c); }
const char *st2110_sdp_tcs_name(unsigned int t) { return NAME(tcs_names, t); }
const char *st2110_sdp_range_name(unsigned int r) { return NAME(range_names, r); }
const char *st2110_sdp_ssn_name(unsigned int s) { return NAME(ssn_names, s); }
const char *st2110_sdp_ptp_version_name(unsigned int v) { return NAME(ptp_version_names, v); }

/* Index of s in table[1..n-1] (case-sensitive, as ST 2110 spells them), or 0. */
static unsigned int lookup(const char *const *table, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (table[i] && table[i][0] && !strcmp(table[i], s))
			return (unsigned int)i;
	return n;			/* not found */
}

#define LOOKUP(table, s)	lookup(table, ARRAY_SIZE(table), s)
#define NOT_FOUND(table)	ARRAY_SIZE(table)

unsigned int st2110_sdp_colorimetry_lookup(const char *name)
{
	unsigned int c = LOOKUP(colorimetry_names, name);

	return c == NOT_FOUND(colorimetry_names) ? 0 : c;
}

/* ---- lexical helpers --------------------------------------------------- */

static bool is_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* A decimal number without sign or spaces, at most max. */
static bool parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (!is_digits(s))
		return false;
	for (; *s; s++) {
		unsigned int d = (unsigned int)(*s - '0');

		if (v > (max - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

static bool parse_u32(const char *s, uint32_t max, uint32_t *out)
{
	uint64_t v;

	if (!parse_u64(s, max, &v))
		return false;
	*out = (uint32_t)v;
	return true;
}

/* Milliseconds with up to 6 decimals ("1", "1.000", "0.125") in ns, < 10 s. */
static bool parse_ms(const char *s, uint64_t *ns)
{
	uint64_t ms = 0, frac = 0, scale = 1000000;
	const char *dot = strchr(s, '.');
	char ip[8];
	size_t n = dot ? (size_t)(dot - s) : strlen(s);

	if (!n || n >= sizeof(ip))
		return false;
	memcpy(ip, s, n);
	ip[n] = '\0';
	if (!parse_u64(ip, 9999, &ms))
		return false;
	if (dot) {
		const char *f = dot + 1;

		if (!*f || strlen(f) > 6 || !is_digits(f))
			return false;
		for (; *f; f++) {
			scale /= 10;
			frac += (uint64_t)(*f - '0') * scale;
		}
	}
	*ns = ms * 1000000 + frac;
	return true;
}

static bool is_token_char(int c)
{
	/*
	 * RFC 4566 token-char: %x21 / %x23-27 / %x2A-2B / %x2D-2E / %x30-39 /
	 * %x41-5A / %x5E-7E
	 */
	return c == 0x21 || (c >= 0x23 && c <= 0x27) || c == 0x2a || c == 0x2b ||
	       c == 0x2d || c == 0x2e || (c >= 0x30 && c <= 0x39) ||
	       (c >= 0x41 && c <= 0x5a) || (c >= 0x5e && c <= 0x7e);
}

static bool is_token(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!is_token_char((unsigned char)*s))
			return false;
	return true;
}

/* An attribute or fmtp value that may hold any visible character but ';'. */
static bool is_value(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < 0x21 || *s > 0x7e || *s == ';')
			return false;
	return true;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

/* Split on runs of spaces in place; -1 if there are more than max fields. */
static int split(char *s, char **tok, int max)
{
	int n = 0;

	for (;;) {
		while (*s == ' ')
			s++;
		if (!*s)
			return n;
		if (n == max)
			return -1;
		tok[n++] = s;
		while (*s && *s != ' ')
			s++;
		if (*s)
			*s++ = '\0';
	}
}

static bool copy_str(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (n >= size)
		return false;
	memcpy(dst, src, n + 1);
	return true;
}

static bool parse_addr(const char *s, int family, struct st2110_sdp_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(family, s, family == AF_INET ? (void *)&a->u.v4 : (void *)&a->u.v6) != 1)
		return false;
	a->family = family;
	return true;
}

static bool addr_is_multicast(const struct st2110_sdp_addr *a)
{
	if (a->family == AF_INET)
		return (ntohl(a->u.v4.s_addr) >> 28) == 0xe;
	return a->u.v6.s6_addr[0] == 0xff;
}

bool st2110_sdp_addr_equal(const struct st2110_sdp_addr *a, const struct st2110_sdp_addr *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == AF_INET)
		return a->u.v4.s_addr == b->u.v4.s_addr;
	if (a->family == AF_INET6)
		return !memcmp(&a->u.v6, &b->u.v6, sizeof(a->u.v6));
	return true;
}

const char *st2110_sdp_addr_str(const struct st2110_sdp_addr *a, char *buf, size_t size)
{
	if (!a->family || !inet_ntop(a->family, &a->u, buf, (socklen_t)size))
		snprintf(buf, size, "-");
	return buf;
}

/* "IP4" / "IP6" */
static int addrtype(const char *s)
{
	if (!strcmp(s, "IP4"))
		return AF_INET;
	if (!strcmp(s, "IP6"))
		return AF_INET6;
	return 0;
}

/* ---- session lines ----------------------------------------------------- */

static int parse_v(struct parser *p, unsigned int ln, char *v)
{
	if (strcmp(v, "0"))
		return fail(p, ln, "v=: unsupported protocol version %s (only 0)", Q(v));
	return 0;
}

static int parse_o(struct parser *p, unsigned int ln, char *v)
{
	struct st2110_sdp *sdp = p->sdp;
	struct st2110_sdp_addr a;
	char *t[6];

	if (split(v, t, 6) != 6)
		return fail(p, ln, "o=: expected '<username> <sess-id> <sess-version> IN IP4|IP6 <address>'");
	if (!is_token(t[0]) || !copy_str(sdp->user, sizeof(sdp->user), t[0]))
		return fail(p, ln, "o=: bad username %s", Q(t[0]));
	if (!parse_u64(t[1], UINT64_MAX, &sdp->sess_id))
		return fail(p, ln, "o=: sess-id %s is not a 64-bit decimal number", Q(t[1]));
	if (!parse_u64(t[2], UINT64_MAX, &sdp->sess_version))
		return fail(p, ln, "o=: sess-version %s is not a 64-bit decimal number", Q(t[2]));
	if (strcmp(t[3], "IN"))
		return fail(p, ln, "o=: network type %s is not IN", Q(t[3]));
	sdp->origin_family = addrtype(t[4]);
	if (!sdp->origin_family)
		return fail(p, ln, "o=: address type %s is not IP4 or IP6", Q(t[4]));
	/* a unicast address or an FQDN, kept as written; IPv6 has ':' (no token char) */
	if (!(is_token(t[5]) ||
	      (sdp->origin_family == AF_INET6 && parse_addr(t[5], AF_INET6, &a))) ||
	    !copy_str(sdp->origin_addr, sizeof(sdp->origin_addr), t[5]))
		return fail(p, ln, "o=: bad unicast address %s", Q(t[5]));
	return 0;
}

static int parse_text(struct parser *p, unsigned int ln, char *dst, size_t size,
		      const char *what, const char *v)
{
	if (!*v)
		return fail(p, ln, "%s=: empty (RFC 4566: use a single space)", what);
	if (!copy_str(dst, size, v))
		return fail(p, ln, "%s=: longer than %zu bytes", what, size - 1);
	return 0;
}

static int parse_t(struct parser *p, unsigned int ln, char *v)
{
	char *t[2];

	/* several t= lines are legal; ST 2110 sessions are permanent (t=0 0) */
	if (p->seen['t' - 'a'] > 1)
		return 0;
	if (split(v, t, 2) != 2 || !parse_u64(t[0], UINT64_MAX, &p->sdp->t_start) ||
	    !parse_u64(t[1], UINT64_MAX, &p->sdp->t_stop))
		return fail(p, ln, "t=: expected '<start-time> <stop-time>' (decimal NTP seconds)");
	return 0;
}

/* c=IN IP4 <addr>[/<ttl>[/<count>]] or c=IN IP6 <addr>[/<count>] */
static int parse_c(struct parser *p, unsigned int ln, char *v, struct conn *c)
{
	char *t[3], *part[4], *s;
	uint32_t ttl = 0, count = 1;
	int family, n = 0;

	if (split(v, t, 3) != 3)
		return fail(p, ln, "c=: expected 'IN IP4|IP6 <address>'");
	if (strcmp(t[0], "IN"))
		return fail(p, ln, "c=: network type %s is not IN", Q(t[0]));
	family = addrtype(t[1]);
	if (!family)
		return fail(p, ln, "c=: address type %s is not IP4 or IP6", Q(t[1]));
	for (s = t[2]; n < 4; n++) {
		part[n] = s;
		s = strchr(s, '/');
		if (!s) {
			n++;
			break;
		}
		*s++ = '\0';
	}
	if (s || n > (family == AF_INET ? 3 : 2))
		return fail(p, ln, "c=: too many '/' fields in the address");
	if (!parse_addr(part[0], family, &c->addr))
		return fail(p, ln, "c=: %s is not a numeric %s address", Q(part[0]),
			    family == AF_INET ? "IPv4" : "IPv6");
	if (family == AF_INET && addr_is_multicast(&c->addr)) {
		if (n < 2)
			return fail(p, ln, "c=: IPv4 multicast address needs a /TTL (RFC 4566 §5.7)");
		if (!parse_u32(part[1], 255, &ttl))
			return fail(p, ln, "c=: TTL %s is not 0..255", Q(part[1]));
		if (n == 3 && (!parse_u32(part[2], 255, &count) || !count))
			return fail(p, ln, "c=: address count %s is not 1..255", Q(part[2]));
	} else if (family == AF_INET6 && addr_is_multicast(&c->addr)) {
		if (n == 2 && (!parse_u32(part[1], 255, &count) || !count))
			return fail(p, ln, "c=: address count %s is not 1..255", Q(part[1]));
	} else if (n > 1) {
		return fail(p, ln, "c=: a unicast address takes no /TTL or /count");
	}
	c->ttl = (uint8_t)ttl;
	c->count = (uint16_t)count;
	return 0;
}

/* ---- attributes shared by both levels ---------------------------------- */

/* a=source-filter: <incl|excl> IN <IP4|IP6|*> <dst|*> <src>... (RFC 4570) */
static int parse_source_filter(struct parser *p, unsigned int ln, char *v,
			       struct st2110_sdp_filter *f)
{
	char *t[4 + ST2110_SDP_MAX_SOURCES];
	int n = split(v, t, 4 + ST2110_SDP_MAX_SOURCES), family, i;

	if (n < 0)
		return fail(p, ln, "source-filter: more than %d source addresses", ST2110_SDP_MAX_SOURCES);
	if (n < 5)
		return fail(p, ln, "source-filter: expected '<incl|excl> IN IP4|IP6 <dest> <source>...'");
	if (f->present)
		return fail(p, ln, "source-filter: only one a=source-filter per level is supported");
	memset(f, 0, sizeof(*f));
	if (!strcmp(t[0], "excl"))
		f->exclude = true;
	else if (strcmp(t[0], "incl"))
		return fail(p, ln, "source-filter: mode %s is not incl or excl", Q(t[0]));
	if (strcmp(t[1], "IN"))
		return fail(p, ln, "source-filter: network type %s is not IN", Q(t[1]));
	family = addrtype(t[2]);
	if (!family)
		return fail(p, ln, "source-filter: address type %s is not IP4 or IP6", Q(t[2]));
	if (!strcmp(t[3], "*"))
		f->any_dst = true;
	else if (!parse_addr(t[3], family, &f->dst))
		return fail(p, ln, "source-filter: destination %s is not a numeric address", Q(t[3]));
	for (i = 4; i < n; i++)
		if (!parse_addr(t[i], family, &f->src[f->nsrc++]))
			return fail(p, ln, "source-filter: source %s is not a numeric address", Q(t[i]));
	f->present = true;
	return 0;
}

static int hexpair(const char *s)
{
	int hi, lo;

	if (!isxdigit((unsigned char)s[0]) || !isxdigit((unsigned char)s[1]))
		return -1;
	hi = isdigit((unsigned char)s[0]) ? s[0] - '0' : (tolower((unsigned char)s[0]) - 'a' + 10);
	lo = isdigit((unsigned char)s[1]) ? s[1] - '0' : (tolower((unsigned char)s[1]) - 'a' + 10);
	return hi << 4 | lo;
}

/* n hex pairs separated by '-' (or all by sep_alt, reported in *alt). */
static bool parse_hex_id(const char *s, uint8_t *out, int n, char sep_alt, bool *alt)
{
	char sep = 0;
	int i, b;

	for (i = 0; i < n; i++) {
		b = hexpair(s);
		if (b < 0)
			return false;
		out[i] = (uint8_t)b;
		s += 2;
		if (i == n - 1)
			break;
		if (!sep && (*s == '-' || (sep_alt && *s == sep_alt)))
			sep = *s;
		if (!sep || *s != sep)
			return false;
		s++;
	}
	if (alt)
		*alt = sep_alt && sep == sep_alt;
	return *s == '\0';
}

/* a=ts-refclk:ptp=<ver>:<gmid>[:<domain>] | ptp=<ver>:traceable | ptp=traceable | localmac=<mac> */
static int parse_refclk(struct parser *p, unsigned int ln, char *v,
			struct st2110_sdp_refclk *rc, unsigned int *n)
{
	char *ver, *gm, *dom;
	bool spaces = false;
	uint32_t d;

	if (*n == ST2110_SDP_MAX_REFCLKS)
		return fail(p, ln, "ts-refclk: more than %d a=ts-refclk lines", ST2110_SDP_MAX_REFCLKS);
	rc = &rc[*n];
	memset(rc, 0, sizeof(*rc));
	if (!v)
		return fail(p, ln, "ts-refclk: no clock source");
	if (!strncmp(v, "localmac=", 9)) {
		if (!parse_hex_id(v + 9, rc->mac, 6, 0, NULL))
			return fail(p, ln, "ts-refclk: localmac %s is not a MAC address (xx-xx-xx-xx-xx-xx)", Q(v + 9));
		rc->kind = ST2110_REFCLK_LOCALMAC;
		(*n)++;
		return 0;
	}
	if (strncmp(v, "ptp=", 4))
		return fail(p, ln, "ts-refclk: unsupported clock source %s (ST 2110-10: ptp= or localmac=)", Q(v));
	ver = v + 4;
	if (!strcmp(ver, "traceable")) {
		rc->kind = ST2110_REFCLK_PTP_TRACEABLE;
		(*n)++;
		return 0;
	}
	gm = strchr(ver, ':');
	if (!gm)
		return fail(p, ln, "ts-refclk: %s has no grandmaster id or 'traceable'", Q(v));
	*gm++ = '\0';
	rc->version = (uint8_t)LOOKUP(ptp_version_names, ver);
	if (rc->version == NOT_FOUND(ptp_version_names) || rc->version == ST2110_PTP_VERSION_NONE)
		return fail(p, ln, "ts-refclk: unknown PTP version %s", Q(ver));
	if (!strcmp(gm, "traceable")) {
		rc->kind = ST2110_REFCLK_PTP_TRACEABLE;
		(*n)++;
		return 0;
	}
	dom = strchr(gm, ':');
	if (dom)
		*dom++ = '\0';
	if (!parse_hex_id(gm, rc->gmid, 8, ' ', &spaces))
		return fail(p, ln, "ts-refclk: grandmaster id %s is not an EUI-64 (XX-XX-XX-XX-XX-XX-XX-XX)", Q(gm));
	if (spaces)
		warn(p, ln, "ts-refclk: grandmaster id written with spaces instead of '-' (RFC 7273); accepted");
	if (!memcmp(rc->gmid, "\0\0\0\0\0\0\0\0", 8))
		warn(p, ln, "ts-refclk: grandmaster id is all zeros (a placeholder, not a clock)");
	if (dom) {
		/* RFC 7273 ptp-domain-nmbr: 0..127 */
		if (!parse_u32(dom, 127, &d))
			return fail(p, ln, "ts-refclk: PTP domain %s is not 0..127", Q(dom));
		rc->has_domain = true;
		rc->domain = (uint8_t)d;
	}
	rc->kind = ST2110_REFCLK_PTP;
	(*n)++;
	return 0;
}

/*
 * The a=ts-refclk grammar for a value that does not come from an SDP file
 * (a sender's --refclk): the same rules, without a parser around them.
 */
int st2110_sdp_refclk_parse(const char *value, struct st2110_sdp_refclk *rc,
			    struct st2110_sdp_diag *err)
{
	struct st2110_sdp *scratch = calloc(1, sizeof(*scratch));	/* warnings land here */
	struct parser p = { .sdp = scratch, .err = err };
	char buf[ST2110_SDP_MSG_LEN];
	unsigned int n = 0;
	int ret;

	memset(err, 0, sizeof(*err));
	if (!scratch)
		return -ENOMEM;
	if (!value || !copy_str(buf, sizeof(buf), value))
		ret = fail(&p, 0, "ts-refclk: %s", value ? "value too long" : "no clock source");
	else
		ret = parse_refclk(&p, 0, buf, rc, &n);
	free(scratch);
	return ret;
}

/* a=mediaclk:direct=<offset>[ rate=<n>[/<d>]] (RFC 7273) */
static int parse_mediaclk(struct parser *p, unsigned int ln, char *v, struct mediaclk *mc)
{
	char *t[2], *slash;
	uint64_t off;
	int n = v ? split(v, t, 2) : 0;

	if (n < 1)
		return fail(p, ln, "mediaclk: expected 'direct=0'");
	if (strncmp(t[0], "direct=", 7))
		return fail(p, ln, "mediaclk: %s is not supported (ST 2110-10 §8.2: direct=0)", Q(t[0]));
	if (!parse_u64(t[0] + 7, UINT32_MAX, &off))
		return fail(p, ln, "mediaclk: bad offset %s", Q(t[0] + 7));
	if (off)
		return fail(p, ln, "mediaclk: offset %s: ST 2110-10 §7.4 requires direct=0 (zero RTP offset)", Q(t[0] + 7));
	mc->rate_num = mc->rate_den = 0;
	if (n == 2) {
		if (strncmp(t[1], "rate=", 5))
			return fail(p, ln, "mediaclk: unknown parameter %s", Q(t[1]));
		slash = strchr(t[1] + 5, '/');
		if (slash)
			*slash++ = '\0';
		mc->rate_den = 1;
		if (!parse_u64(t[1] + 5, UINT32_MAX, &mc->rate_num) || !mc->rate_num ||
		    (slash && (!parse_u64(slash, UINT32_MAX, &mc->rate_den) || !mc->rate_den)))
			return fail(p, ln, "mediaclk: bad rate %s", Q(t[1] + 5));
	}
	return 0;
}

/* ---- media lines ------------------------------------------------------- */

static int parse_m(struct parser *p, unsigned int ln, char *v)
{
	struct st2110_sdp *sdp = p->sdp;
	struct st2110_sdp_stream *st;
	char *t[5], *slash;
	uint32_t port, count = 1, pt;
	int n = split(v, t, 5);

	if (sdp->nstream == ST2110_SDP_MAX_STREAMS)
		return fail(p, ln, "m=: more than %d media descriptions", ST2110_SDP_MAX_STREAMS);
	if (n == 5)
		return fail(p, ln, "m=: more than one payload type (ST 2110-10 §6 forbids RTP session multiplexing)");
	if (n != 4)
		return fail(p, ln, "m=: expected '<video|audio> <port> RTP/AVP <payload type>'");
	st = &sdp->stream[sdp->nstream];
	p->m[sdp->nstream].m_line = ln;
	st->line = ln;
	sdp->nstream++;
	st->dup_group = -1;
	if (!strcmp(t[0], "video"))
		st->media = ST2110_SDP_VIDEO;	/* or ANC: decided by a=rtpmap */
	else if (!strcmp(t[0], "audio"))
		st->media = ST2110_SDP_AUDIO;
	else
		return fail(p, ln, "m=: media %s is not video or audio", Q(t[0]));
	slash = strchr(t[1], '/');
	if (slash)
		*slash++ = '\0';
	if (!parse_u32(t[1], 65535, &port) || !port)
		return fail(p, ln, "m=: port %s is not 1..65535", Q(t[1]));
	if (slash && (!parse_u32(slash, 65535, &count) || !count))
		return fail(p, ln, "m=: port count %s is not 1..65535", Q(slash));
	if (strcmp(t[2], "RTP/AVP"))
		return fail(p, ln, "m=: protocol %s is not RTP/AVP", Q(t[2]));
	if (!parse_u32(t[3], 127, &pt))
		return fail(p, ln, "m=: payload type %s is not 0..127", Q(t[3]));
	if (pt < ST2110_RTP_PT_DYNAMIC_MIN)
		return fail(p, ln, "m=: payload type %u is not dynamic (96..127)", pt);
	st->port = (uint16_t)port;
	st->port_count = (uint16_t)count;
	st->pt = (uint8_t)pt;
	return 0;
}

/* "<pt> <rest>": check the payload type, return rest. */
static char *pt_prefix(struct parser *p, unsigned int ln, const char *attr, char *v,
		       const struct st2110_sdp_stream *st)
{
	char *sp;
	uint32_t pt;

	if (!v) {
		fail(p, ln, "%s: no value", attr);
		return NULL;
	}
	sp = strchr(v, ' ');
	if (!sp) {
		fail(p, ln, "%s: expected '<payload type> <parameters>'", attr);
		return NULL;
	}
	*sp++ = '\0';
	if (!parse_u32(v, 127, &pt)) {
		fail(p, ln, "%s: payload type %s is not a number", attr, Q(v));
		return NULL;
	}
	if (pt != st->pt) {
		fail(p, ln, "%s: payload type %u is not the m= line's %u", attr, pt, st->pt);
		return NULL;
	}
	return trim(sp);
}

/* a=rtpmap:<pt> raw/90000 | smpte291/90000 | L16|L24/<rate>[/<channels>] */
static int parse_rtpmap(struct parser *p, unsigned int ln, char *v,
			struct st2110_sdp_stream *st)
{
	char *enc = pt_prefix(p, ln, "rtpmap", v, st), *rate, *ch;
	const char *reason = NULL;
	uint32_t hz, channels = 1;

	if (!enc)
		return -EINVAL;
	rate = strchr(enc, '/');
	if (!rate)
		return fail(p, ln, "rtpmap: expected '<encoding>/<clock rate>', got %s", Q(enc));
	*rate++ = '\0';
	ch = strchr(rate, '/');
	if (ch)
		*ch++ = '\0';
	if (!parse_u32(rate, UINT32_MAX, &hz) || !hz)
		return fail(p, ln, "rtpmap: clock rate %s is not a positive number", Q(rate));
	st->clock_hz = hz;
	/* encoding names are case-insensitive (RFC 4855 §3) */
	if (!strcasecmp(enc, "raw") || !strcasecmp(enc, "smpte291")) {
		bool anc = !strcasecmp(enc, "smpte291");

		if (st->media != ST2110_SDP_VIDEO)
			return fail(p, ln, "rtpmap: %s needs m=video", Q(enc));
		if (ch)
			return fail(p, ln, "rtpmap: %s takes no channel count", Q(enc));
		if (hz != ST2110_RTP_VIDEO_CLOCK_HZ)
			return fail(p, ln, "rtpmap: %s clock must be 90000 Hz (ST 2110-%s), not %u",
				    enc, anc ? "40" : "20", hz);
		st->media = anc ? ST2110_SDP_ANC : ST2110_SDP_VIDEO;
		return 0;
	}
	if (!strcasecmp(enc, "L16") || !strcasecmp(enc, "L24")) {
		if (st->media != ST2110_SDP_AUDIO)
			return fail(p, ln, "rtpmap: %s needs m=audio", Q(enc));
		if (ch && (!parse_u32(ch, 255, &channels) || !channels))
			return fail(p, ln, "rtpmap: channel count %s is not 1..255", Q(ch));
		st->audio.fmt.rate_hz = hz;
		st->audio.fmt.channels = (uint16_t)channels;
		st->audio.fmt.depth_bits = enc[1] == '1' ? 16 : 24;
		/* rate, channels and depth now, the packet size once ptime is known */
		if (st2110_audio_validate_fmt(&st->audio.fmt, &reason))
			return fail(p, ln, "rtpmap: %s", reason);
		return 0;
	}
	return fail(p, ln, "rtpmap: unsupported encoding %s (raw, smpte291, L16 or L24)", Q(enc));
}

static int parse_mid(struct parser *p, unsigned int ln, char *v,
		     struct st2110_sdp_stream *st)
{
	unsigned int i;

	if (!v || !is_token(v))
		return fail(p, ln, "mid: %s is not a token", Q(v ? v : ""));
	if (!copy_str(st->mid, sizeof(st->mid), v))
		return fail(p, ln, "mid: longer than %d bytes", ST2110_SDP_TOKEN_LEN - 1);
	for (i = 0; i + 1 < p->sdp->nstream; i++)
		if (!strcmp(p->sdp->stream[i].mid, v))
			return fail(p, ln, "mid: %s is already used by media %u", Q(v), i + 1);
	return 0;
}

/* a=ssrc:<id> <attribute>[:<value>] (RFC 5576); the first id is kept. */
static int parse_ssrc(struct parser *p, unsigned int ln, char *v,
		      struct st2110_sdp_stream *st, struct media_state *ms)
{
	char *attr;
	uint32_t id;

	attr = v ? strchr(v, ' ') : NULL;
	if (!attr)
		return fail(p, ln, "ssrc: expected '<ssrc-id> <attribute>'");
	*attr++ = '\0';
	if (!parse_u32(v, UINT32_MAX, &id))
		return fail(p, ln, "ssrc: %s is not a 32-bit number", Q(v));
	if (ms->ssrc_line) {
		if (id != st->ssrc)
			warn(p, ln, "ssrc: second SSRC %u ignored (the stream is %u)", id, st->ssrc);
		return 0;
	}
	ms->ssrc_line = ln;
	st->has_ssrc = true;
	st->ssrc = id;
	attr = trim(attr);
	if (!*attr || !copy_str(st->ssrc_attr, sizeof(st->ssrc_attr), attr))
		return fail(p, ln, "ssrc: attribute %s is empty or longer than %d bytes",
			    Q(attr), ST2110_SDP_TOKEN_LEN - 1);
	return 0;
}

static int once(struct parser *p, unsigned int ln, unsigned int *first, const char *attr)
{
	if (*first)
		return fail(p, ln, "%s: second a=%s (the first is on line %u)", attr, attr, *first);
	*first = ln;
	return 0;
}

/* ---- attribute dispatch ------------------------------------------------ */

static int session_attr(struct parser *p, unsigned int ln, const char *name, char *v)
{
	if (!strcmp(name, "source-filter")) {
		if (!v)
			return fail(p, ln, "source-filter: no value");
		p->filter_line = ln;
		return parse_source_filter(p, ln, v, &p->filter);
	}
	if (!strcmp(name, "ts-refclk")) {
		p->refclk_line = p->refclk_line ? p->refclk_line : ln;
		return parse_refclk(p, ln, v, p->refclk, &p->nrefclk);
	}
	if (!strcmp(name, "mediaclk")) {
		if (once(p, ln, &p->mediaclk_line, "mediaclk"))
			return -EINVAL;
		return parse_mediaclk(p, ln, v, &p->mclk);
	}
	if (!strcmp(name, "group")) {
		char *sp;

		if (!v)
			return fail(p, ln, "group: no value");
		sp = strchr(v, ' ');
		if (strncmp(v, "DUP", 3) || (v[3] && v[3] != ' ')) {
			if (sp)
				*sp = '\0';
			warn(p, ln, "group: semantics %s ignored (only DUP, ST 2022-7, is used)", Q(v));
			return 0;
		}
		if (p->ngroup_lines == ST2110_SDP_MAX_GROUPS)
			return fail(p, ln, "group: more than %d a=group:DUP lines", ST2110_SDP_MAX_GROUPS);
		p->group_line[p->ngroup_lines] = ln;
		p->group_mids[p->ngroup_lines++] = sp ? sp + 1 : v + 3;
		return 0;
	}
	if (!strcmp(name, "rtpmap") || !strcmp(name, "fmtp") || !strcmp(name, "mid") ||
	    !strcmp(name, "ptime") || !strcmp(name, "maxptime") || !strcmp(name, "framecount"))
		return fail(p, ln, "a=%s is a media-level attribute (it is before the first m= line)", name);
	return 0;			/* RFC 4566: unknown attributes are ignored */
}

static int media_attr(struct parser *p, unsigned int ln, const char *name, char *v)
{
	unsigned int i = p->sdp->nstream - 1;
	struct st2110_sdp_stream *st = &p->sdp->stream[i];
	struct media_state *ms = &p->m[i];
	uint64_t ns;

	if (!strcmp(name, "rtpmap")) {
		if (once(p, ln, &ms->rtpmap_line, name))
			return -EINVAL;
		return parse_rtpmap(p, ln, v, st);
	}
	if (!strcmp(name, "fmtp")) {
		if (once(p, ln, &ms->fmtp_line, "fmtp"))
			return -EINVAL;
		ms->fmtp = pt_prefix(p, ln, "fmtp", v, st);
		return ms->fmtp ? 0 : -EINVAL;
	}
	if (!strcmp(name, "ptime") || !strcmp(name, "maxptime")) {
		bool max = name[0] == 'm';

		if (once(p, ln, max ? &ms->maxptime_line : &ms->ptime_line, name))
			return -EINVAL;
		if (!v || !parse_ms(v, &ns) || !ns)
			return fail(p, ln, "%s: %s is not a packet time in ms (e.g. 1 or 0.125)",
				    name, Q(v ? v : ""));
		if (max)
			st->audio.maxptime_ns = ns;
		else
			ms->ptime_ns = ns;
		return 0;
	}
	if (!strcmp(name, "framecount")) {
		if (once(p, ln, &ms->framecount_line, name))
			return -EINVAL;
		if (!v || !parse_u32(v, 65535, &ms->framecount) || !ms->framecount)
			return fail(p, ln, "framecount: %s is not a sample count", Q(v ? v : ""));
		return 0;
	}
	if (!strcmp(name, "source-filter")) {
		if (!v)
			return fail(p, ln, "source-filter: no value");
		ms->filter_line = ln;
		return parse_source_filter(p, ln, v, &st->filter);
	}
	if (!strcmp(name, "ts-refclk")) {
		ms->refclk_line = ms->refclk_line ? ms->refclk_line : ln;
		return parse_refclk(p, ln, v, st->refclk, &st->nrefclk);
	}
	if (!strcmp(name, "mediaclk")) {
		if (once(p, ln, &ms->mediaclk_line, name))
			return -EINVAL;
		return parse_mediaclk(p, ln, v, &ms->mclk);
	}
	if (!strcmp(name, "mid")) {
		if (once(p, ln, &ms->mid_line, name))
			return -EINVAL;
		return parse_mid(p, ln, v, st);
	}
	if (!strcmp(name, "ssrc"))
		return parse_ssrc(p, ln, v, st, ms);
	if (!strcmp(name, "group"))
		return fail(p, ln, "a=group is a session-level attribute (RFC 5888)");
	return 0;			/* RFC 4566: unknown attributes are ignored */
}

static int parse_a(struct parser *p, unsigned int ln, char *v)
{
	char *colon = strchr(v, ':'), *val = NULL;

	if (colon) {
		*colon = '\0';
		val = colon + 1;
		/* RFC 4570 writes "a=source-filter: incl ..."; be tolerant everywhere */
		val = trim(val);
	}
	if (!is_token(v))
		return fail(p, ln, "a=: attribute name %s is not a token", Q(v));
	return p->in_media ? media_attr(p, ln, v, val) : session_attr(p, ln, v, val);
}

/* ---- ST 2110-20 fmtp --------------------------------------------------- */

enum vparam {
	VP_SAMPLING, VP_DEPTH, VP_WIDTH, VP_HEIGHT, VP_EXACTFRAMERATE,
	VP_COLORIMETRY, VP_PM, VP_SSN, VP_TP, VP_INTERLACE, VP_SEGMENTED,
	VP_TROFF, VP_CMAX, VP_MAXUDP, VP_TCS, VP_RANGE, VP_PAR, __VP_MAX
};

static const struct {
	const char *name;
	bool required;			/* ST 2110-20 §7.2 (TP: ST 2110-21 §8) */
	bool flag;			/* takes no value */
} vparams[__VP_MAX] = {
	[VP_SAMPLING] = { "sampling", true, false },
	[VP_DEPTH] = { "depth", true, false },
	[VP_WIDTH] = { "width", true, false },
	[VP_HEIGHT] = { "height", true, false },
	[VP_EXACTFRAMERATE] = { "exactframerate", true, false },
	[VP_COLORIMETRY] = { "colorimetry", true, false },
	[VP_PM] = { "PM", true, false },
	[VP_SSN] = { "SSN", true, false },
	[VP_TP] = { "TP", true, false },
	[VP_INTERLACE] = { "interlace", false, true },
	[VP_SEGMENTED] = { "segmented", false, true },
	[VP_TROFF] = { "TROFF", false, false },
	[VP_CMAX] = { "CMAX", false, false },
	[VP_MAXUDP] = { "MAXUDP", false, false },
	[VP_TCS] = { "TCS", false, false },
	[VP_RANGE] = { "RANGE", false, false },
	[VP_PAR] = { "PAR", false, false },
};

static int parse_sampling(const char *v)
{
	unsigned int s;

	for (s = 1; s < __ST2110_SAMPLING_MAX; s++)
		if (!strcmp(st2110_sampling_name(s), v))
			return (int)s;
	return -1;
}

static int parse_depth(const char *v)
{
	static const uint8_t depths[] = {
		ST2110_DEPTH_8, ST2110_DEPTH_10, ST2110_DEPTH_12, ST2110_DEPTH_16,
		ST2110_DEPTH_16F,
	};
	size_t i;

	for (i = 0; i < sizeof(depths); i++)
		if (!strcmp(st2110_depth_name(depths[i]), v))
			return depths[i];
	return -1;
}

static int video_param(struct parser *p, unsigned int ln, enum vparam k, char *v,
		       struct st2110_sdp_video *vd)
{
	struct st2110_video_fmt *fmt = &vd->fmt;
	uint32_t a, b;
	char *sep;
	int x;

	switch (k) {
	case VP_SAMPLING:
		x = parse_sampling(v);
		if (x < 0)
			return fail(p, ln, "fmtp: unknown sampling %s", Q(v));
		fmt->sampling = (uint8_t)x;
		return 0;
	case VP_DEPTH:
		x = parse_depth(v);
		if (x < 0)
			return fail(p, ln, "fmtp: unknown depth %s (8, 10, 12, 16 or 16f)", Q(v));
		fmt->depth = (uint8_t)x;
		return 0;
	case VP_WIDTH:
	case VP_HEIGHT:
		if (!parse_u32(v, 65535, &a) || !a)
			return fail(p, ln, "fmtp: %s %s is not 1..65535", vparams[k].name, Q(v));
		if (k == VP_WIDTH)
			fmt->width_px = a;
		else
			fmt->height_px = a;
		return 0;
	case VP_EXACTFRAMERATE:
		sep = strchr(v, '/');
		if (sep)
			*sep++ = '\0';
		b = 1;
		if (!parse_u32(v, UINT32_MAX, &a) || !a ||
		    (sep && (!parse_u32(sep, UINT32_MAX, &b) || !b)))
			return fail(p, ln, "fmtp: exactframerate %s%s%s is not an integer or a ratio like 30000/1001",
				    Q(v), sep ? " / " : "", sep ? Q(sep) : "");
		x = (int)st2110_gcd64(a, b);
		fmt->rate.num = a / (uint32_t)x;
		fmt->rate.den = b / (uint32_t)x;
		return 0;
	case VP_COLORIMETRY:
		vd->colorimetry = (uint8_t)LOOKUP(colorimetry_names, v);
		if (vd->colorimetry == NOT_FOUND(colorimetry_names))
			return fail(p, ln, "fmtp: unknown colorimetry %s", Q(v));
		return 0;
	case VP_PM:
		fmt->packing = (uint8_t)LOOKUP(packing_names, v);
		if (fmt->packing == NOT_FOUND(packing_names))
			return fail(p, ln, "fmtp: unknown PM %s (2110GPM or 2110BPM)", Q(v));
		return 0;
	case VP_SSN:
		vd->ssn = (uint8_t)LOOKUP(ssn_names, v);
		if (vd->ssn == NOT_FOUND(ssn_names))
			return fail(p, ln, "fmtp: unknown SSN %s (ST2110-20:2017 or ST2110-20:2022)", Q(v));
		return 0;
	case VP_TP:
		vd->type = (uint8_t)LOOKUP(type_names, v);
		if (vd->type == NOT_FOUND(type_names))
			return fail(p, ln, "fmtp: unknown TP %s (2110TPN, 2110TPNL or 2110TPW)", Q(v));
		return 0;
	case VP_INTERLACE:
	case VP_SEGMENTED:
		return 0;		/* presence is all */
	case VP_TROFF:
		if (!parse_u32(v, UINT32_MAX, &vd->troff_us))
			return fail(p, ln, "fmtp: TROFF %s is not a non-negative integer (µs)", Q(v));
		vd->has_troff = true;
		return 0;
	case VP_CMAX:
		if (!parse_u32(v, UINT32_MAX, &vd->cmax_pkts) || !vd->cmax_pkts)
			return fail(p, ln, "fmtp: CMAX %s is not a positive integer", Q(v));
		return 0;
	case VP_MAXUDP:
		if (!parse_u32(v, ST2110_UDP_EXTENDED_LIMIT, &vd->maxudp_bytes) ||
		    vd->maxudp_bytes <= ST2110_UDP_HDR_LEN + ST2110_RTP_HDR_LEN)
			return fail(p, ln, "fmtp: MAXUDP %s is not 21..8960 bytes", Q(v));
		return 0;
	case VP_TCS:
		vd->tcs = (uint8_t)LOOKUP(tcs_names, v);
		if (vd->tcs == NOT_FOUND(tcs_names))
			return fail(p, ln, "fmtp: unknown TCS %s", Q(v));
		return 0;
	case VP_RANGE:
		vd->range = (uint8_t)LOOKUP(range_names, v);
		if (vd->range == NOT_FOUND(range_names))
			return fail(p, ln, "fmtp: unknown RANGE %s (NARROW, FULLPROTECT or FULL)", Q(v));
		return 0;
	case VP_PAR:
		sep = strchr(v, ':');
		if (sep)
			*sep++ = '\0';
		if (!sep || !parse_u32(v, 65535, &a) || !a || !parse_u32(sep, 65535, &b) || !b)
			return fail(p, ln, "fmtp: PAR is not '<width>:<height>' (1..65535 each)");
		vd->par_w = (uint16_t)a;
		vd->par_h = (uint16_t)b;
		return 0;
	case __VP_MAX:
		break;
	}
	return 0;
}

/*
 * Split "a=b; c; d=e;" into parameters and hand each to fn.  Names are
 * case-insensitive (RFC 4855 §3), values are not.
 */
typedef int (*param_fn)(struct parser *p, unsigned int ln, char *name, char *val,
			void *ctx);

static int each_param(struct parser *p, unsigned int ln, char *s, param_fn fn, void *ctx)
{
	char *next, *eq, *name;
	int err;

	for (; s; s = next) {
		next = strchr(s, ';');
		if (next)
			*next++ = '\0';
		name = trim(s);
		if (!*name)
			continue;	/* "a; ; b" and a trailing ';' */
		eq = strchr(name, '=');
		if (eq) {
			*eq = '\0';
			eq = trim(eq + 1);
			name = trim(name);
		}
		if (!is_token(name))
			return fail(p, ln, "fmtp: parameter name %s is not a token", Q(name));
		err = fn(p, ln, name, eq, ctx);
		if (err)
			return err;
	}
	return 0;
}

struct vctx {
	struct st2110_sdp_video *vd;
	unsigned int seen;		/* 1 << enum vparam */
};

static int video_param_cb(struct parser *p, unsigned int ln, char *name, char *val, void *ctx)
{
	struct vctx *c = ctx;
	int k;

	for (k = 0; k < __VP_MAX; k++)
		if (!strcasecmp(name, vparams[k].name))
			break;
	if (k == __VP_MAX) {
		/* a misspelt scan mode would silently change every timing value */
		if (!strcasecmp(name, "interlaced"))
			return fail(p, ln, "fmtp: unknown parameter 'interlaced' (ST 2110-20 spells it 'interlace')");
		if (!strcasecmp(name, "progressive") && !val) {
			warn(p, ln, "fmtp: non-standard parameter 'progressive' ignored (progressive is the default)");
			return 0;
		}
		warn(p, ln, "fmtp: unknown parameter %s ignored", Q(name));
		return 0;
	}
	if (c->seen & (1U << k))
		return fail(p, ln, "fmtp: duplicate parameter '%s'", vparams[k].name);
	c->seen |= 1U << k;
	if (vparams[k].flag && val)
		return fail(p, ln, "fmtp: '%s' takes no value", vparams[k].name);
	if (!vparams[k].flag && (!val || !*val))
		return fail(p, ln, "fmtp: '%s' needs a value", vparams[k].name);
	return video_param(p, ln, (enum vparam)k, val, c->vd);
}

int st2110_sdp_video_sched(const struct st2110_sdp_stream *st,
			   struct st2110_video_layout *l, struct st2110_sched *s,
			   const char **reason)
{
	const struct st2110_sdp_video *vd = &st->video;
	uint64_t troff_ns;
	int err;

	err = st2110_video_layout_init(l, &vd->fmt, reason);
	if (!err)
		err = st2110_sched_init_video(s, l, vd->type, ST2110_TROFFSET_DEFAULT, reason);
	if (err || !vd->has_troff)
		return err;
	troff_ns = st2110_sched_troffset_ns(s, vd->troff_us);
	if (troff_ns == ST2110_TROFFSET_DEFAULT)
		return 0;
	return st2110_sched_init_video(s, l, vd->type, troff_ns, reason);
}

static int finish_video(struct parser *p, struct st2110_sdp_stream *st, struct media_state *ms)
{
	struct st2110_sdp_video *vd = &st->video;
	struct vctx c = { .vd = vd };
	struct st2110_video_layout l;
	struct st2110_sched s;
	const char *reason = NULL;
	unsigned int ln = ms->fmtp_line, k, limit;
	int err;

	if (!ms->fmtp)
		return fail(p, ms->m_line, "no a=fmtp for payload type %u (ST 2110-20 §7.2 requires one)", st->pt);
	err = each_param(p, ln, ms->fmtp, video_param_cb, &c);
	if (err)
		return err;
	for (k = 0; k < __VP_MAX; k++) {
		if (!vparams[k].required || (c.seen & (1U << k)))
			continue;
		if (k == VP_TP) {
			warn(p, ln, "fmtp: no TP (ST 2110-21 §8 requires it); 2110TPN assumed");
			vd->type = ST2110_TYPE_N;
			vd->tp_assumed = true;
			continue;
		}
		return fail(p, ln, "fmtp: missing required parameter '%s' (ST 2110-20 §7.2)", vparams[k].name);
	}
	if ((c.seen & (1U << VP_SEGMENTED)) && !(c.seen & (1U << VP_INTERLACE)))
		return fail(p, ln, "fmtp: 'segmented' requires 'interlace' (ST 2110-20 §7.3)");
	vd->fmt.scan = (c.seen & (1U << VP_SEGMENTED)) ? ST2110_SCAN_PSF :
		       (c.seen & (1U << VP_INTERLACE)) ? ST2110_SCAN_INTERLACED :
		       ST2110_SCAN_PROGRESSIVE;
	if (vd->fmt.packing == ST2110_PACKING_BPM && vd->maxudp_bytes > ST2110_UDP_STANDARD_LIMIT)
		return fail(p, ln, "fmtp: MAXUDP=%u: the Extended UDP Size Limit is not allowed with 2110BPM (ST 2110-20 §6.3.3)",
			    vd->maxudp_bytes);
	if (st2110_sdp_video_sched(st, &l, &s, &reason))
		return fail(p, ln, "fmtp: %s", reason);
	if (vd->cmax_pkts) {
		limit = vd->type == ST2110_TYPE_N ? s.lim.cmax_n :
			vd->type == ST2110_TYPE_NL ? s.lim.cmax_nl : s.lim.cmax_w;
		if (vd->cmax_pkts > limit)
			warn(p, ln, "fmtp: CMAX=%u exceeds the %s limit %u for this format",
			     vd->cmax_pkts, type_names[vd->type], limit);
	}
	return 0;
}

/* ---- ST 2110-30 / -40 fmtp --------------------------------------------- */

/* SMPTE2110.(<group>,...) symbols of ST 2110-30 §6.2.2 and their widths. */
static int channel_group_width(const char *g)
{
	static const struct { const char *sym; int n; } groups[] = {
		{ "M", 1 }, { "DM", 2 }, { "ST", 2 }, { "LtRt", 2 }, { "51", 6 },
		{ "71", 8 }, { "222", 24 }, { "SGRP", 4 },
	};
	uint32_t n;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(groups); i++)
		if (!strcmp(g, groups[i].sym))
			return groups[i].n;
	if (g[0] == 'U' && strlen(g) == 3 && parse_u32(g + 1, 64, &n) && n)
		return (int)n;
	return -1;
}

static int check_channel_order(struct parser *p, unsigned int ln, struct st2110_sdp_stream *st)
{
	char buf[ST2110_SDP_TOKEN_LEN], *s, *g, *end;
	const char *co = st->audio.channel_order;
	int total = 0, w;

	if (strncmp(co, "SMPTE2110.", 10))
		return 0;		/* another convention: kept, not interpreted */
	end = copy_str(buf, sizeof(buf), co + 10) && buf[0] == '(' ? strchr(buf, ')') : NULL;
	if (!end || end[1])
		return fail(p, ln, "fmtp: channel-order %s is not SMPTE2110.(<group>,...)", Q(co));
	*end = '\0';
	for (s = buf + 1; s; s = g) {
		g = strchr(s, ',');
		if (g)
			*g++ = '\0';
		w = channel_group_width(s);
		if (w < 0)
			return fail(p, ln, "fmtp: channel-order: unknown channel group %s", Q(s));
		total += w;
	}
	if (total > st->audio.fmt.channels)
		return fail(p, ln, "fmtp: channel-order describes %d channels, the stream has %u",
			    total, st->audio.fmt.channels);
	if (total < st->audio.fmt.channels)
		warn(p, ln, "fmtp: channel-order describes %d of %u channels (the rest are undefined)",
		     total, st->audio.fmt.channels);
	return 0;
}

static int audio_param_cb(struct parser *p, unsigned int ln, char *name, char *val, void *ctx)
{
	struct st2110_sdp_stream *st = ctx;

	if (strcasecmp(name, "channel-order")) {
		warn(p, ln, "fmtp: unknown parameter %s ignored", Q(name));
		return 0;
	}
	if (st->audio.channel_order[0])
		return fail(p, ln, "fmtp: duplicate parameter 'channel-order'");
	if (!val || !is_value(val) ||
	    !copy_str(st->audio.channel_order, sizeof(st->audio.channel_order), val))
		return fail(p, ln, "fmtp: channel-order %s is not one word of at most %d bytes",
			    Q(val ? val : ""), ST2110_SDP_TOKEN_LEN - 1);
	return check_channel_order(p, ln, st);
}

static int finish_audio(struct parser *p, struct st2110_sdp_stream *st, struct media_state *ms)
{
	struct st2110_audio_fmt *a = &st->audio.fmt;
	const char *reason = NULL;
	unsigned int ln = ms->ptime_line;
	int err;

	if (ms->fmtp) {
		err = each_param(p, ms->fmtp_line, ms->fmtp, audio_param_cb, st);
		if (err)
			return err;
	}
	if (ms->ptime_line) {
		a->samples_per_pkt = st2110_audio_spp(a->rate_hz, ms->ptime_ns);
		if (ms->framecount_line && ms->framecount != a->samples_per_pkt)
			return fail(p, ms->framecount_line,
				    "framecount: %u samples, but a=ptime (line %u) means %u",
				    ms->framecount, ms->ptime_line, a->samples_per_pkt);
	} else if (ms->framecount_line) {
		warn(p, ms->framecount_line, "no a=ptime: packet time taken from a=framecount");
		a->samples_per_pkt = ms->framecount;
		ln = ms->framecount_line;
	} else {
		return fail(p, ms->m_line, "no a=ptime (ST 2110-30 requires the packet time)");
	}
	if (st2110_audio_validate(a, &reason))
		return fail(p, ln, "ptime: %s", reason);
	if (st->audio.maxptime_ns && st->audio.maxptime_ns < ms->ptime_ns)
		return fail(p, ms->maxptime_line, "maxptime: smaller than a=ptime");
	return 0;
}

static int anc_param_cb(struct parser *p, unsigned int ln, char *name, char *val, void *ctx)
{
	struct st2110_sdp_anc *anc = ctx;
	int did, sdid;

	if (!strcasecmp(name, "DID_SDID")) {
		/* DID_SDID={0xHH,0xHH} (ST 2110-40 §6) */
		bool form = val && strlen(val) == 11 && !strncmp(val, "{0x", 3) &&
			    !strncmp(val + 5, ",0x", 3) && val[10] == '}';

		did = form ? hexpair(val + 3) : -1;
		sdid = form ? hexpair(val + 8) : -1;
		if (did < 0 || sdid < 0)
			return fail(p, ln, "fmtp: DID_SDID %s is not {0xHH,0xHH}", Q(val ? val : ""));
		if (anc->ndid == ST2110_SDP_MAX_ANC)
			return fail(p, ln, "fmtp: more than %d DID_SDID", ST2110_SDP_MAX_ANC);
		anc->did_sdid[anc->ndid][0] = (uint8_t)did;
		anc->did_sdid[anc->ndid++][1] = (uint8_t)sdid;
		return 0;
	}
	if (!strcasecmp(name, "VPID_Code")) {
		if (anc->has_vpid)
			return fail(p, ln, "fmtp: duplicate parameter 'VPID_Code'");
		if (!val || !parse_u32(val, 255, &anc->vpid_code))
			return fail(p, ln, "fmtp: VPID_Code %s is not 0..255", Q(val ? val : ""));
		anc->has_vpid = true;
		return 0;
	}
	warn(p, ln, "fmtp: unknown parameter %s ignored", Q(name));
	return 0;
}

/* ---- finishing a media description ------------------------------------- */

static int check_mediaclk(struct parser *p, unsigned int ln, const struct mediaclk *mc,
			  const struct st2110_sdp_stream *st)
{
	if (mc->rate_num && mc->rate_num != (uint64_t)st->clock_hz * mc->rate_den)
		return fail(p, ln, "mediaclk: rate %llu/%llu is not the a=rtpmap clock %u Hz",
			    (unsigned long long)mc->rate_num,
			    (unsigned long long)mc->rate_den, st->clock_hz);
	return 0;
}

static int finish_media(struct parser *p, unsigned int i)
{
	struct st2110_sdp_stream *st = &p->sdp->stream[i];
	struct media_state *ms = &p->m[i];
	const struct st2110_sdp_filter *f;
	unsigned int fline;
	char a1[INET6_ADDRSTRLEN], a2[INET6_ADDRSTRLEN];
	int err;

	if (!ms->c_line && !p->c_line)
		return fail(p, ms->m_line, "no c= line for this media (nor at session level)");
	if (!ms->c_line)
		ms->c = p->c;
	st->dst = ms->c.addr;
	st->ttl = ms->c.ttl;
	st->addr_count = ms->c.count;

	if (!ms->rtpmap_line)
		return fail(p, ms->m_line, "no a=rtpmap for payload type %u", st->pt);

	if (!st->filter.present && p->filter.present)
		st->filter = p->filter;
	f = &st->filter;
	fline = ms->filter_line ? ms->filter_line : p->filter_line;
	if (f->present && !f->any_dst && !st2110_sdp_addr_equal(&f->dst, &st->dst))
		return fail(p, fline, "source-filter: destination %s is not the c= address %s",
			    st2110_sdp_addr_str(&f->dst, a1, sizeof(a1)),
			    st2110_sdp_addr_str(&st->dst, a2, sizeof(a2)));
	if (f->present && f->src[0].family != st->dst.family)
		return fail(p, fline, "source-filter: address family differs from the c= line");

	if (!st->nrefclk) {
		memcpy(st->refclk, p->refclk, sizeof(st->refclk));
		st->nrefclk = p->nrefclk;
	}
	if (!st->nrefclk)
		warn(p, ms->m_line, "no a=ts-refclk (ST 2110-10 §8.2 requires one)");

	if (ms->mediaclk_line)
		err = check_mediaclk(p, ms->mediaclk_line, &ms->mclk, st);
	else if (p->mediaclk_line)
		err = check_mediaclk(p, p->mediaclk_line, &p->mclk, st);
	else {
		warn(p, ms->m_line, "no a=mediaclk (ST 2110-10 §8.2 requires direct=0); direct=0 assumed");
		err = 0;
	}
	if (err)
		return err;

	switch (st->media) {
	case ST2110_SDP_VIDEO:
		return finish_video(p, st, ms);
	case ST2110_SDP_AUDIO:
		return finish_audio(p, st, ms);
	case ST2110_SDP_ANC:
		return ms->fmtp ? each_param(p, ms->fmtp_line, ms->fmtp, anc_param_cb, &st->anc) : 0;
	}
	return 0;
}

/* ---- groups ------------------------------------------------------------ */

static bool same_essence(const struct st2110_sdp_stream *a, const struct st2110_sdp_stream *b)
{
	if (a->media != b->media || a->pt != b->pt || a->clock_hz != b->clock_hz)
		return false;
	switch (a->media) {
	case ST2110_SDP_VIDEO:
		return a->video.fmt.width_px == b->video.fmt.width_px &&
		       a->video.fmt.height_px == b->video.fmt.height_px &&
		       a->video.fmt.rate.num == b->video.fmt.rate.num &&
		       a->video.fmt.rate.den == b->video.fmt.rate.den &&
		       a->video.fmt.scan == b->video.fmt.scan &&
		       a->video.fmt.sampling == b->video.fmt.sampling &&
		       a->video.fmt.depth == b->video.fmt.depth &&
		       a->video.fmt.packing == b->video.fmt.packing &&
		       a->video.type == b->video.type;
	case ST2110_SDP_AUDIO:
		return a->audio.fmt.rate_hz == b->audio.fmt.rate_hz &&
		       a->audio.fmt.channels == b->audio.fmt.channels &&
		       a->audio.fmt.depth_bits == b->audio.fmt.depth_bits &&
		       a->audio.fmt.samples_per_pkt == b->audio.fmt.samples_per_pkt;
	}
	return true;
}

static int resolve_groups(struct parser *p)
{
	struct st2110_sdp *sdp = p->sdp;
	struct st2110_sdp_group *g;
	struct st2110_sdp_stream *a, *b;
	char *tok[ST2110_SDP_MAX_STREAMS + 1];
	unsigned int gi, j, k, ln;
	int n;

	for (gi = 0; gi < p->ngroup_lines; gi++) {
		ln = p->group_line[gi];
		g = &sdp->group[sdp->ngroup];
		n = split(p->group_mids[gi], tok, ST2110_SDP_MAX_STREAMS + 1);
		if (n < 2)
			return fail(p, ln, "group:DUP: needs at least two mids");
		if (n > ST2110_SDP_MAX_STREAMS)
			return fail(p, ln, "group:DUP: more than %d mids", ST2110_SDP_MAX_STREAMS);
		for (j = 0; j < (unsigned int)n; j++) {
			for (k = 0; k < sdp->nstream; k++)
				if (!strcmp(sdp->stream[k].mid, tok[j]))
					break;
			if (k == sdp->nstream)
				return fail(p, ln, "group:DUP: no media has a=mid:%s", tok[j]);
			if (sdp->stream[k].dup_group >= 0)
				return fail(p, ln, "group:DUP: %s is already in a group", Q(tok[j]));
			sdp->stream[k].dup_group = (int)sdp->ngroup;
			g->stream[g->nstream++] = k;
		}
		sdp->ngroup++;
		for (j = 1; j < g->nstream; j++) {
			a = &sdp->stream[g->stream[0]];
			b = &sdp->stream[g->stream[j]];
			if (!same_essence(a, b))
				return fail(p, ln, "group:DUP: %s and %s carry different formats (ST 2022-7 needs identical RTP payloads)",
					    Q(a->mid), Q(b->mid));
			/* ST 2110-10 §8.3: the copies must not share both addresses */
			if (st2110_sdp_addr_equal(&a->dst, &b->dst) &&
			    a->filter.present == b->filter.present &&
			    (!a->filter.present ||
			     st2110_sdp_addr_equal(&a->filter.src[0], &b->filter.src[0])))
				return fail(p, ln, "group:DUP: %s and %s have the same source and destination addresses",
					    Q(a->mid), Q(b->mid));
		}
	}
	return 0;
}

/* ---- the line grammar -------------------------------------------------- */

/* Letters RFC 4566 defines; any other makes the whole description invalid. */
static bool known_type(char t)
{
	return strchr("vosiuepcbtrzkam", t) != NULL;
}

/* Order and multiplicity (RFC 4566 §5).  Returns 0 or an error. */
static int check_order(struct parser *p, unsigned int ln, char t)
{
	const char *order = p->in_media ? media_order : session_order;
	const char *pos = strchr(order, t);
	int rank;

	if (!pos)
		return fail(p, ln, "'%c=' is not allowed in a media description", t);
	/* t= and r= alternate: one rank */
	rank = t == 'r' ? (int)(strchr(order, 't') - order) : (int)(pos - order);
	if (rank < p->rank)
		return fail(p, ln, "'%c=' line out of order (RFC 4566 §5: %s)", t,
			    p->in_media ? "m= i= c= b= k= a=" :
			    "v= o= s= i= u= e= p= c= b= t= r= z= k= a=, then the media");
	if (p->seen[t - 'a'] && strchr(p->in_media ? "mick" : "vosiuczk", t))
		return fail(p, ln, "second '%c=' line%s", t,
			    t == 'c' && p->in_media ? " (one c= per media description is supported)" : "");
	if (p->seen[t - 'a'] < 100)
		p->seen[t - 'a']++;
	p->rank = rank;
	return 0;
}

static int parse_line(struct parser *p, unsigned int ln, char t, char *v)
{
	int err;

	if (!known_type(t))
		return fail(p, ln, "unknown line type '%c=' (RFC 4566 §5: the description is invalid)", t);
	if (ln == 1 && t != 'v')
		return fail(p, ln, "the first line must be v=0");
	if (t == 'm') {
		if (!p->in_media && (!p->seen['o' - 'a'] || !p->seen['s' - 'a'] ||
				     !p->seen['t' - 'a']))
			return fail(p, ln, "m= before the %s= line (v=, o=, s= and t= are required)",
				    !p->seen['o' - 'a'] ? "o" : !p->seen['s' - 'a'] ? "s" : "t");
		if (p->in_media) {
			err = finish_media(p, p->sdp->nstream - 1);
			if (err)
				return err;
		}
		p->in_media = true;
		p->rank = 0;
		memset(p->seen, 0, sizeof(p->seen));
	}
	err = check_order(p, ln, t);
	if (err)
		return err;
	if (!p->in_media && t != 'v' && !p->seen['v' - 'a'])
		return fail(p, ln, "the first line must be v=0");
	if (!p->in_media && (t == 's' || t == 't') && !p->seen['o' - 'a'])
		return fail(p, ln, "'%c=' before o=", t);

	switch (t) {
	case 'v':
		return parse_v(p, ln, v);
	case 'o':
		return parse_o(p, ln, v);
	case 's':
		return parse_text(p, ln, p->sdp->name, sizeof(p->sdp->name), "s", v);
	case 'i':
		if (p->in_media)
			return 0;	/* media titles are not kept */
		return parse_text(p, ln, p->sdp->info, sizeof(p->sdp->info), "i", v);
	case 't':
		return parse_t(p, ln, v);
	case 'c':
		if (p->in_media) {
			p->m[p->sdp->nstream - 1].c_line = ln;
			return parse_c(p, ln, v, &p->m[p->sdp->nstream - 1].c);
		}
		p->c_line = ln;
		return parse_c(p, ln, v, &p->c);
	case 'm':
		return parse_m(p, ln, v);
	case 'a':
		return parse_a(p, ln, v);
	}
	return 0;			/* u e p b r z k: valid, not needed */
}

/* Reject bytes no SDP text may hold; CR only before LF (stripped by the caller). */
static int check_bytes(struct parser *p, unsigned int ln, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\r')
			return fail(p, ln, "carriage return inside the line");
		if (c == '\0')
			return fail(p, ln, "NUL byte in the line");
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return fail(p, ln, "control character 0x%02x in the line", c);
	}
	return 0;
}

int st2110_sdp_parse(struct st2110_sdp *sdp, const char *buf, size_t len,
		     struct st2110_sdp_diag *err)
{
	struct parser *p;
	char *text, *s, *end, *nl;
	unsigned int ln = 0, blank = 0;
	size_t n;
	int ret = 0;

	memset(sdp, 0, sizeof(*sdp));
	memset(err, 0, sizeof(*err));
	p = calloc(1, sizeof(*p));
	text = malloc(len + 1);
	if (!p || !text) {
		free(p);
		free(text);
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		return -ENOMEM;
	}
	p->sdp = sdp;
	p->err = err;
	memcpy(text, buf, len);
	text[len] = '\0';
	end = text + len;

	for (s = text; s < end && !ret; s = nl + 1) {
		ln++;
		nl = memchr(s, '\n', (size_t)(end - s));
		if (!nl)
			nl = end;	/* no final newline */
		n = (size_t)(nl - s);
		if (n && s[n - 1] == '\r')
			n--;
		s[n] = '\0';
		if (!n) {
			/* tolerated at the end only (editors add them) */
			blank = blank ? blank : ln;
			continue;
		}
		if (blank) {
			ret = fail(p, blank, "empty line");
			break;
		}
		ret = check_bytes(p, ln, s, n);
		if (ret)
			break;
		if (s[0] == ' ' || s[0] == '\t')
			ret = fail(p, ln, "line starts with white space: SDP has no continuation lines (is the previous line folded?)");
		else if (n < 2 || s[1] != '=' || s[0] < 'a' || s[0] > 'z')
			ret = fail(p, ln, "not a '<type>=<value>' line: %s", Q(s));
		else
			ret = parse_line(p, ln, s[0], s + 2);
	}
	if (!ret) {
		if (!p->seen['v' - 'a'] && !p->in_media)
			ret = fail(p, 0, "empty description (no v=0 line)");
		else if (!p->in_media)
			ret = fail(p, 0, "no m= line (no media description)");
		else
			ret = finish_media(p, sdp->nstream - 1);
	}
	if (!ret)
		ret = resolve_groups(p);
	free(text);
	free(p);
	return ret;
}

int st2110_sdp_load(struct st2110_sdp *sdp, const char *path, struct st2110_sdp_diag *err)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	char *buf;
	size_t n;
	int e;

	memset(sdp, 0, sizeof(*sdp));
	memset(err, 0, sizeof(*err));
	if (!f) {
		e = errno;
		snprintf(err->msg, sizeof(err->msg), "cannot open: %s", strerror(e));
		return -e;
	}
	buf = malloc(ST2110_SDP_MAX_BYTES + 1);
	if (!buf) {
		if (f != stdin)
			fclose(f);
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		return -ENOMEM;
	}
	n = fread(buf, 1, ST2110_SDP_MAX_BYTES + 1, f);
	e = ferror(f) ? (errno ? errno : EIO) : 0;
	if (f != stdin)
		fclose(f);
	if (e) {
		snprintf(err->msg, sizeof(err->msg), "read error: %s", strerror(e));
		free(buf);
		return -e;
	}
	if (n > ST2110_SDP_MAX_BYTES) {
		snprintf(err->msg, sizeof(err->msg), "larger than %d bytes: not an SDP file",
			 ST2110_SDP_MAX_BYTES);
		free(buf);
		return -EFBIG;
	}
	e = st2110_sdp_parse(sdp, buf, n, err);
	free(buf);
	return e;
}

/* ---- writer ------------------------------------------------------------ */

#define CRLF	"\r\n"

static void write_ms(FILE *f, uint64_t ns)
{
	uint64_t frac = ns % 1000000;
	int digits = 6;

	fprintf(f, "%llu", (unsigned long long)(ns / 1000000));
	if (!frac)
		return;
	while (frac % 10 == 0) {
		frac /= 10;
		digits--;
	}
	fprintf(f, ".%0*llu", digits, (unsigned long long)frac);
}

static const char *ipver(int family)
{
	return family == AF_INET6 ? "IP6" : "IP4";
}

static void write_refclk(FILE *f, const struct st2110_sdp_refclk *rc)
{
	const uint8_t *g = rc->gmid;

	switch (rc->kind) {
	case ST2110_REFCLK_LOCALMAC:
		fprintf(f, "a=ts-refclk:localmac=%02X-%02X-%02X-%02X-%02X-%02X" CRLF,
			rc->mac[0], rc->mac[1], rc->mac[2], rc->mac[3], rc->mac[4], rc->mac[5]);
		return;
	case ST2110_REFCLK_PTP_TRACEABLE:
		if (rc->version == ST2110_PTP_VERSION_NONE)
			fprintf(f, "a=ts-refclk:ptp=traceable" CRLF);
		else
			fprintf(f, "a=ts-refclk:ptp=%s:traceable" CRLF,
				st2110_sdp_ptp_version_name(rc->version));
		return;
	}
	fprintf(f, "a=ts-refclk:ptp=%s:%02X-%02X-%02X-%02X-%02X-%02X-%02X-%02X",
		st2110_sdp_ptp_version_name(rc->version),
		g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7]);
	if (rc->has_domain)
		fprintf(f, ":%u", rc->domain);
	fputs(CRLF, f);
}

static void write_video_fmtp(FILE *f, const struct st2110_sdp_stream *st)
{
	const struct st2110_sdp_video *vd = &st->video;
	const struct st2110_video_fmt *fmt = &vd->fmt;

	fprintf(f, "a=fmtp:%u sampling=%s; width=%u; height=%u; exactframerate=%u",
		st->pt, st2110_sampling_name(fmt->sampling), fmt->width_px,
		fmt->height_px, fmt->rate.num);
	if (fmt->rate.den != 1)
		fprintf(f, "/%u", fmt->rate.den);
	fprintf(f, "; depth=%s", st2110_depth_name(fmt->depth));
	if (vd->tcs)
		fprintf(f, "; TCS=%s", tcs_names[vd->tcs]);
	fprintf(f, "; colorimetry=%s; PM=%s; SSN=%s",
		colorimetry_names[vd->colorimetry], packing_names[fmt->packing],
		ssn_names[vd->ssn]);
	if (fmt->scan != ST2110_SCAN_PROGRESSIVE)
		fputs("; interlace", f);
	if (fmt->scan == ST2110_SCAN_PSF)
		fputs("; segmented", f);
	fprintf(f, "; TP=%s", type_names[vd->type]);
	if (vd->has_troff)
		fprintf(f, "; TROFF=%u", vd->troff_us);
	if (vd->cmax_pkts)
		fprintf(f, "; CMAX=%u", vd->cmax_pkts);
	if (vd->maxudp_bytes)
		fprintf(f, "; MAXUDP=%u", vd->maxudp_bytes);
	if (vd->range)
		fprintf(f, "; RANGE=%s", range_names[vd->range]);
	if (vd->par_w)
		fprintf(f, "; PAR=%u:%u", vd->par_w, vd->par_h);
	fputs(CRLF, f);
}

/* Can the writer express this stream?  (Parsed streams always pass.) */
static bool writable(const struct st2110_sdp_stream *st)
{
	const struct st2110_sdp_video *vd = &st->video;

	if (!st->dst.family || !st->port || st->pt < ST2110_RTP_PT_DYNAMIC_MIN ||
	    st->pt > ST2110_RTP_PT_DYNAMIC_MAX || st->nrefclk > ST2110_SDP_MAX_REFCLKS ||
	    st->filter.nsrc > ST2110_SDP_MAX_SOURCES || (st->filter.present && !st->filter.nsrc))
		return false;
	switch (st->media) {
	case ST2110_SDP_VIDEO:
		return st2110_sampling_name(vd->fmt.sampling) && st2110_depth_name(vd->fmt.depth) &&
		       vd->fmt.rate.num && vd->fmt.rate.den &&
		       vd->fmt.packing < __ST2110_PACKING_MAX && vd->fmt.scan < __ST2110_SCAN_MAX &&
		       vd->type < __ST2110_TYPE_MAX && vd->colorimetry &&
		       vd->colorimetry < __ST2110_COLORIMETRY_MAX && vd->ssn &&
		       vd->ssn < __ST2110_SSN_MAX && vd->tcs < __ST2110_TCS_MAX &&
		       vd->range < __ST2110_RANGE_MAX && !vd->par_w == !vd->par_h;
	case ST2110_SDP_AUDIO:
		return (st->audio.fmt.depth_bits == 16 || st->audio.fmt.depth_bits == 24) &&
		       st->audio.fmt.rate_hz && st->audio.fmt.samples_per_pkt &&
		       st->audio.fmt.channels;
	case ST2110_SDP_ANC:
		return st->anc.ndid <= ST2110_SDP_MAX_ANC;
	}
	return false;
}

static void write_stream(FILE *f, const struct st2110_sdp_stream *st)
{
	char a[INET6_ADDRSTRLEN];
	unsigned int i;
	uint64_t ptime_ns;

	fprintf(f, "m=%s %u", st->media == ST2110_SDP_AUDIO ? "audio" : "video", st->port);
	if (st->port_count > 1)
		fprintf(f, "/%u", st->port_count);
	fprintf(f, " RTP/AVP %u" CRLF, st->pt);
	fprintf(f, "c=IN %s %s", ipver(st->dst.family), st2110_sdp_addr_str(&st->dst, a, sizeof(a)));
	if (st->dst.family == AF_INET && addr_is_multicast(&st->dst))
		fprintf(f, "/%u", st->ttl);
	if (st->addr_count > 1)
		fprintf(f, "/%u", st->addr_count);
	fputs(CRLF, f);
	if (st->filter.present) {
		fprintf(f, "a=source-filter: %s IN %s %s", st->filter.exclude ? "excl" : "incl",
			ipver(st->dst.family),
			st->filter.any_dst ? "*" : st2110_sdp_addr_str(&st->filter.dst, a, sizeof(a)));
		for (i = 0; i < st->filter.nsrc; i++)
			fprintf(f, " %s", st2110_sdp_addr_str(&st->filter.src[i], a, sizeof(a)));
		fputs(CRLF, f);
	}
	switch (st->media) {
	case ST2110_SDP_VIDEO:
		fprintf(f, "a=rtpmap:%u raw/90000" CRLF, st->pt);
		write_video_fmtp(f, st);
		break;
	case ST2110_SDP_AUDIO:
		fprintf(f, "a=rtpmap:%u L%u/%u/%u" CRLF, st->pt, st->audio.fmt.depth_bits,
			st->audio.fmt.rate_hz, st->audio.fmt.channels);
		if (st->audio.channel_order[0])
			fprintf(f, "a=fmtp:%u channel-order=%s" CRLF, st->pt, st->audio.channel_order);
		/* to the µs: reads back as the same sample count at any rate */
		ptime_ns = st2110_muldiv_round(st->audio.fmt.samples_per_pkt, 1000000,
					       st->audio.fmt.rate_hz) * 1000;
		fputs("a=ptime:", f);
		write_ms(f, ptime_ns);
		fputs(CRLF, f);
		if (st->audio.maxptime_ns) {
			fputs("a=maxptime:", f);
			write_ms(f, st->audio.maxptime_ns);
			fputs(CRLF, f);
		}
		break;
	case ST2110_SDP_ANC:
		fprintf(f, "a=rtpmap:%u smpte291/90000" CRLF, st->pt);
		if (st->anc.ndid || st->anc.has_vpid) {
			const char *sep = "";

			fprintf(f, "a=fmtp:%u ", st->pt);
			for (i = 0; i < st->anc.ndid; i++, sep = "; ")
				fprintf(f, "%sDID_SDID={0x%02X,0x%02X}", sep,
					st->anc.did_sdid[i][0], st->anc.did_sdid[i][1]);
			if (st->anc.has_vpid)
				fprintf(f, "%sVPID_Code=%u", sep, st->anc.vpid_code);
			fputs(CRLF, f);
		}
		break;
	}
	for (i = 0; i < st->nrefclk; i++)
		write_refclk(f, &st->refclk[i]);
	fputs("a=mediaclk:direct=0" CRLF, f);
	if (st->has_ssrc)
		fprintf(f, "a=ssrc:%u %s" CRLF, st->ssrc,
			st->ssrc_attr[0] ? st->ssrc_attr : "cname:st2110");
	if (st->mid[0])
		fprintf(f, "a=mid:%s" CRLF, st->mid);
}

int st2110_sdp_write(FILE *f, const struct st2110_sdp *sdp)
{
	unsigned int i, j;

	if (!sdp->nstream || sdp->nstream > ST2110_SDP_MAX_STREAMS ||
	    sdp->ngroup > ST2110_SDP_MAX_GROUPS || !sdp->user[0] || !sdp->origin_addr[0] ||
	    !sdp->name[0])
		return -EINVAL;
	for (i = 0; i < sdp->nstream; i++)
		if (!writable(&sdp->stream[i]) ||
		    (sdp->stream[i].dup_group >= 0 && !sdp->stream[i].mid[0]))
			return -EINVAL;
	fprintf(f, "v=0" CRLF "o=%s %llu %llu IN %s %s" CRLF "s=%s" CRLF, sdp->user,
		(unsigned long long)sdp->sess_id, (unsigned long long)sdp->sess_version,
		ipver(sdp->origin_family), sdp->origin_addr, sdp->name);
	if (sdp->info[0])
		fprintf(f, "i=%s" CRLF, sdp->info);
	fprintf(f, "t=%llu %llu" CRLF, (unsigned long long)sdp->t_start,
		(unsigned long long)sdp->t_stop);
	for (i = 0; i < sdp->ngroup; i++) {
		fputs("a=group:DUP", f);
		for (j = 0; j < sdp->group[i].nstream && j < ST2110_SDP_MAX_STREAMS; j++)
			fprintf(f, " %s", sdp->stream[sdp->group[i].stream[j] % ST2110_SDP_MAX_STREAMS].mid);
		fputs(CRLF, f);
	}
	for (i = 0; i < sdp->nstream; i++)
		write_stream(f, &sdp->stream[i]);
	if (fflush(f) || ferror(f))
		return errno ? -errno : -EIO;
	return 0;
}

int st2110_sdp_write_stream(FILE *f, const struct st2110_sdp_stream *st, const char *name)
{
	struct st2110_sdp *sdp = calloc(1, sizeof(*sdp));
	char a[INET6_ADDRSTRLEN];
	int err;

	if (!sdp)
		return -ENOMEM;
	strcpy(sdp->user, "-");
	sdp->origin_family = st->dst.family == AF_INET6 ? AF_INET6 : AF_INET;
	if (st->filter.present && st->filter.nsrc)
		st2110_sdp_addr_str(&st->filter.src[0], a, sizeof(a));
	else
		strcpy(a, sdp->origin_family == AF_INET6 ? "::" : "0.0.0.0");
	copy_str(sdp->origin_addr, sizeof(sdp->origin_addr), a);
	if (!name || !copy_str(sdp->name, sizeof(sdp->name), name) || !sdp->name[0])
		strcpy(sdp->name, "st2110");
	sdp->nstream = 1;
	sdp->stream[0] = *st;
	sdp->stream[0].dup_group = -1;
	err = st2110_sdp_write(f, sdp);
	free(sdp);
	return err;
}

/* ---- comparison -------------------------------------------------------- */

#define DIFF(field)	do { if (a->field != b->field) return #field; } while (0)
#define DIFF_MEM(field)	do { if (memcmp(&a->field, &b->field, sizeof(a->field))) return #field; } while (0)
#define DIFF_STR(field)	do { if (strcmp(a->field, b->field)) return #field; } while (0)
#define DIFF_ADDR(field) do { if (!st2110_sdp_addr_equal(&a->field, &b->field)) return #field; } while (0)

const char *st2110_sdp_stream_diff(const struct st2110_sdp_stream *a,
				   const struct st2110_sdp_stream *b)
{
	unsigned int i;

	DIFF(media); DIFF(pt); DIFF(port); DIFF(port_count); DIFF(ttl); DIFF(addr_count);
	DIFF_ADDR(dst);
	DIFF(filter.present);
	if (a->filter.present) {
		DIFF(filter.exclude); DIFF(filter.any_dst); DIFF(filter.nsrc);
		if (!a->filter.any_dst)
			DIFF_ADDR(filter.dst);
		for (i = 0; i < a->filter.nsrc && i < ST2110_SDP_MAX_SOURCES; i++)
			DIFF_ADDR(filter.src[i]);
	}
	DIFF(nrefclk);
	for (i = 0; i < a->nrefclk && i < ST2110_SDP_MAX_REFCLKS; i++) {
		DIFF(refclk[i].kind); DIFF(refclk[i].version);
		DIFF(refclk[i].has_domain); DIFF(refclk[i].domain);
		DIFF_MEM(refclk[i].gmid); DIFF_MEM(refclk[i].mac);
	}
	DIFF(clock_hz); DIFF(has_ssrc); DIFF(ssrc);
	DIFF_STR(ssrc_attr); DIFF_STR(mid); DIFF(dup_group);
	switch (a->media) {
	case ST2110_SDP_VIDEO:
		DIFF(video.fmt.width_px); DIFF(video.fmt.height_px);
		DIFF(video.fmt.rate.num); DIFF(video.fmt.rate.den);
		DIFF(video.fmt.max_payload_bytes); DIFF(video.fmt.scan);
		DIFF(video.fmt.sampling); DIFF(video.fmt.depth); DIFF(video.fmt.packing);
		/* tp_assumed is a diagnostic: the canonical form states TP */
		DIFF(video.type); DIFF(video.colorimetry);
		DIFF(video.ssn); DIFF(video.tcs); DIFF(video.range); DIFF(video.has_troff);
		DIFF(video.par_w); DIFF(video.par_h); DIFF(video.troff_us);
		DIFF(video.cmax_pkts); DIFF(video.maxudp_bytes);
		break;
	case ST2110_SDP_AUDIO:
		DIFF(audio.fmt.rate_hz); DIFF(audio.fmt.samples_per_pkt);
		DIFF(audio.fmt.channels); DIFF(audio.fmt.depth_bits);
		DIFF(audio.maxptime_ns); DIFF_STR(audio.channel_order);
		break;
	case ST2110_SDP_ANC:
		DIFF(anc.ndid); DIFF_MEM(anc.did_sdid); DIFF(anc.has_vpid); DIFF(anc.vpid_code);
		break;
	}
	return NULL;
}

const char *st2110_sdp_diff(const struct st2110_sdp *a, const struct st2110_sdp *b)
{
	unsigned int i, j;
	const char *d;

	DIFF_STR(user); DIFF(sess_id); DIFF(sess_version); DIFF(origin_family);
	DIFF_STR(origin_addr); DIFF_STR(name); DIFF_STR(info);
	DIFF(t_start); DIFF(t_stop); DIFF(nstream); DIFF(ngroup);
	for (i = 0; i < a->nstream && i < ST2110_SDP_MAX_STREAMS; i++) {
		d = st2110_sdp_stream_diff(&a->stream[i], &b->stream[i]);
		if (d)
			return d;
	}
	for (i = 0; i < a->ngroup && i < ST2110_SDP_MAX_GROUPS; i++) {
		DIFF(group[i].nstream);
		for (j = 0; j < a->group[i].nstream && j < ST2110_SDP_MAX_STREAMS; j++)
			DIFF(group[i].stream[j]);
	}
	return NULL;
}
