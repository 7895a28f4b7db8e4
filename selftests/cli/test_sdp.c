// SPDX-License-Identifier: GPL-2.0
/*
 * test_sdp.c - unit tests of the SDP reader/writer (userspace/lib/sdp.c).
 *
 *  - every file of shared/data/sdp/: loaded with the values asserted field
 *    by field, or rejected with the expected line and message;
 *  - hand-written descriptions: 125 µs audio, 2160p, BPM, PsF, IPv6, CRLF,
 *    no final newline, session-level defaults, TROFF, and about fifty
 *    rejections, each with its line and message;
 *  - round trip: write(parse(x)) parses back equal, and the canonical form
 *    is a fixed point;
 *  - a mutation fuzz (each line deleted, every truncation, random edits)
 *    that must never crash (this file is also built with ASan+UBSan) and
 *    whose accepted results must round-trip too.
 *
 * usage: test_sdp [--plan] SDP_DIR
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <kselftest.h>

#include "sdp.h"

static const char *sdp_dir;
static unsigned int fails;

#define CHECK(cond, fmt, ...) do {						\
	if (!(cond)) {								\
		if (fails++ < 12)						\
			ksft_print_msg("%s:%d: " fmt "\n", __func__, __LINE__, ##__VA_ARGS__); \
	}									\
} while (0)

#define CHECK_EQ(got, want) do {						\
	unsigned long long g_ = (unsigned long long)(got);			\
	unsigned long long w_ = (unsigned long long)(want);			\
	CHECK(g_ == w_, "%s = %llu, want %llu", #got, g_, w_);			\
} while (0)

#define CHECK_STR(got, want) do {						\
	const char *g_ = (got), *w_ = (want);					\
	CHECK(g_ && !strcmp(g_, w_), "%s = \"%s\", want \"%s\"", #got,		\
	      g_ ? g_ : "(null)", w_);						\
} while (0)

/* Each test resets 'fails' and reports one TAP line. */
#define RESULT(fmt, ...) do {							\
	if (fails)								\
		ksft_test_result_fail(fmt "\n", ##__VA_ARGS__);			\
	else									\
		ksft_test_result_pass(fmt "\n", ##__VA_ARGS__);			\
	fails = 0;								\
} while (0)

/* ---- helpers ----------------------------------------------------------- */

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf) {
		buf[n] = '\0';
		*len = (size_t)n;
	}
	return buf;
}

/* s with the first 'from' replaced by 'to'; a missing 'from' is a test bug. */
static char *subst(const char *s, const char *from, const char *to)
{
	const char *p = strstr(s, from);
	size_t a, b = strlen(from), c = strlen(to);
	char *r;

	if (!p) {
		ksft_print_msg("test bug: '%s' not in the template\n", from);
		abort();
	}
	a = (size_t)(p - s);
	r = malloc(strlen(s) - b + c + 1);
	memcpy(r, s, a);
	memcpy(r + a, to, c);
	strcpy(r + a + c, p + b);
	return r;
}

static char *crlf(const char *s)
{
	size_t n = 0, i;
	char *r, *d;

	for (i = 0; s[i]; i++)
		n += s[i] == '\n';
	r = d = calloc(1, strlen(s) + n + 1);
	for (i = 0; s[i]; i++) {
		if (s[i] == '\n')
			*d++ = '\r';
		*d++ = s[i];
	}
	*d = '\0';
	return r;
}

static int parse_str(struct st2110_sdp *sdp, const char *s, struct st2110_sdp_diag *e)
{
	return st2110_sdp_parse(sdp, s, strlen(s), e);
}

/* write(sdp) into a new string; NULL if the writer refused */
static char *write_str(const struct st2110_sdp *sdp, size_t *len)
{
	char *out = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);
	int err = st2110_sdp_write(f, sdp);

	fclose(f);
	if (err) {
		free(out);
		return NULL;
	}
	*len = n;
	return out;
}

/*
 * The writer may drop what an input was warned for (a grandmaster id with
 * spaces, no TP), never add a doubt: every warning of the canonical text
 * must already be one of the input's (lines aside).
 */
static const char *new_warning(const struct st2110_sdp *in, const struct st2110_sdp *out)
{
	unsigned int i, j;

	for (i = 0; i < out->nwarning; i++) {
		for (j = 0; j < in->nwarning; j++)
			if (!strcmp(out->warning[i].msg, in->warning[j].msg))
				break;
		if (j == in->nwarning)
			return out->warning[i].msg;
	}
	return NULL;
}

/*
 * write -> parse -> equal, and the canonical text is a fixed point.
 * Returns NULL or what went wrong (static text or a field name).
 */
static const char *roundtrip(const struct st2110_sdp *sdp)
{
	static struct st2110_sdp a, b;
	static char msg[300];
	struct st2110_sdp_diag e;
	const char *d = NULL;
	char *t1, *t2 = NULL;
	size_t n1, n2 = 0;

	t1 = write_str(sdp, &n1);
	if (!t1)
		return "the writer refused";
	if (st2110_sdp_parse(&a, t1, n1, &e)) {
		snprintf(msg, sizeof(msg), "canonical text rejected: sdp:%u: %s", e.line, e.msg);
		d = msg;
	} else if ((d = st2110_sdp_diff(sdp, &a))) {
		snprintf(msg, sizeof(msg), "differs after the round trip in %s", d);
		d = msg;
	} else if ((d = new_warning(sdp, &a))) {
		snprintf(msg, sizeof(msg), "the canonical text adds a warning: %s", d);
		d = msg;
	} else if (!(t2 = write_str(&a, &n2)) || n1 != n2 || memcmp(t1, t2, n1)) {
		d = "the canonical text is not a fixed point";
	} else if (st2110_sdp_parse(&b, t2, n2, &e) || st2110_sdp_diff(&a, &b)) {
		d = "second round trip differs";
	} else if (!strstr(t1, "\r\n") || strstr(t1, "\n\n")) {
		d = "canonical text does not use CRLF line ends";
	}
	free(t1);
	free(t2);
	return d;
}

static const char *addr(const struct st2110_sdp_addr *a)
{
	static char buf[4][INET6_ADDRSTRLEN];
	static unsigned int k;

	return st2110_sdp_addr_str(a, buf[k++ % 4], sizeof(buf[0]));
}

static const char *gmid(const struct st2110_sdp_refclk *rc)
{
	static char buf[32];
	const uint8_t *g = rc->gmid;

	snprintf(buf, sizeof(buf), "%02X-%02X-%02X-%02X-%02X-%02X-%02X-%02X",
		 g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7]);
	return buf;
}

/* ---- the shared SDP files ---------------------------------------------- */

struct vexp {
	uint32_t w, h, num, den;
	uint8_t scan, sampling, depth, pm, type;
	bool tp_assumed;
	uint32_t npackets, cmax, vrx;	/* for the declared type, from the core */
	uint64_t troff_us;		/* TRODEFAULT rounded (the schedule's) */
};

struct aexp {
	uint32_t rate, ch, depth, spp;
	const char *order;
};

struct sexp {
	uint8_t media;
	const char *dst;
	uint16_t port;
	uint8_t ttl, pt;
	const char *src;		/* first source-filter source, NULL: none */
	const char *mid;
	int group;
	const char *gmid;		/* NULL: no PTP refclk */
	int domain;
	struct vexp v;
	struct aexp a;
};

struct fexp {
	const char *file;
	bool ok;
	unsigned int line;		/* rejection */
	const char *msg;
	unsigned int nwarn;
	const char *warn;		/* in the first warning */
	unsigned int nstream, ngroup;
	struct sexp s[2];
};

#define V1080I25(t, np, cm, vr) { 1920, 1080, 25, 1, ST2110_SCAN_INTERLACED, \
	ST2110_SAMPLING_YCBCR_422, ST2110_DEPTH_10, ST2110_PACKING_GPM, t, false, np, cm, vr, 782 }
#define V1080P50(assumed) { 1920, 1080, 50, 1, ST2110_SCAN_PROGRESSIVE, \
	ST2110_SAMPLING_YCBCR_422, ST2110_DEPTH_10, ST2110_PACKING_GPM, ST2110_TYPE_N, \
	assumed, 4320, 5, 8, 764 }
#define V720P5994 { 1280, 720, 60000, 1001, ST2110_SCAN_PROGRESSIVE, \
	ST2110_SAMPLING_YCBCR_422, ST2110_DEPTH_10, ST2110_PACKING_GPM, ST2110_TYPE_N, \
	true, 2160, 4, 8, 623 }
#define NOA { 0, 0, 0, 0, NULL }
#define NOV { 0 }

static const struct fexp files[] = {
	{ "01_sdpoker_st2110-20_1080i25_TPW.sdp", true, 0, NULL, 0, NULL, 1, 0, {
	  { ST2110_SDP_VIDEO, "232.80.177.113", 27346, 32, 97, "172.29.80.65", "", -1,
	    "EC-46-70-FF-FE-00-CE-DE", 0, V1080I25(ST2110_TYPE_W, 4320, 16, 720), NOA } } },
	{ "02_sdpoker_st2110-30_L24_48k_2ch_1ms.sdp", true, 0, NULL, 0, NULL, 1, 0, {
	  { ST2110_SDP_AUDIO, "232.130.55.188", 46848, 32, 102, "172.29.80.65", "", -1,
	    "EC-46-70-FF-FE-00-CE-DE", 0, NOV, { 48000, 2, 24, 48, "" } } } },
	{ "03_sdpoker_st2110-10_720p5994_DUP_2022-7.sdp", true, 0, NULL, 2,
	  "fmtp: no TP (ST 2110-21 §8 requires it); 2110TPN assumed", 2, 1, {
	  { ST2110_SDP_VIDEO, "239.100.9.10", 50000, 32, 112, "192.168.100.2", "primary", 0,
	    "39-A7-94-FF-FE-07-CB-D0", 37, V720P5994, NOA },
	  { ST2110_SDP_VIDEO, "239.101.9.10", 50020, 32, 112, "192.168.101.2", "secondary", 0,
	    "39-A7-94-FF-FE-07-CB-D0", 37, V720P5994, NOA } } },
	{ "04_sdpoker_st2110-40_anc.sdp", true, 0, NULL, 0, NULL, 1, 0, {
	  { ST2110_SDP_ANC, "232.32.87.86", 11437, 32, 105, "172.29.80.65", "", -1,
	    "EC-46-70-FF-FE-00-CE-DE", 0, NOV, NOA } } },
	{ "05_pilist_1080p50_TPN.sdp", true, 0, NULL, 1,
	  "fmtp: non-standard parameter 'progressive' ignored", 1, 0, {
	  { ST2110_SDP_VIDEO, "239.20.112.1", 50020, 64, 96, "192.168.8.34", "", -1,
	    "28-99-3A-FF-FF-D3-5F-6E", 42, V1080P50(false), NOA } } },
	{ "06_pilist_1080p50_TPN_DUP_2022-7.sdp", true, 0, NULL, 2,
	  "ts-refclk: grandmaster id written with spaces", 2, 1, {
	  { ST2110_SDP_VIDEO, "239.21.125.2", 50020, 32, 98, "192.168.20.202", "PRIMARY", 0,
	    "08-00-11-FF-FE-22-89-C6", 42, V1080P50(false), NOA },
	  { ST2110_SDP_VIDEO, "239.121.125.2", 50120, 32, 98, "192.169.20.202", "SECONDARY", 0,
	    "08-00-11-FF-FE-22-89-C6", 42, V1080P50(false), NOA } } },
	/* 16 ch x 48 samples x 3 B = 2304 B: beyond the Standard UDP Size Limit */
	{ "07_pilist_L24_48k_16ch_1ms.sdp", false, 12,
	  "ptime: audio payload exceeds 1440 bytes (1460-byte Standard UDP Size Limit)",
	  0, NULL, 0, 0, { { 0 } } },
	{ "08_pilist_L24_48k_2ch_1ms_framecount.sdp", true, 0, NULL, 0, NULL, 1, 0, {
	  { ST2110_SDP_AUDIO, "239.1.1.1", 20000, 64, 97, "10.1.1.236", "", -1,
	    "04-5C-6C-FF-FE-0A-53-70", 127, NOV, { 48000, 2, 24, 48, "" } } } },
	{ "09_pilist_1080_60_multiline_fmtp_EDGECASE.sdp", false, 11,
	  "line starts with white space: SDP has no continuation lines", 0, NULL, 0, 0, { { 0 } } },
	{ "10_nmostesting_1080i25_TPN_DUP_2022-7.sdp", true, 0, NULL, 0, NULL, 2, 1, {
	  { ST2110_SDP_VIDEO, "239.50.2.2", 50050, 32, 96, "192.168.60.34", "PRIMARY", 0,
	    "08-00-11-FF-FE-21-A5-45", 42, V1080I25(ST2110_TYPE_N, 4320, 4, 8), NOA },
	  { ST2110_SDP_VIDEO, "239.50.2.2", 50150, 32, 96, "192.168.60.38", "SECONDARY", 0,
	    "08-00-11-FF-FE-21-A5-45", 42, V1080I25(ST2110_TYPE_N, 4320, 4, 8), NOA } } },
	{ "11_nmostesting_L24_48k_8ch_1ms_DUP.sdp", true, 0, NULL, 0, NULL, 2, 1, {
	  { ST2110_SDP_AUDIO, "239.90.1.1", 50090, 32, 97, NULL, "PRIMARY", 0,
	    "08-00-11-FF-FE-21-A5-45", 42, NOV, { 48000, 8, 24, 48, "SMPTE2110.(U08)" } },
	  { ST2110_SDP_AUDIO, "239.190.1.1", 50190, 32, 97, NULL, "SECONDARY", 0,
	    "08-00-11-FF-FE-21-A5-45", 42, NOV, { 48000, 8, 24, 48, "SMPTE2110.(U08)" } } } },
	{ "12_nmostesting_1080p50_TPN.sdp", true, 0, NULL, 0, NULL, 1, 0, {
	  { ST2110_SDP_VIDEO, "239.50.2.1", 50050, 32, 96, "192.168.60.34", "", -1,
	    "08-00-11-FF-FE-21-A5-45", 42, V1080P50(false), NOA } } },
	{ "13_nmostesting_1080p50_LIST_generated_noTP_EDGECASE.sdp", true, 0, NULL, 2,
	  "ts-refclk: grandmaster id is all zeros", 1, 0, {
	  { ST2110_SDP_VIDEO, "239.50.1.2", 50050, 32, 96, "192.168.60.34", "", -1,
	    "00-00-00-00-00-00-00-00", 0, V1080P50(true), NOA } } },
};

#define NFILES	(sizeof(files) / sizeof(files[0]))

static void check_video(const struct st2110_sdp_stream *st, const struct vexp *v)
{
	const struct st2110_video_fmt *f = &st->video.fmt;
	struct st2110_video_layout l;
	struct st2110_sched s;
	const char *reason = "";
	uint32_t cmax, vrx;

	CHECK_EQ(f->width_px, v->w);
	CHECK_EQ(f->height_px, v->h);
	CHECK_EQ(f->rate.num, v->num);
	CHECK_EQ(f->rate.den, v->den);
	CHECK_EQ(f->scan, v->scan);
	CHECK_EQ(f->sampling, v->sampling);
	CHECK_EQ(f->depth, v->depth);
	CHECK_EQ(f->packing, v->pm);
	CHECK_EQ(st->video.type, v->type);
	CHECK_EQ(st->video.tp_assumed, v->tp_assumed);
	CHECK_EQ(st->video.colorimetry, ST2110_COLORIMETRY_BT709);
	CHECK_EQ(st->video.ssn, ST2110_SSN_2017);
	CHECK_EQ(st->video.has_troff, 0);
	CHECK(!st2110_sdp_video_sched(st, &l, &s, &reason), "sched: %s", reason);
	CHECK_EQ(l.npackets, v->npackets);
	cmax = v->type == ST2110_TYPE_N ? s.lim.cmax_n : v->type == ST2110_TYPE_NL ?
	       s.lim.cmax_nl : s.lim.cmax_w;
	vrx = v->type == ST2110_TYPE_W ? s.lim.vrx_full_w : s.lim.vrx_full_n;
	CHECK_EQ(cmax, v->cmax);
	CHECK_EQ(vrx, v->vrx);
	CHECK_EQ(s.troffset_is_default, 1);
	CHECK_EQ(st2110_sched_troff_us(&s), v->troff_us);
}

static void check_file(const struct fexp *x)
{
	static struct st2110_sdp sdp;
	struct st2110_sdp_diag e;
	char path[4096];
	unsigned int i;
	int ret;

	snprintf(path, sizeof(path), "%s/%s", sdp_dir, x->file);
	ret = st2110_sdp_load(&sdp, path, &e);
	if (!x->ok) {
		CHECK(ret == -EINVAL, "%s: accepted, want a rejection at line %u", x->file, x->line);
		CHECK_EQ(e.line, x->line);
		CHECK(strstr(e.msg, x->msg), "message '%s', want '%s'", e.msg, x->msg);
		RESULT("sdp: %s rejected: sdp:%u: %s", x->file, e.line, e.msg);
		return;
	}
	CHECK(ret == 0, "%s rejected: sdp:%u: %s", x->file, e.line, e.msg);
	if (ret) {
		RESULT("sdp: %s loads", x->file);
		return;
	}
	CHECK_EQ(sdp.nwarning, x->nwarn);
	if (x->warn)
		CHECK(sdp.nwarning && strstr(sdp.warning[0].msg, x->warn),
		      "warning '%s', want '%s'", sdp.nwarning ? sdp.warning[0].msg : "", x->warn);
	CHECK_EQ(sdp.nstream, x->nstream);
	CHECK_EQ(sdp.ngroup, x->ngroup);
	for (i = 0; i < x->nstream && i < sdp.nstream; i++) {
		const struct st2110_sdp_stream *st = &sdp.stream[i];
		const struct sexp *s = &x->s[i];

		CHECK_EQ(st->media, s->media);
		CHECK_STR(addr(&st->dst), s->dst);
		CHECK_EQ(st->port, s->port);
		CHECK_EQ(st->ttl, s->ttl);
		CHECK_EQ(st->pt, s->pt);
		CHECK_EQ(st->filter.present, s->src != NULL);
		if (s->src)
			CHECK_STR(addr(&st->filter.src[0]), s->src);
		CHECK_STR(st->mid, s->mid);
		CHECK_EQ(st->dup_group, s->group);
		CHECK_EQ(st->nrefclk, 1);
		CHECK_EQ(st->refclk[0].kind, ST2110_REFCLK_PTP);
		CHECK_EQ(st->refclk[0].version, ST2110_PTP_IEEE1588_2008);
		CHECK_STR(gmid(&st->refclk[0]), s->gmid);
		CHECK_EQ(st->refclk[0].domain, s->domain);
		if (s->media == ST2110_SDP_VIDEO)
			check_video(st, &s->v);
		if (s->media == ST2110_SDP_AUDIO) {
			CHECK_EQ(st->audio.fmt.rate_hz, s->a.rate);
			CHECK_EQ(st->audio.fmt.channels, s->a.ch);
			CHECK_EQ(st->audio.fmt.depth_bits, s->a.depth);
			CHECK_EQ(st->audio.fmt.samples_per_pkt, s->a.spp);
			CHECK_STR(st->audio.channel_order, s->a.order);
		}
	}
	if (x->ngroup == 1 && sdp.ngroup == 1) {
		CHECK_EQ(sdp.group[0].nstream, 2);
		CHECK_EQ(sdp.group[0].stream[0], 0);
		CHECK_EQ(sdp.group[0].stream[1], 1);
	}
	RESULT("sdp: %s loads: %u stream(s), %u warning(s), values as expected",
	       x->file, sdp.nstream, sdp.nwarning);
}

/* File 05's exact schedule (the 1080p50 GPM row of the vectors table). */
static void check_exact_timing(void)
{
	static struct st2110_sdp sdp;
	struct st2110_sdp_diag e;
	struct st2110_video_layout l;
	struct st2110_sched s;
	const char *reason = "";
	char path[4096];

	snprintf(path, sizeof(path), "%s/05_pilist_1080p50_TPN.sdp", sdp_dir);
	CHECK(!st2110_sdp_load(&sdp, path, &e), "sdp:%u: %s", e.line, e.msg);
	CHECK(!st2110_sdp_video_sched(&sdp.stream[0], &l, &s, &reason), "%s", reason);
	/* TRS = 20 ms * 1080/1125 / 4320 = 40000/9 ns; TRODEFAULT = 43/1125 * 20 ms */
	CHECK_EQ(s.trs_d * 9, 40000 * s.den);
	CHECK_EQ(s.troffset_d * 9, 6880000 * s.den);
	CHECK_EQ(s.tframe_ns.num, 20000000);
	CHECK_EQ(s.tframe_ns.den, 1);
	CHECK_EQ(s.tdrain_ns.num * 297, 1250000 * s.tdrain_ns.den);
	CHECK_EQ(l.payload_bytes, 1200);
	RESULT("sdp: 05 (1080p50 GPM) schedule: TRS 40000/9 ns, TROFFSET 6880000/9 ns, TDRAIN 1250000/297 ns");
}

/* ---- hand-written descriptions ----------------------------------------- */

/* line:     1    2                          3         4         5 */
static const char video_base[] =
	"v=0\n"
	"o=- 1 1 IN IP4 192.0.2.1\n"
	"s=test\n"
	"t=0 0\n"
	"m=video 5004 RTP/AVP 96\n"						/* 5 */
	"c=IN IP4 239.0.0.1/32\n"						/* 6 */
	"a=source-filter: incl IN IP4 239.0.0.1 192.0.2.1\n"			/* 7 */
	"a=rtpmap:96 raw/90000\n"						/* 8 */
	"a=fmtp:96 sampling=YCbCr-4:2:2; width=1920; height=1080; exactframerate=50; "
	"depth=10; colorimetry=BT709; PM=2110GPM; SSN=ST2110-20:2017; TP=2110TPN\n"	/* 9 */
	"a=ts-refclk:ptp=IEEE1588-2008:00-11-22-FF-FE-33-44-55:0\n"		/* 10 */
	"a=mediaclk:direct=0\n";						/* 11 */

static const char audio_base[] =
	"v=0\n"
	"o=- 1 1 IN IP4 192.0.2.1\n"
	"s=audio\n"
	"t=0 0\n"
	"m=audio 5004 RTP/AVP 97\n"						/* 5 */
	"c=IN IP4 239.0.0.2/32\n"						/* 6 */
	"a=rtpmap:97 L24/48000/8\n"						/* 7 */
	"a=ptime:0.125\n"							/* 8 */
	"a=ts-refclk:ptp=traceable\n"						/* 9 */
	"a=mediaclk:direct=0\n";						/* 10 */

/* The brief's example message, to the letter: the fmtp is on line 7. */
static const char brief_example[] =
	"v=0\n"
	"o=- 1 1 IN IP4 192.0.2.1\n"
	"s=x\n"
	"t=0 0\n"
	"m=video 5004 RTP/AVP 96\n"
	"c=IN IP4 239.0.0.1/32\n"
	"a=fmtp:96 sampling=YCbCr-4:2:3; width=1920; height=1080; exactframerate=50; "
	"depth=10; colorimetry=BT709; PM=2110GPM; SSN=ST2110-20:2017; TP=2110TPN\n"
	"a=rtpmap:96 raw/90000\n"
	"a=mediaclk:direct=0\n";

struct reject {
	const char *name;
	const char *base;
	const char *from, *to;		/* edit of the base, NULL: the base */
	unsigned int line;
	const char *msg;
};

static const struct reject rejects[] = {
	{ "unknown sampling", video_base, "YCbCr-4:2:2", "YCbCr-4:2:3", 9,
	  "fmtp: unknown sampling 'YCbCr-4:2:3'" },
	{ "missing width", video_base, "width=1920; ", "", 9,
	  "fmtp: missing required parameter 'width'" },
	{ "missing colorimetry", video_base, "colorimetry=BT709; ", "", 9,
	  "fmtp: missing required parameter 'colorimetry'" },
	{ "missing SSN", video_base, "; SSN=ST2110-20:2017", "", 9,
	  "fmtp: missing required parameter 'SSN'" },
	{ "depth 11", video_base, "depth=10", "depth=11", 9, "fmtp: unknown depth '11'" },
	{ "odd 4:2:2 width", video_base, "width=1920", "width=1921", 9,
	  "fmtp: width must be a multiple of the pgroup width (2 pixels" },
	{ "interlaced 720 lines", video_base, "height=1080;", "height=720; interlace;", 9,
	  "fmtp: interlaced height must be 480 or 486" },
	{ "exactframerate 0", video_base, "exactframerate=50", "exactframerate=0", 9,
	  "fmtp: exactframerate '0' is not an integer or a ratio" },
	{ "exactframerate x/0", video_base, "exactframerate=50", "exactframerate=30000/0", 9,
	  "fmtp: exactframerate '30000' / '0'" },
	{ "exactframerate 2000", video_base, "exactframerate=50", "exactframerate=2000", 9,
	  "fmtp: frame rate must be between 1 and 1000" },
	{ "TROFF >= TFRAME", video_base, "TP=2110TPN", "TP=2110TPN; TROFF=20000", 9,
	  "fmtp: TROFFSET must be less than TFRAME" },
	{ "TROFF negative", video_base, "TP=2110TPN", "TP=2110TPN; TROFF=-5", 9,
	  "fmtp: TROFF '-5' is not a non-negative integer" },
	{ "CMAX 0", video_base, "TP=2110TPN", "TP=2110TPN; CMAX=0", 9,
	  "fmtp: CMAX '0' is not a positive integer" },
	{ "TP unknown", video_base, "TP=2110TPN", "TP=2110TPX", 9, "fmtp: unknown TP '2110TPX'" },
	{ "PM unknown", video_base, "PM=2110GPM", "PM=2110XPM", 9, "fmtp: unknown PM '2110XPM'" },
	{ "interlaced token", video_base, "TP=2110TPN", "TP=2110TPN; interlaced", 9,
	  "fmtp: unknown parameter 'interlaced' (ST 2110-20 spells it 'interlace')" },
	{ "interlace with value", video_base, "TP=2110TPN", "TP=2110TPN; interlace=1", 9,
	  "fmtp: 'interlace' takes no value" },
	{ "segmented alone", video_base, "TP=2110TPN", "TP=2110TPN; segmented", 9,
	  "fmtp: 'segmented' requires 'interlace'" },
	{ "duplicate parameter", video_base, "depth=10;", "depth=10; depth=10;", 9,
	  "fmtp: duplicate parameter 'depth'" },
	{ "width without value", video_base, "width=1920", "width", 9, "fmtp: 'width' needs a value" },
	{ "BPM with MAXUDP 8960", video_base, "PM=2110GPM", "PM=2110BPM; MAXUDP=8960", 9,
	  "Extended UDP Size Limit is not allowed with 2110BPM" },
	{ "BPM 4:2:2/16", video_base, "PM=2110GPM", "PM=2110BPM", 9, "" /* filled below */ },
	{ "fmtp folded", video_base, "TP=2110TPN\n", "TP=2110TPN\n   PAR=1:1\n", 10,
	  "line starts with white space" },
	{ "no fmtp", video_base, "a=fmtp:96", "a=x-fmtp:96", 5,
	  "no a=fmtp for payload type 96" },
	{ "no rtpmap", video_base, "a=rtpmap:96 raw/90000\n", "", 5,
	  "no a=rtpmap for payload type 96" },
	{ "no c=", video_base, "c=IN IP4 239.0.0.1/32\n", "", 5,
	  "no c= line for this media (nor at session level)" },
	{ "static payload type", video_base, "RTP/AVP 96", "RTP/AVP 95", 5,
	  "m=: payload type 95 is not dynamic (96..127)" },
	{ "two payload types", video_base, "RTP/AVP 96", "RTP/AVP 96 97", 5,
	  "m=: more than one payload type" },
	{ "port 0", video_base, "video 5004", "video 0", 5, "m=: port '0' is not 1..65535" },
	{ "RTP/SAVP", video_base, "RTP/AVP", "RTP/SAVP", 5, "m=: protocol 'RTP/SAVP' is not RTP/AVP" },
	{ "application media", video_base, "m=video", "m=application", 5,
	  "m=: media 'application' is not video or audio" },
	{ "rtpmap payload type", video_base, "rtpmap:96", "rtpmap:98", 8,
	  "rtpmap: payload type 98 is not the m= line's 96" },
	{ "fmtp payload type", video_base, "fmtp:96", "fmtp:98", 9,
	  "fmtp: payload type 98 is not the m= line's 96" },
	{ "raw at 48 kHz", video_base, "raw/90000", "raw/48000", 8,
	  "rtpmap: raw clock must be 90000 Hz" },
	{ "jxsv encoding", video_base, "raw/90000", "jxsv/90000", 8,
	  "rtpmap: unsupported encoding 'jxsv'" },
	{ "multicast without TTL", video_base, "239.0.0.1/32\n", "239.0.0.1\n", 6,
	  "c=: IPv4 multicast address needs a /TTL" },
	{ "bad IPv4", video_base, "239.0.0.1/32\n", "239.0.1/32\n", 6,
	  "c=: '239.0.1' is not a numeric IPv4 address" },
	{ "TTL 256", video_base, "239.0.0.1/32\n", "239.0.0.1/256\n", 6, "c=: TTL '256' is not 0..255" },
	{ "unicast with TTL", video_base, "239.0.0.1/32\n", "192.0.2.9/32\n", 6,
	  "c=: a unicast address takes no /TTL or /count" },
	{ "source-filter destination", video_base, "incl IN IP4 239.0.0.1", "incl IN IP4 239.0.0.9", 7,
	  "source-filter: destination 239.0.0.9 is not the c= address 239.0.0.1" },
	{ "source-filter mode", video_base, "incl IN", "inc IN", 7,
	  "source-filter: mode 'inc' is not incl or excl" },
	{ "c= after a=", video_base, "c=IN IP4 239.0.0.1/32\na=source-filter: incl IN IP4 239.0.0.1 192.0.2.1\n",
	  "a=source-filter: incl IN IP4 239.0.0.1 192.0.2.1\nc=IN IP4 239.0.0.1/32\n", 7,
	  "'c=' line out of order" },
	{ "two c= lines", video_base, "c=IN IP4 239.0.0.1/32\n", "c=IN IP4 239.0.0.1/32\nc=IN IP4 239.0.0.1/32\n", 7,
	  "second 'c=' line" },
	{ "unknown line type", video_base, "s=test\n", "s=test\nx=1\n", 4,
	  "unknown line type 'x='" },
	{ "v=1", video_base, "v=0", "v=1", 1, "v=: unsupported protocol version '1'" },
	{ "o= first", video_base, "v=0\n", "", 1, "the first line must be v=0" },
	{ "no s=", video_base, "s=test\n", "", 4, "m= before the s= line" },
	{ "no t=", video_base, "t=0 0\n", "", 4, "m= before the t= line" },
	{ "o= bad sess-id", video_base, "o=- 1 1", "o=- x 1", 2, "o=: sess-id 'x' is not" },
	{ "empty line", video_base, "s=test\n", "s=test\n\n", 4, "empty line" },
	{ "control byte", video_base, "s=test", "s=te\001st", 3, "control character 0x01" },
	{ "CR inside a line", video_base, "s=test", "s=te\rst", 3, "carriage return inside the line" },
	{ "not type=value", video_base, "s=test\n", "s=test\nhello\n", 4,
	  "not a '<type>=<value>' line: 'hello'" },
	{ "mediaclk offset", video_base, "direct=0", "direct=5", 11,
	  "mediaclk: offset '5': ST 2110-10 §7.4 requires direct=0" },
	{ "mediaclk rate", video_base, "direct=0", "direct=0 rate=48000", 11,
	  "mediaclk: rate 48000/1 is not the a=rtpmap clock 90000 Hz" },
	{ "mediaclk sender", video_base, "direct=0", "sender", 11, "mediaclk: 'sender' is not supported" },
	{ "refclk gmid", video_base, "00-11-22-FF-FE-33-44-55", "00-11-22-FF-FE-33-44", 10,
	  "ts-refclk: grandmaster id '00-11-22-FF-FE-33-44' is not an EUI-64" },
	{ "refclk domain 128", video_base, "44-55:0", "44-55:128", 10,
	  "ts-refclk: PTP domain '128' is not 0..127" },
	{ "refclk ntp", video_base, "ptp=IEEE1588-2008:00-11-22-FF-FE-33-44-55:0", "ntp=pool.ntp.org", 10,
	  "ts-refclk: unsupported clock source 'ntp=pool.ntp.org'" },
	{ "rtpmap at session level", video_base, "t=0 0\n", "t=0 0\na=rtpmap:96 raw/90000\n", 5,
	  "a=rtpmap is a media-level attribute" },
	{ "duplicate mid", video_base, "a=mediaclk:direct=0\n",
	  "a=mediaclk:direct=0\na=mid:A\nm=video 5006 RTP/AVP 96\nc=IN IP4 239.0.0.3/32\na=mid:A\n", 15,
	  "mid: 'A' is already used by media 1" },
	{ "group names a missing mid", video_base, "t=0 0\n", "t=0 0\na=group:DUP A B\n", 5,
	  "group:DUP: no media has a=mid:A" },
	{ "audio 64 ch at 1 ms", audio_base, "L24/48000/8", "L24/48000/64", 8, "" /* below */ },
	{ "audio no ptime", audio_base, "a=ptime:0.125\n", "", 5,
	  "no a=ptime (ST 2110-30 requires the packet time)" },
	{ "audio 32 kHz", audio_base, "L24/48000/8", "L24/32000/8", 7,
	  "rtpmap: audio sample rate must be 48000, 96000 or 44100 Hz" },
	{ "audio 0 channels", audio_base, "L24/48000/8", "L24/48000/0", 7,
	  "rtpmap: channel count '0' is not 1..255" },
	{ "audio 65 channels", audio_base, "L24/48000/8", "L16/48000/65", 7,
	  "rtpmap: audio channels must be 1..64" },
	{ "audio on m=video", audio_base, "m=audio", "m=video", 7, "rtpmap: 'L24' needs m=audio" },
	{ "ptime garbage", audio_base, "ptime:0.125", "ptime:0,125", 8,
	  "ptime: '0,125' is not a packet time in ms" },
	{ "framecount mismatch", audio_base, "a=ptime:0.125\n", "a=ptime:0.125\na=framecount:48\n", 9,
	  "framecount: 48 samples, but a=ptime (line 8) means 6" },
	{ "channel-order too wide", audio_base, "a=ptime:0.125\n",
	  "a=ptime:0.125\na=fmtp:97 channel-order=SMPTE2110.(51,ST,ST)\n", 9,
	  "fmtp: channel-order describes 10 channels, the stream has 8" },
	{ "channel-order symbol", audio_base, "a=ptime:0.125\n",
	  "a=ptime:0.125\na=fmtp:97 channel-order=SMPTE2110.(Q7)\n", 9,
	  "fmtp: channel-order: unknown channel group 'Q7'" },
	{ "no m= line", "v=0\no=- 1 1 IN IP4 192.0.2.1\ns=x\nt=0 0\n", NULL, NULL, 0,
	  "no m= line (no media description)" },
	{ "empty text", "", NULL, NULL, 0, "empty description (no v=0 line)" },
};

#define NREJECTS	(sizeof(rejects) / sizeof(rejects[0]))

static void check_reject(const struct reject *r)
{
	static struct st2110_sdp sdp;
	struct st2110_sdp_diag e;
	char *text = r->from ? subst(r->base, r->from, r->to) : strdup(r->base);
	const char *msg = r->msg;
	int ret;

	if (!strcmp(r->name, "BPM 4:2:2/16")) {
		char *t2 = subst(text, "depth=10", "depth=16");

		free(text);
		text = t2;
		msg = "fmtp: BPM payload must be a whole number of pgroups";
	}
	if (!strcmp(r->name, "audio 64 ch at 1 ms")) {
		char *t2 = subst(text, "ptime:0.125", "ptime:1");

		free(text);
		text = t2;
		msg = "ptime: audio payload exceeds 1440 bytes";
	}
	ret = parse_str(&sdp, text, &e);
	CHECK(ret == -EINVAL, "accepted (%d), want a rejection", ret);
	CHECK_EQ(e.line, r->line);
	CHECK(strstr(e.msg, msg), "message '%s', want '%s'", e.msg, msg);
	RESULT("sdp: rejects %s: sdp:%u: %s", r->name, e.line, e.msg);
	free(text);
}

static void check_brief_example(void)
{
	static struct st2110_sdp sdp;
	struct st2110_sdp_diag e;
	char buf[300];

	CHECK(parse_str(&sdp, brief_example, &e) == -EINVAL, "accepted");
	st2110_sdp_format_diag(buf, sizeof(buf), "sdp", &e);
	CHECK_STR(buf, "sdp:7: fmtp: unknown sampling 'YCbCr-4:2:3'");
	RESULT("sdp: the message names line and text: \"%s\"", buf);
}

/* A description that must load; returns it for further checks (static). */
static struct st2110_sdp *must_load(const char *text, const char *what)
{
	static struct st2110_sdp sdp;
	struct st2110_sdp_diag e;
	const char *rt;

	if (parse_str(&sdp, text, &e)) {
		CHECK(0, "%s rejected: sdp:%u: %s", what, e.line, e.msg);
		return NULL;
	}
	rt = roundtrip(&sdp);
	CHECK(!rt, "%s: round trip: %s", what, rt);
	return &sdp;
}

static void check_audio_125us(void)
{
	struct st2110_sdp *s = must_load(audio_base, "125 us audio");
	char *t64 = subst(audio_base, "L24/48000/8", "L24/48000/64");

	if (s) {
		CHECK_EQ(s->stream[0].media, ST2110_SDP_AUDIO);
		CHECK_EQ(s->stream[0].audio.fmt.samples_per_pkt, 6);
		CHECK_EQ(st2110_audio_payload_bytes(&s->stream[0].audio.fmt), 144);
		CHECK_EQ(s->stream[0].refclk[0].kind, ST2110_REFCLK_PTP_TRACEABLE);
		CHECK_EQ(s->stream[0].filter.present, 0);
		CHECK_EQ(s->nwarning, 0);
	}
	s = must_load(t64, "64 ch at 125 us");
	if (s) {
		CHECK_EQ(s->stream[0].audio.fmt.channels, 64);
		CHECK_EQ(st2110_audio_payload_bytes(&s->stream[0].audio.fmt), 1152);
	}
	free(t64);
	RESULT("sdp: 125 us audio: L24/48000/8 ptime 0.125 = 6 samples, 144 B; 64 ch = 1152 B");
}

static void check_audio_other_ptimes(void)
{
	static const struct { const char *enc, *ptime; uint32_t spp; } c[] = {
		{ "L16/48000/2", "1", 48 }, { "L24/96000/4", "1", 96 },
		{ "L24/48000/8", "0.333", 16 }, { "L24/48000/8", "0.25", 12 },
		{ "L16/44100/2", "1", 44 }, { "L24/48000/2", "4", 192 },
	};
	struct st2110_sdp *s;
	unsigned int i;
	char *t1, *t2;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		t1 = subst(audio_base, "L24/48000/8", c[i].enc);
		t2 = subst(t1, "ptime:0.125", "ptime:");
		free(t1);
		t1 = malloc(strlen(t2) + 16);
		/* insert the packet time after "a=ptime:" */
		{
			const char *p = strstr(t2, "a=ptime:") + 8;
			size_t a = (size_t)(p - t2);

			memcpy(t1, t2, a);
			strcpy(t1 + a, c[i].ptime);
			strcat(t1, p);
		}
		s = must_load(t1, c[i].enc);
		if (s)
			CHECK(s->stream[0].audio.fmt.samples_per_pkt == c[i].spp,
			      "%s ptime %s: %u samples, want %u", c[i].enc, c[i].ptime,
			      s->stream[0].audio.fmt.samples_per_pkt, c[i].spp);
		free(t1);
		free(t2);
	}
	RESULT("sdp: audio packet times 1, 0.333, 0.25, 4 ms at 44.1/48/96 kHz give 16..192 samples");
}

static void check_2160p(void)
{
	char *t1 = subst(video_base, "width=1920; height=1080; exactframerate=50",
			 "width=3840; height=2160; exactframerate=60000/1001");
	struct st2110_sdp *s = must_load(t1, "2160p59.94");
	struct st2110_video_layout l;
	struct st2110_sched sc;
	const char *reason = "";

	if (s) {
		CHECK(!st2110_sdp_video_sched(&s->stream[0], &l, &sc, &reason), "%s", reason);
		/* the vectors table: 17280 packets, CMAX N 24, VRXFULL N 38, W CMAX undefined */
		CHECK_EQ(l.npackets, 17280);
		CHECK_EQ(sc.lim.cmax_n, 24);
		CHECK_EQ(sc.lim.vrx_full_n, 38);
		CHECK_EQ(sc.lim.cmax_w_defined, 0);
		CHECK_EQ(st2110_sched_troff_us(&sc), 638);
		CHECK_EQ(s->stream[0].video.fmt.rate.num, 60000);
		CHECK_EQ(s->stream[0].video.fmt.rate.den, 1001);
	}
	free(t1);
	RESULT("sdp: 2160p59.94 GPM TPN: NPACKETS 17280, CMAX 24, VRXFULL 38, TROFF 638 us");
}

static void check_bpm_psf_ipv6(void)
{
	char *bpm = subst(video_base, "exactframerate=50; depth=10; colorimetry=BT709; PM=2110GPM",
			  "exactframerate=60000/1001; depth=10; colorimetry=BT709; PM=2110BPM");
	char *psf = subst(video_base, "TP=2110TPN", "TP=2110TPN; interlace; segmented");
	char *v6a = subst(video_base, "c=IN IP4 239.0.0.1/32", "c=IN IP6 ff15::1");
	char *v6b = subst(v6a, "incl IN IP4 239.0.0.1 192.0.2.1", "incl IN IP6 ff15::1 2001:db8::1");
	/* an IPv6 origin, as st2110-send writes it: ':' is no token char */
	char *v6 = subst(v6b, "o=- 1 1 IN IP4 192.0.2.1", "o=- 1 1 IN IP6 2001:db8::1");
	struct st2110_video_layout l;
	struct st2110_sched sc;
	struct st2110_sdp *s;
	const char *reason = "";

	s = must_load(bpm, "BPM");
	if (s) {
		CHECK(!st2110_sdp_video_sched(&s->stream[0], &l, &sc, &reason), "%s", reason);
		CHECK_EQ(l.npackets, 4115);	/* 1080p59.94 BPM 1260 B */
		CHECK_EQ(sc.lim.cmax_n, 5);
	}
	s = must_load(psf, "PsF");
	if (s) {
		CHECK_EQ(s->stream[0].video.fmt.scan, ST2110_SCAN_PSF);
		CHECK(!st2110_sdp_video_sched(&s->stream[0], &l, &sc, &reason), "%s", reason);
		CHECK_EQ(sc.troffset_d * 1125, 22 * sc.tframe_d);	/* 1125-line PsF */
	}
	s = must_load(v6, "IPv6");
	if (s) {
		CHECK_EQ(s->stream[0].dst.family, AF_INET6);
		CHECK_STR(addr(&s->stream[0].dst), "ff15::1");
		CHECK_EQ(s->stream[0].ttl, 0);
		CHECK_STR(addr(&s->stream[0].filter.src[0]), "2001:db8::1");
		CHECK_EQ(s->origin_family, AF_INET6);
		CHECK_STR(s->origin_addr, "2001:db8::1");
	}
	free(bpm);
	free(psf);
	free(v6a);
	free(v6b);
	free(v6);
	RESULT("sdp: BPM 1080p59.94 (4115 packets), PsF (segmented), IPv6 multicast and origin");
}

static void check_crlf_eol(void)
{
	static struct st2110_sdp lf;
	struct st2110_sdp_diag e;
	char *c = crlf(video_base);
	char *trail = malloc(strlen(video_base) + 4);
	size_t n = strlen(c);
	struct st2110_sdp *s;
	const char *d;

	CHECK(!parse_str(&lf, video_base, &e), "LF: sdp:%u: %s", e.line, e.msg);
	s = must_load(c, "CRLF");
	if (s) {
		d = st2110_sdp_diff(&lf, s);
		CHECK(!d, "CRLF differs from LF in %s", d);
	}
	c[n - 2] = '\0';		/* no final CRLF */
	s = must_load(c, "CRLF without the final newline");
	if (s)
		CHECK(!st2110_sdp_diff(&lf, s), "no final newline differs");
	strcpy(trail, video_base);
	strcat(trail, "\n\n");		/* trailing blank lines are tolerated */
	s = must_load(trail, "trailing blank lines");
	if (s)
		CHECK(!st2110_sdp_diff(&lf, s), "trailing blank lines differ");
	free(c);
	free(trail);
	RESULT("sdp: CRLF, no final newline and trailing blank lines read as LF");
}

static void check_session_defaults(void)
{
	char *t1 = subst(video_base, "t=0 0\n",
			 "c=IN IP4 239.0.0.1/16\nt=0 0\na=ts-refclk:localmac=0a-1b-2c-3d-4e-5f\n"
			 "a=mediaclk:direct=0 rate=90000\n");
	char *t2 = subst(t1, "c=IN IP4 239.0.0.1/32\n", "");
	char *t3 = subst(t2, "a=ts-refclk:ptp=IEEE1588-2008:00-11-22-FF-FE-33-44-55:0\n", "");
	char *t4 = subst(t3, "a=mediaclk:direct=0\n", "");
	struct st2110_sdp *s = must_load(t4, "session defaults");

	if (s) {
		CHECK_STR(addr(&s->stream[0].dst), "239.0.0.1");
		CHECK_EQ(s->stream[0].ttl, 16);
		CHECK_EQ(s->stream[0].nrefclk, 1);
		CHECK_EQ(s->stream[0].refclk[0].kind, ST2110_REFCLK_LOCALMAC);
		CHECK_EQ(s->stream[0].refclk[0].mac[5], 0x5f);
		CHECK_EQ(s->nwarning, 0);
	}
	free(t1);
	free(t2);
	free(t3);
	free(t4);
	RESULT("sdp: session-level c=, ts-refclk (localmac) and mediaclk apply to the media");
}

static void check_troff(void)
{
	char *def = subst(video_base, "TP=2110TPN", "TP=2110TPN; TROFF=764");
	char *own = subst(video_base, "TP=2110TPN", "TP=2110TPN; TROFF=500; CMAX=4");
	struct st2110_video_layout l;
	struct st2110_sched sc;
	struct st2110_sdp *s;
	const char *reason = "";

	s = must_load(def, "TROFF=764");
	if (s) {
		CHECK(!st2110_sdp_video_sched(&s->stream[0], &l, &sc, &reason), "%s", reason);
		CHECK_EQ(sc.troffset_is_default, 1);	/* the rounded TRODEFAULT */
		CHECK_EQ(sc.troffset_d * 9, 6880000 * sc.den);
	}
	s = must_load(own, "TROFF=500");
	if (s) {
		CHECK(!st2110_sdp_video_sched(&s->stream[0], &l, &sc, &reason), "%s", reason);
		CHECK_EQ(sc.troffset_is_default, 0);
		CHECK_EQ(sc.troffset_d, 500000 * sc.den);
		CHECK_EQ(s->stream[0].video.cmax_pkts, 4);
	}
	free(def);
	free(own);
	RESULT("sdp: TROFF equal to the rounded default keeps TRODEFAULT; TROFF=500 gives 500000 ns");
}

static void check_warnings(void)
{
	char *cmax = subst(video_base, "TP=2110TPN", "TP=2110TPN; CMAX=9");
	char *unk = subst(video_base, "TP=2110TPN", "TP=2110TPN; FOO=1");
	char *nomc = subst(video_base, "a=mediaclk:direct=0\n", "");
	struct st2110_sdp *s;

	s = must_load(cmax, "CMAX=9");
	if (s)
		CHECK(s->nwarning == 1 && s->warning[0].line == 9 &&
		      strstr(s->warning[0].msg, "CMAX=9 exceeds the 2110TPN limit 5"),
		      "warning '%s'", s->nwarning ? s->warning[0].msg : "");
	s = must_load(unk, "FOO=1");
	if (s)
		CHECK(s->nwarning == 1 && strstr(s->warning[0].msg, "unknown parameter 'FOO' ignored"),
		      "warning '%s'", s->nwarning ? s->warning[0].msg : "");
	s = must_load(nomc, "no mediaclk");
	if (s)
		CHECK(s->nwarning == 1 && s->warning[0].line == 5 &&
		      strstr(s->warning[0].msg, "no a=mediaclk"),
		      "warning '%s'", s->nwarning ? s->warning[0].msg : "");
	free(cmax);
	free(unk);
	free(nomc);
	RESULT("sdp: warnings (CMAX above the class limit, unknown fmtp parameter, no mediaclk) keep the stream");
}

static void check_anc_and_writer(void)
{
	static struct st2110_sdp one;
	struct st2110_sdp_diag e;
	char *anc = subst(video_base, "a=rtpmap:96 raw/90000\n", "a=rtpmap:96 smpte291/90000\n");
	char *anc2 = subst(anc, "sampling=YCbCr-4:2:2; width=1920; height=1080; exactframerate=50; "
			   "depth=10; colorimetry=BT709; PM=2110GPM; SSN=ST2110-20:2017; TP=2110TPN",
			   "DID_SDID={0x41,0x01}; DID_SDID={0x61,0x02}; VPID_Code=133");
	struct st2110_sdp *s = must_load(anc2, "ANC");
	char *out = NULL;
	size_t n = 0;
	FILE *f;

	if (s) {
		CHECK_EQ(s->stream[0].media, ST2110_SDP_ANC);
		CHECK_EQ(s->stream[0].anc.ndid, 2);
		CHECK_EQ(s->stream[0].anc.did_sdid[1][0], 0x61);
		CHECK_EQ(s->stream[0].anc.vpid_code, 133);
	}
	/* st2110_sdp_write_stream: a sender's single-stream file */
	s = must_load(video_base, "base");
	if (s) {
		f = open_memstream(&out, &n);
		CHECK(!st2110_sdp_write_stream(f, &s->stream[0], "my sender"), "write_stream");
		fclose(f);
		CHECK(!st2110_sdp_parse(&one, out, n, &e), "sdp:%u: %s", e.line, e.msg);
		CHECK(!st2110_sdp_stream_diff(&one.stream[0], &s->stream[0]), "stream differs");
		CHECK_STR(one.name, "my sender");
		CHECK_STR(one.origin_addr, "192.0.2.1");
		free(out);
	}
	free(anc);
	free(anc2);
	RESULT("sdp: ANC DID_SDID/VPID_Code; st2110_sdp_write_stream() output reads back");
}

static void check_dup_rules(void)
{
	static const char dup[] =
		"v=0\no=- 1 1 IN IP4 192.0.2.1\ns=dup\nt=0 0\na=group:DUP A B\n"
		"m=audio 5004 RTP/AVP 97\nc=IN IP4 239.0.0.2/32\n"
		"a=source-filter: incl IN IP4 239.0.0.2 192.0.2.1\n"
		"a=rtpmap:97 L24/48000/2\na=ptime:1\na=mediaclk:direct=0\na=mid:A\n"
		"m=audio 5004 RTP/AVP 97\nc=IN IP4 239.0.0.2/32\n"
		"a=source-filter: incl IN IP4 239.0.0.2 192.0.2.2\n"
		"a=rtpmap:97 L24/48000/2\na=ptime:1\na=mediaclk:direct=0\na=mid:B\n";
	static struct st2110_sdp sdp;
	struct st2110_sdp_diag e;
	char *same = subst(dup, "192.0.2.2", "192.0.2.1");
	char *fmt = subst(dup, "a=rtpmap:97 L24/48000/2\na=ptime:1\na=mediaclk:direct=0\na=mid:B",
			  "a=rtpmap:97 L24/48000/4\na=ptime:1\na=mediaclk:direct=0\na=mid:B");
	struct st2110_sdp *s = must_load(dup, "DUP");

	if (s) {
		CHECK_EQ(s->ngroup, 1);
		CHECK_EQ(s->stream[1].dup_group, 0);
	}
	CHECK(parse_str(&sdp, same, &e) == -EINVAL && e.line == 5 &&
	      strstr(e.msg, "have the same source and destination addresses"),
	      "same addresses: sdp:%u: %s", e.line, e.msg);
	CHECK(parse_str(&sdp, fmt, &e) == -EINVAL && e.line == 5 &&
	      strstr(e.msg, "carry different formats"), "formats: sdp:%u: %s", e.line, e.msg);
	free(same);
	free(fmt);
	RESULT("sdp: ST 2022-7 DUP: legs resolved; same addresses or different formats rejected");
}

static void check_limits(void)
{
	static struct st2110_sdp sdp;
	struct st2110_sdp_diag e;
	char *big = malloc(ST2110_SDP_MAX_BYTES + 100), *nine;
	char tmp[] = "/tmp/test_sdp.XXXXXX";
	size_t n = 0;
	unsigned int i;
	FILE *f;
	int fd;

	/* nine media descriptions: one too many */
	n = (size_t)sprintf(big, "v=0\no=- 1 1 IN IP4 192.0.2.1\ns=x\nt=0 0\n");
	for (i = 0; i < 9; i++)
		n += (size_t)sprintf(big + n, "m=audio %u RTP/AVP 97\nc=IN IP4 239.0.0.%u/32\n"
				     "a=rtpmap:97 L24/48000/2\na=ptime:1\n", 5000 + i, i + 1);
	CHECK(parse_str(&sdp, big, &e) == -EINVAL && e.line == 4 + 8 * 4 + 1 &&
	      strstr(e.msg, "more than 8 media descriptions"), "9 streams: sdp:%u: %s", e.line, e.msg);
	nine = big;
	/* a file above 64 KiB is refused before parsing */
	memset(nine, 'a', ST2110_SDP_MAX_BYTES + 10);
	fd = mkstemp(tmp);
	f = fdopen(fd, "w");
	fwrite(nine, 1, ST2110_SDP_MAX_BYTES + 10, f);
	fclose(f);
	CHECK(st2110_sdp_load(&sdp, tmp, &e) == -EFBIG && strstr(e.msg, "larger than"),
	      "big file: %s", e.msg);
	unlink(tmp);
	CHECK(st2110_sdp_load(&sdp, "/nonexistent/x.sdp", &e) == -ENOENT &&
	      strstr(e.msg, "cannot open"), "missing file: %s", e.msg);
	free(big);
	RESULT("sdp: more than 8 streams, files above 64 KiB and missing files are refused");
}

/* ---- round trip of the shared files ------------------------------------ */

static void check_file_roundtrip(const struct fexp *x)
{
	static struct st2110_sdp sdp;
	struct st2110_sdp_diag e;
	char path[4096];
	const char *rt;

	snprintf(path, sizeof(path), "%s/%s", sdp_dir, x->file);
	CHECK(!st2110_sdp_load(&sdp, path, &e), "sdp:%u: %s", e.line, e.msg);
	rt = roundtrip(&sdp);
	CHECK(!rt, "%s", rt);
	RESULT("sdp: %s: write -> parse gives the same streams; the canonical form is a fixed point",
	       x->file);
}

/* ---- mutation fuzz ----------------------------------------------------- */

static uint64_t rng = 0x2110;

static uint32_t rnd(void)
{
	/* xorshift64*: reproducible, no libc state */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 2685821657736338717ULL) >> 32);
}

struct fuzz_stats {
	unsigned int runs, accepted, rejected, bad;
};

static void fuzz_one(const char *text, size_t len, struct fuzz_stats *fs, unsigned int nlines)
{
	static struct st2110_sdp sdp;
	struct st2110_sdp_diag e;
	const char *rt;
	int ret;

	fs->runs++;
	ret = st2110_sdp_parse(&sdp, text, len, &e);
	if (ret == 0) {
		fs->accepted++;
		rt = roundtrip(&sdp);
		if (rt) {
			fs->bad++;
			CHECK(0, "accepted mutant does not round-trip: %s", rt);
		}
		return;
	}
	fs->rejected++;
	if (ret != -EINVAL || !e.msg[0] || e.line > nlines + 1) {
		fs->bad++;
		CHECK(0, "rejection without a proper message: ret %d line %u/%u '%s'", ret,
		      e.line, nlines, e.msg);
	}
}

static void fuzz_text(const char *name, const char *text)
{
	static const char alphabet[] = " ;:/=\r\n\t0123456789-.xX{},*aAmvcot~\x01\xff";
	struct fuzz_stats fs = { 0 };
	size_t len = strlen(text), i, a, b;
	unsigned int nlines = 0, k, j;
	char *buf = malloc(len * 2 + 64);
	const char *p, *q;

	for (i = 0; i < len; i++)
		nlines += text[i] == '\n';
	nlines++;
	/* every line deleted in turn */
	for (p = text; *p; p = q) {
		q = strchr(p, '\n');
		q = q ? q + 1 : p + strlen(p);
		a = (size_t)(p - text);
		b = (size_t)(q - text);
		memcpy(buf, text, a);
		memcpy(buf + a, text + b, len - b);
		fuzz_one(buf, len - (b - a), &fs, nlines);
		/* and duplicated */
		memcpy(buf, text, b);
		memcpy(buf + b, text + a, len - a);
		fuzz_one(buf, len + (b - a), &fs, nlines + 1);
	}
	/* every truncation */
	for (i = 0; i <= len; i++)
		fuzz_one(text, i, &fs, nlines);
	/* random edits: replace, insert, delete, 1-3 at a time */
	for (k = 0; k < 10000; k++) {
		size_t n = len;

		memcpy(buf, text, len);
		for (j = 0; j <= rnd() % 3; j++) {
			size_t pos = n ? rnd() % n : 0;
			char c = alphabet[rnd() % (sizeof(alphabet) - 1)];

			switch (rnd() % 3) {
			case 0:
				if (n)
					buf[pos] = c;
				break;
			case 1:
				memmove(buf + pos + 1, buf + pos, n - pos);
				buf[pos] = c;
				n++;
				break;
			default:
				if (n) {
					memmove(buf + pos, buf + pos + 1, n - pos - 1);
					n--;
				}
				break;
			}
		}
		fuzz_one(buf, n, &fs, nlines + 3);
	}
	free(buf);
	CHECK_EQ(fs.bad, 0);
	RESULT("sdp: fuzz %s: %u mutants, %u accepted and round-tripped, %u rejected with a line",
	       name, fs.runs, fs.accepted, fs.rejected);
}

static void fuzz_file(const struct fexp *x)
{
	char path[4096];
	size_t len;
	char *text;

	snprintf(path, sizeof(path), "%s/%s", sdp_dir, x->file);
	text = read_file(path, &len);
	if (!text) {
		ksft_test_result_fail("sdp: fuzz %s: cannot read\n", x->file);
		return;
	}
	fuzz_text(x->file, text);
	free(text);
}

/* ---- main -------------------------------------------------------------- */

#define NHAND	15	/* the check_*() calls below that are not per file */

int main(int argc, char **argv)
{
	unsigned int plan, i, nacc = 0;
	char probe[4096];
	FILE *f;

	for (i = 0; i < NFILES; i++)
		nacc += files[i].ok;
	plan = NFILES + 1 + nacc + NFILES + NREJECTS + NHAND + 2;
	if (argc > 1 && !strcmp(argv[1], "--plan")) {
		printf("%u\n", plan);
		return 0;
	}
	ksft_print_header();
	ksft_set_plan(plan);
	sdp_dir = argc > 1 ? argv[1] : "../../../shared/data/sdp";
	snprintf(probe, sizeof(probe), "%s/%s", sdp_dir, files[0].file);
	f = fopen(probe, "r");
	if (f)
		fclose(f);

	for (i = 0; i < NFILES; i++) {
		if (f)
			check_file(&files[i]);
		else
			ksft_test_result_skip("sdp: %s: %s missing\n", files[i].file, sdp_dir);
	}
	if (f)
		check_exact_timing();
	else
		ksft_test_result_skip("sdp: exact schedule: %s missing\n", sdp_dir);
	for (i = 0; i < NFILES; i++) {
		if (!files[i].ok)
			continue;
		if (f)
			check_file_roundtrip(&files[i]);
		else
			ksft_test_result_skip("sdp: %s round trip: %s missing\n", files[i].file, sdp_dir);
	}
	for (i = 0; i < NREJECTS; i++)
		check_reject(&rejects[i]);
	check_brief_example();
	check_audio_125us();
	check_audio_other_ptimes();
	check_2160p();
	check_bpm_psf_ipv6();
	check_crlf_eol();
	check_session_defaults();
	check_troff();
	check_warnings();
	check_anc_and_writer();
	check_dup_rules();
	check_limits();
	fuzz_text("hand-written video", video_base);
	fuzz_text("hand-written audio", audio_base);
	{
		char *c = crlf(video_base);

		fuzz_text("hand-written video, CRLF", c);
		free(c);
	}
	for (i = 0; i < NFILES; i++) {
		if (f)
			fuzz_file(&files[i]);
		else
			ksft_test_result_skip("sdp: fuzz %s: %s missing\n", files[i].file, sdp_dir);
	}
	/* the remaining two of the plan: the DUP template and an ANC template */
	fuzz_text("hand-written brief example", brief_example);
	{
		char *s = subst(video_base, "t=0 0\n", "t=0 0\na=group:DUP A B\n");
		char *s2 = subst(s, "a=mediaclk:direct=0\n",
				 "a=mediaclk:direct=0\na=mid:A\nm=video 5006 RTP/AVP 96\n"
				 "c=IN IP4 239.0.0.1/32\n"
				 "a=source-filter: incl IN IP4 239.0.0.1 192.0.2.7\n"
				 "a=rtpmap:96 raw/90000\n"
				 "a=fmtp:96 sampling=YCbCr-4:2:2; width=1920; height=1080; exactframerate=50; "
				 "depth=10; colorimetry=BT709; PM=2110GPM; SSN=ST2110-20:2017; TP=2110TPN\n"
				 "a=mediaclk:direct=0\na=mid:B\n");

		fuzz_text("hand-written DUP pair", s2);
		free(s);
		free(s2);
	}
	ksft_finished();
}
