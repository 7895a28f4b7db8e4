// SPDX-License-Identifier: GPL-2.0
/* sdp.c - small strict SDP reader (see sdp.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sdp.h"
#include "util.h"

#define SDP_MAX_BYTES	(1 << 20)

struct sdp_ctx {
	const char *name;
	int line;
	char *err;
	size_t errlen;
	struct sdp *sdp;
	struct addr session_dst;
	struct sdp_media *m;		/* current media section or NULL */
	bool have_fmtp[SDP_MAX_MEDIA];
	int fmtp_line[SDP_MAX_MEDIA];	/* where "lacks X" errors point */
	bool seen[SDP_MAX_MEDIA][16];	/* fmtp keys already given, see fmtp_keys */
};

static int fail(struct sdp_ctx *c, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(c->err, c->errlen, "%s:%d: ", c->name, c->line);
	if (n < 0 || (size_t)n >= c->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* Copy [s, s+len) into a bounded, NUL-terminated buffer. */
static void copy_tok(char *dst, size_t dstlen, const char *s, size_t len)
{
	if (len >= dstlen)
		len = dstlen - 1;
	memcpy(dst, s, len);
	dst[len] = '\0';
}

static int parse_conn(struct sdp_ctx *c, const char *v, size_t len, struct addr *a)
{
	char buf[80], *slash;
	int family;

	if (len > 7 && !strncmp(v, "IN IP4 ", 7))
		family = 4;
	else if (len > 7 && !strncmp(v, "IN IP6 ", 7))
		family = 6;
	else
		return fail(c, "c= must be 'IN IP4 <address>' or 'IN IP6 <address>'");
	copy_tok(buf, sizeof(buf), v + 7, len - 7);
	slash = strchr(buf, '/');	/* TTL and address count are not needed */
	if (slash)
		*slash = '\0';
	memset(a, 0, sizeof(*a));
	if (inet_pton(family == 4 ? AF_INET : AF_INET6, buf, a->a) != 1)
		return fail(c, "c= address '%s' is not a valid IPv%d address", buf, family);
	a->family = (uint8_t)family;
	return 0;
}

static int parse_media(struct sdp_ctx *c, const char *v, size_t len)
{
	const char *end = v + len, *p = v, *tok;
	struct sdp_media *m;
	uint64_t port, pt;
	size_t n;

	if (c->sdp->nmedia == SDP_MAX_MEDIA)
		return fail(c, "more than %d media sections", SDP_MAX_MEDIA);
	m = &c->sdp->media[c->sdp->nmedia];
	memset(m, 0, sizeof(*m));
	m->line = c->line;
	m->pt = -1;
	m->packing = -1;
	m->tp = -1;
	m->troff_us = -1;
	m->cmax_pkts = -1;
	m->dst = c->session_dst;

	for (tok = p; p < end && !is_space(*p); p++)
		;
	copy_tok(m->media, sizeof(m->media), tok, (size_t)(p - tok));
	while (p < end && is_space(*p))
		p++;
	for (tok = p; p < end && *p != '/' && !is_space(*p); p++)
		;
	if (parse_u64_n(tok, (size_t)(p - tok), 65535, &port))
		return fail(c, "m= port must be 0..65535");
	while (p < end && !is_space(*p))	/* "/<number of ports>" */
		p++;
	while (p < end && is_space(*p))
		p++;
	while (p < end && !is_space(*p))	/* protocol */
		p++;
	while (p < end && is_space(*p))
		p++;
	for (tok = p; p < end && !is_space(*p); p++)
		;
	n = (size_t)(p - tok);
	if (parse_u64_n(tok, n, 127, &pt))
		return fail(c, "m= line must be '<media> <port> <proto> <payload type>'");
	m->port = (uint16_t)port;
	m->pt = (int)pt;
	c->m = m;
	c->sdp->nmedia++;
	return 0;
}

static int parse_rtpmap(struct sdp_ctx *c, const char *v, size_t len)
{
	struct sdp_media *m = c->m;
	const char *sp = memchr(v, ' ', len), *s1, *s2, *end = v + len;
	uint64_t pt, clock, ch = 1;

	if (!sp || parse_u64_n(v, (size_t)(sp - v), 127, &pt))
		return fail(c, "rtpmap must be '<payload type> <encoding>/<clock rate>[/<channels>]'");
	if ((int)pt != m->pt)
		return 0;		/* another format of this m= line */
	s1 = memchr(sp + 1, '/', (size_t)(end - sp - 1));
	if (!s1 || s1 == sp + 1)
		return fail(c, "rtpmap encoding must be followed by '/<clock rate>'");
	s2 = memchr(s1 + 1, '/', (size_t)(end - s1 - 1));
	if (parse_u64_n(s1 + 1, (size_t)((s2 ? s2 : end) - s1 - 1), 10000000, &clock) || !clock)
		return fail(c, "rtpmap clock rate must be a positive integer");
	if (s2 && (parse_u64_n(s2 + 1, (size_t)(end - s2 - 1), ST2110_AUDIO_MAX_CHANNELS, &ch) || !ch))
		return fail(c, "rtpmap channel count must be 1..%d", ST2110_AUDIO_MAX_CHANNELS);
	copy_tok(m->encoding, sizeof(m->encoding), sp + 1, (size_t)(s1 - sp - 1));
	m->clock_hz = (uint32_t)clock;
	m->channels = (uint16_t)ch;
	return 0;
}

static const struct {
	const char *name;
	int value;
} sampling_names[] = {
	{ "YCbCr-4:4:4", ST2110_SAMPLING_YCBCR_444 },
	{ "YCbCr-4:2:2", ST2110_SAMPLING_YCBCR_422 },
	{ "YCbCr-4:2:0", ST2110_SAMPLING_YCBCR_420 },
	{ "CLYCbCr-4:4:4", ST2110_SAMPLING_CLYCBCR_444 },
	{ "CLYCbCr-4:2:2", ST2110_SAMPLING_CLYCBCR_422 },
	{ "CLYCbCr-4:2:0", ST2110_SAMPLING_CLYCBCR_420 },
	{ "ICtCp-4:4:4", ST2110_SAMPLING_ICTCP_444 },
	{ "ICtCp-4:2:2", ST2110_SAMPLING_ICTCP_422 },
	{ "ICtCp-4:2:0", ST2110_SAMPLING_ICTCP_420 },
	{ "RGB", ST2110_SAMPLING_RGB },
	{ "XYZ", ST2110_SAMPLING_XYZ },
	{ "KEY", ST2110_SAMPLING_KEY },
};

/* fmtp keys the analyzer reads; each may appear once */
enum {
	K_WIDTH, K_HEIGHT, K_RATE, K_INTERLACE, K_SEGMENTED, K_PROGRESSIVE,
	K_SAMPLING, K_DEPTH, K_PM, K_TP, K_TROFF, K_CMAX, K_MAX
};
static const char *const fmtp_keys[K_MAX] = {
	"width", "height", "exactframerate", "interlace", "segmented", "progressive",
	"sampling", "depth", "PM", "TP", "TROFF", "CMAX",
};
static const bool fmtp_is_flag[K_MAX] = {
	[K_INTERLACE] = true, [K_SEGMENTED] = true, [K_PROGRESSIVE] = true,
};

static int fmtp_param(struct sdp_ctx *c, const char *k, size_t klen,
		      const char *v, size_t vlen, bool has_value)
{
	struct sdp_media *m = c->m;
	int idx = (int)(m - c->sdp->media), key;
	uint64_t u;
	size_t i;

	for (key = 0; key < K_MAX; key++)
		if (strlen(fmtp_keys[key]) == klen && !strncmp(fmtp_keys[key], k, klen))
			break;
	if (key == K_MAX) {
		if (has_value)
			return 0;	/* a parameter the analyzer does not need */
		if (klen == 10 && !strncmp(k, "interlaced", 10))
			return fail(c, "unknown fmtp flag 'interlaced' (ST 2110-20 spells it 'interlace')");
		return fail(c, "unknown fmtp flag '%.*s'", (int)klen, k);
	}
	if (c->seen[idx][key])
		return fail(c, "fmtp parameter '%s' given twice", fmtp_keys[key]);
	c->seen[idx][key] = true;
	if (fmtp_is_flag[key] && has_value)
		return fail(c, "fmtp flag '%s' takes no value", fmtp_keys[key]);
	if (!fmtp_is_flag[key] && (!has_value || !vlen))
		return fail(c, "fmtp parameter '%s' needs a value", fmtp_keys[key]);

	switch (key) {
	case K_WIDTH:
	case K_HEIGHT:
		if (parse_u64_n(v, vlen, 0x8000 * (key == K_HEIGHT ? 2 : 1), &u) || !u)
			return fail(c, "fmtp %s must be a positive integer", fmtp_keys[key]);
		if (key == K_WIDTH)
			m->fmt.width_px = (uint32_t)u;
		else
			m->fmt.height_px = (uint32_t)u;
		break;
	case K_RATE:
		if (vfmt_parse_fraction(v, vlen, &m->fmt.rate))
			return fail(c, "fmtp exactframerate must be an integer or N/D, e.g. 60000/1001");
		break;
	case K_INTERLACE:
		m->fmt.scan = ST2110_SCAN_INTERLACED;
		break;
	case K_SEGMENTED:
	case K_PROGRESSIVE:	/* not in ST 2110-20, but common: the default */
		break;
	case K_SAMPLING:
		for (i = 0; i < sizeof(sampling_names) / sizeof(sampling_names[0]); i++)
			if (strlen(sampling_names[i].name) == vlen &&
			    !strncmp(sampling_names[i].name, v, vlen))
				break;
		if (i == sizeof(sampling_names) / sizeof(sampling_names[0]))
			return fail(c, "fmtp sampling '%.*s' is not an ST 2110-20 value", (int)vlen, v);
		m->sampling = sampling_names[i].value;
		break;
	case K_DEPTH:
		if (vlen == 3 && !strncmp(v, "16f", 3))
			m->depth = ST2110_DEPTH_16F;
		else if (!parse_u64_n(v, vlen, 16, &u) && (u == 8 || u == 10 || u == 12 || u == 16))
			m->depth = (int)u;
		else
			return fail(c, "fmtp depth must be 8, 10, 12, 16 or 16f");
		break;
	case K_PM:
		if (vlen == 7 && !strncmp(v, "2110GPM", 7))
			m->packing = ST2110_PACKING_GPM;
		else if (vlen == 7 && !strncmp(v, "2110BPM", 7))
			m->packing = ST2110_PACKING_BPM;
		else
			return fail(c, "fmtp PM must be 2110GPM or 2110BPM");
		break;
	case K_TP:
		if (vlen == 7 && !strncmp(v, "2110TPN", 7))
			m->tp = ST2110_TYPE_N;
		else if (vlen == 8 && !strncmp(v, "2110TPNL", 8))
			m->tp = ST2110_TYPE_NL;
		else if (vlen == 7 && !strncmp(v, "2110TPW", 7))
			m->tp = ST2110_TYPE_W;
		else
			return fail(c, "fmtp TP must be 2110TPN, 2110TPNL or 2110TPW");
		break;
	case K_TROFF:
		if (parse_u64_n(v, vlen, 10000000, &u))
			return fail(c, "fmtp TROFF must be a non-negative integer (microseconds)");
		m->troff_us = (int64_t)u;
		break;
	case K_CMAX:
		if (parse_u64_n(v, vlen, 1U << 20, &u) || !u)
			return fail(c, "fmtp CMAX must be a positive integer");
		m->cmax_pkts = (int64_t)u;
		break;
	}
	return 0;
}

static int parse_fmtp(struct sdp_ctx *c, const char *v, size_t len)
{
	const char *sp = memchr(v, ' ', len), *p, *end = v + len;
	uint64_t pt;

	if (!sp || parse_u64_n(v, (size_t)(sp - v), 127, &pt))
		return fail(c, "fmtp must be '<payload type> <parameters>'");
	if ((int)pt != c->m->pt)
		return 0;
	if (c->have_fmtp[c->m - c->sdp->media])
		return fail(c, "second a=fmtp for payload type %d", c->m->pt);
	c->have_fmtp[c->m - c->sdp->media] = true;
	c->fmtp_line[c->m - c->sdp->media] = c->line;
	/* parameters are "name=value" or "flag", separated by ';' */
	for (p = sp + 1; p < end;) {
		const char *k, *kend, *semi = p, *eq, *vs, *ve;

		while (semi < end && *semi != ';')
			semi++;
		while (p < semi && is_space(*p))
			p++;
		ve = semi;
		while (ve > p && is_space(ve[-1]))
			ve--;
		if (ve > p) {
			k = p;
			for (eq = p; eq < ve && *eq != '='; eq++)
				;
			kend = eq;
			vs = eq < ve ? eq + 1 : ve;
			if (kend == k)
				return fail(c, "fmtp parameter without a name");
			if (fmtp_param(c, k, (size_t)(kend - k), vs, (size_t)(ve - vs), eq < ve))
				return -1;
		}
		p = semi + 1;
	}
	return 0;
}

static int parse_attr(struct sdp_ctx *c, const char *v, size_t len)
{
	int64_t ms_e9;

	if (!c->m)
		return 0;		/* session attributes: none needed */
	if (len > 7 && !strncmp(v, "rtpmap:", 7))
		return parse_rtpmap(c, v + 7, len - 7);
	if (len > 5 && !strncmp(v, "fmtp:", 5))
		return parse_fmtp(c, v + 5, len - 5);
	if (len > 6 && !strncmp(v, "ptime:", 6)) {
		if (parse_decimal_e9(v + 6, len - 6, false, &ms_e9) || ms_e9 <= 0 ||
		    ms_e9 > 1000LL * 1000000000LL)
			return fail(c, "ptime must be a positive number of milliseconds");
		/* ms * 1e9 / 1e3 = ns * 1e3: exact for up to 6 decimals of ms */
		if (ms_e9 % 1000)
			return fail(c, "ptime has more precision than 1 ns");
		c->m->ptime_ns = (uint64_t)ms_e9 / 1000;
		return 0;
	}
	if (len > 4 && !strncmp(v, "mid:", 4)) {
		copy_tok(c->m->mid, sizeof(c->m->mid), v + 4, len - 4);
		return 0;
	}
	return 0;
}

/* What the analyzer needs from each media section, checked once all is read. */
static int finish_media(struct sdp_ctx *c, struct sdp_media *m, int idx)
{
	c->line = m->line;
	if (!m->encoding[0])
		return fail(c, "no a=rtpmap for payload type %d", m->pt);
	if (!strcasecmp(m->encoding, "raw")) {
		m->kind = SDP_VIDEO_RAW;
		if (m->clock_hz != ST2110_RTP_VIDEO_CLOCK_HZ)
			return fail(c, "raw video must use the 90000 Hz RTP clock");
		if (!c->have_fmtp[idx])
			return fail(c, "no a=fmtp for raw video payload type %d", m->pt);
		c->line = c->fmtp_line[idx];
		if (!m->fmt.width_px)
			return fail(c, "raw video fmtp lacks width");
		if (!m->fmt.height_px)
			return fail(c, "raw video fmtp lacks height");
		if (!m->fmt.rate.num)
			return fail(c, "raw video fmtp lacks exactframerate");
		if (c->seen[idx][K_SEGMENTED]) {
			if (!c->seen[idx][K_INTERLACE])
				return fail(c, "fmtp 'segmented' requires 'interlace' (ST 2110-20 §7.3)");
			m->fmt.scan = ST2110_SCAN_PSF;
		}
		if (c->seen[idx][K_PROGRESSIVE] && c->seen[idx][K_INTERLACE])
			return fail(c, "fmtp has both 'progressive' and 'interlace'");
	} else if (!strcasecmp(m->encoding, "L24") || !strcasecmp(m->encoding, "L16")) {
		m->kind = SDP_AUDIO_PCM;
		m->depth_bits = m->encoding[1] == '2' ? 24 : 16;
	} else {
		m->kind = SDP_OTHER;
	}
	return 0;
}

int sdp_parse(const char *buf, size_t len, const char *name, struct sdp *sdp,
	      char *err, size_t errlen)
{
	struct sdp_ctx c = { .name = name, .err = err, .errlen = errlen, .sdp = sdp };
	const char *p = buf, *end = buf + len;
	int i;

	memset(sdp, 0, sizeof(*sdp));
	if (memchr(buf, '\0', len)) {
		c.line = 1;
		return fail(&c, "NUL byte in file: not an SDP text");
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end, *q;
		size_t n;

		c.line++;
		if (le > p && le[-1] == '\r')
			le--;
		n = (size_t)(le - p);
		if (!n) {
			/* blank lines are tolerated at the end of the file only */
			for (q = nl ? nl + 1 : end; q < end; q++)
				if (*q != '\r' && *q != '\n' && !is_space(*q))
					return fail(&c, "empty line inside the SDP");
			break;
		}
		if (n < 2 || p[1] != '=' || p[0] < 'a' || p[0] > 'z')
			return fail(&c, "expected '<letter>=<value>'%s",
				    is_space(p[0]) ? " (folded/continued lines are not valid SDP)" : "");
		if (c.line == 1 && (n != 3 || strncmp(p, "v=0", 3)))
			return fail(&c, "an SDP starts with 'v=0'");
		switch (p[0]) {
		case 'm':
			if (parse_media(&c, p + 2, n - 2))
				return -1;
			break;
		case 'c':
			if (parse_conn(&c, p + 2, n - 2, c.m ? &c.m->dst : &c.session_dst))
				return -1;
			break;
		case 'a':
			if (parse_attr(&c, p + 2, n - 2))
				return -1;
			break;
		}
		p = nl ? nl + 1 : end;
	}
	if (!c.line) {
		c.line = 1;
		return fail(&c, "empty file");
	}
	if (!sdp->nmedia)
		return fail(&c, "no media (m=) section");
	for (i = 0; i < sdp->nmedia; i++)
		if (finish_media(&c, &sdp->media[i], i))
			return -1;
	return 0;
}

int sdp_parse_file(const char *path, struct sdp *sdp, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;
	int ret;

	if (!f) {
		snprintf(err, errlen, "%s: cannot open SDP file: %s", path, strerror(errno));
		return -1;
	}
	buf = malloc(SDP_MAX_BYTES + 1);
	if (!buf) {
		fclose(f);
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	n = fread(buf, 1, SDP_MAX_BYTES + 1, f);
	if (ferror(f) || n > SDP_MAX_BYTES) {
		snprintf(err, errlen, "%s: %s", path, ferror(f) ? "read error" :
			 "larger than 1 MiB: not an SDP file");
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	ret = sdp_parse(buf, n, path, sdp, err, errlen);
	free(buf);
	return ret;
}

const char *sdp_tp_name(int tp)
{
	switch (tp) {
	case ST2110_TYPE_N:	return "2110TPN";
	case ST2110_TYPE_NL:	return "2110TPNL";
	case ST2110_TYPE_W:	return "2110TPW";
	}
	return NULL;
}
