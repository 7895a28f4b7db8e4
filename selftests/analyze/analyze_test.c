// SPDX-License-Identifier: GPL-2.0
/*
 * analyze_test - st2110-analyze against synthetic captures of known timing.
 *
 * Each test writes a capture (pcap/pcapng by hand, capw.c), runs the
 * analyzer binary with -j, parses its JSON and compares it with
 *  - the ST 2110-21 timing brief §2.3 table (CINST exactly, VRX within the
 *    §11.2 tolerance of one packet, max(t - TPR_j) within 10 ns of the
 *    table's µs figure), and
 *  - the tests' own exact model (ref.c), run on the very timestamps in
 *    the file, which must agree to the packet and to the nanosecond.
 * No analyzer or timing-core code is linked in.
 *
 * Usage: analyze_test [ANALYZER [OUTDIR]]     (TAP 13 on stdout)
 *        analyze_test --send-rtp PORT COUNT   (helper for the live test)
 *        analyze_test --write-perf FILE FRAMES [SNAPLEN [HEIGHT]]
 *            (HEIGHTp59.94, 4:2:2 10-bit 16:9 in 1200-B packets: 4320 per frame at 1080,
 *            17280 at 2160 (default); SNAPLEN 0 = whole
 *            1262-B frames; for perf.sh)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <kselftest.h>

#include "capw.h"
#include "json.h"
#include "ref.h"

#define NTESTS		55
#define WIRE_10G_PS	1028800		/* 1286 B at 10 Gb/s, in ps */
#define WIRE_25G_PS	411520		/* 1286 B at 25 Gb/s */
#define SNAP		96		/* enough for every header and the SRD */

static const char *analyzer = "build/st2110-analyze";
static const char *outdir = "build/selftests/analyze";
static const char *shared = "/work/shared/data";
static const char *self_path;

/* ---------- small helpers ---------- */

static int nfail;	/* mismatches in the current test */

static void mismatch(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("# ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	nfail++;
}

static void result(const char *name)
{
	if (nfail)
		ksft_test_result_fail("%s (%d mismatches)\n", name, nfail);
	else
		ksft_test_result_pass("%s\n", name);
	nfail = 0;
}

static void expect_num(const struct jval *j, const char *path, int64_t want)
{
	int64_t got;

	if (json_num(j, path, &got))
		mismatch("%s: missing, want %" PRId64, path, want);
	else if (got != want)
		mismatch("%s = %" PRId64 ", want %" PRId64, path, got, want);
}

static void expect_near(const struct jval *j, const char *path, int64_t want, int64_t tol)
{
	int64_t got;

	if (json_num(j, path, &got))
		mismatch("%s: missing, want %" PRId64 " +-%" PRId64, path, want, tol);
	else if (got < want - tol || got > want + tol)
		mismatch("%s = %" PRId64 ", want %" PRId64 " +-%" PRId64, path, got, want, tol);
}

static void expect_str(const struct jval *j, const char *path, const char *want)
{
	const char *got = json_str(j, path);

	if (!got || strcmp(got, want))
		mismatch("%s = %s, want %s", path, got ? got : "(missing)", want);
}

static void expect_bool(const struct jval *j, const char *path, bool want)
{
	const struct jval *v = json_get(j, path);

	if (!v || v->type != J_BOOL || v->b != want)
		mismatch("%s: want %s", path, want ? "true" : "false");
}

static char *slurp(const char *path)
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
	if (buf)
		buf[n] = '\0';
	fclose(f);
	return buf;
}

static void path_of(char *buf, size_t len, const char *name, const char *ext)
{
	snprintf(buf, len, "%s/%s%s", outdir, name, ext);
}

/*
 * Run the analyzer with args (NULL-terminated), stdout and stderr to
 * OUTDIR/name.out and .err.  Returns the exit status (-1: did not exit).
 */
static int run(const char *name, const char *const *args)
{
	char out[512], err[512];
	const char *argv[32];
	int i, n = 0, st;
	pid_t pid;

	path_of(out, sizeof(out), name, ".out");
	path_of(err, sizeof(err), name, ".err");
	argv[n++] = analyzer;
	for (i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		int fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int fe = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fo < 0 || fe < 0)
			_exit(127);
		dup2(fo, 1);
		dup2(fe, 2);
		execv(analyzer, (char *const *)argv);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* Run with -j and parse; NULL (and a message) unless it exits 0 with JSON. */
static struct jval *run_json(const char *name, const char *const *args)
{
	const char *argv[32];
	char out[512];
	struct jval *j;
	char *text;
	int i, n = 0, st;

	argv[n++] = "-j";
	for (i = 0; args[i] && n < 30; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	st = run(name, argv);
	if (st) {
		mismatch("%s: analyzer exit status %d (see %s/%s.err)", name, st, outdir, name);
		return NULL;
	}
	path_of(out, sizeof(out), name, ".out");
	text = slurp(out);
	j = text ? json_parse(text) : NULL;
	free(text);
	if (!j)
		mismatch("%s: output is not JSON", name);
	return j;
}

/* ---------- synthetic streams ---------- */

struct gen {
	struct tfmt f;
	uint32_t frames;
	uint32_t lead;		/* packets ahead of the gapped TPR_j */
	uint32_t burst;		/* packets sent back to back, 1 = none */
	uint64_t gap_ps;	/* spacing inside a burst */
	bool linear;		/* emit on the linear schedule */
	bool psf;		/* both segments carry the frame's timestamp */
	uint32_t seq0;		/* extended sequence of the first packet */
};

static uint64_t first_frame(const struct tfmt *f)
{
	/* around 2023-11 in TAI, not aligned to anything in particular */
	return 1700000000ULL * f->rate_num / f->rate_den + 7;
}

static i128 floor_d(i128 a, i128 b)
{
	i128 q = a / b;

	return (a % b && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* floor((2N + field) * TFRAME/2 * 90 kHz): ST 2110-10 truncation */
static uint32_t rtp_ts(const struct tfmt *f, uint64_t frame, int field)
{
	i128 halves = (i128)frame * 2 + field;

	return (uint32_t)floor_d(halves * 90000 * f->rate_den, (i128)2 * f->rate_num);
}

static size_t gen_stream(const struct gen *g, struct tpkt **out)
{
	const struct tfmt *f = &g->f;
	size_t n = (size_t)g->frames * f->npackets, i = 0;
	struct tpkt *p = calloc(n + 64, sizeof(*p));
	uint64_t n0 = first_frame(f);
	uint32_t fr, j, rows = f->height / (f->interlaced ? 2 : 1);
	uint32_t burst = g->burst ? g->burst : 1;

	for (fr = 0; fr < g->frames; fr++) {
		for (j = 0; j < f->npackets; j++, i++) {
			uint32_t j0 = j - j % burst, jf = j % f->field_pkts;
			i128 t;

			if (g->linear)
				t = tfmt_tpr(f, true, n0 + fr, j0);
			else
				t = tfmt_tpr(f, false, n0 + fr, j0) - (i128)g->lead * f->trs_g;
			/* gap in ps: (j - j0) * gap_ps * D / 1000 units */
			t += (i128)(j - j0) * g->gap_ps * f->D / 1000;
			p[i].t_ns = (uint64_t)floor_d(t, f->D);
			p[i].frame = n0 + fr;
			p[i].j = j;
			p[i].field = f->interlaced && j >= f->field_pkts;
			p[i].marker = jf == f->field_pkts - 1;
			p[i].seq32 = g->seq0 + fr * f->npackets + j;
			p[i].ts = rtp_ts(f, n0 + fr, f->interlaced && !g->psf ? p[i].field : 0);
			p[i].row = (uint16_t)((uint64_t)jf * rows / f->field_pkts);
		}
	}
	*out = p;
	return n;
}

static const struct flow flow4 = {
	.src4 = { 10, 0, 0, 1 }, .dst4 = { 239, 1, 1, 1 },
	.src6 = { 0xfd, 0, [15] = 1 },
	.dst6 = { 0xff, 0x3e, [14] = 0x11, [15] = 0x10 },
	.sport = 4000, .dport = 5004,
};

#define SSRC	0x12345678

static uint32_t rtp_video_payload(uint8_t *b, const struct tpkt *p, bool esn_zero)
{
	memset(b, 0, 1220);
	b[0] = 0x80;
	b[1] = (uint8_t)((p->marker ? 0x80 : 0) | 96);
	b[2] = (uint8_t)(p->seq32 >> 8);
	b[3] = (uint8_t)p->seq32;
	b[4] = (uint8_t)(p->ts >> 24);
	b[5] = (uint8_t)(p->ts >> 16);
	b[6] = (uint8_t)(p->ts >> 8);
	b[7] = (uint8_t)p->ts;
	b[8] = SSRC >> 24;
	b[9] = (SSRC >> 16) & 0xff;
	b[10] = (SSRC >> 8) & 0xff;
	b[11] = SSRC & 0xff;
	if (!esn_zero) {
		b[12] = (uint8_t)(p->seq32 >> 24);
		b[13] = (uint8_t)(p->seq32 >> 16);
	}
	b[14] = 1200 >> 8;		/* SRD length */
	b[15] = 1200 & 0xff;
	b[16] = (uint8_t)((p->field ? 0x80 : 0) | (p->row >> 8));
	b[17] = (uint8_t)p->row;
	return 1220;
}

struct wopts {
	struct capw_opts c;
	bool esn_zero;
	const struct flow *fl;
};

/* Write the packets; stores back the timestamps the file really holds. */
static int write_capture(const char *path, const struct wopts *w, struct tpkt *p, size_t n)
{
	static uint8_t buf[1500];
	struct capw cw;
	size_t i;

	if (capw_open(&cw, path, &w->c))
		return -1;
	for (i = 0; i < n; i++) {
		uint32_t len = rtp_video_payload(buf, &p[i], w->esn_zero);

		capw_udp(&cw, p[i].t_ns, w->fl ? w->fl : &flow4, buf, len);
		p[i].t_ns = capw_stored_ns(&w->c, p[i].t_ns);
	}
	return capw_close(&cw);
}

static struct wopts default_w(void)
{
	struct wopts w = { .c = { .link = CAPW_ETH, .snaplen = SNAP } };

	return w;
}

static struct tfmt fmt_1080p5994(void)
{
	struct tfmt f = { .rate_num = 60000, .rate_den = 1001, .height = 1080,
			  .npackets = 4320, .troffset_ns = -1 };

	tfmt_init(&f);
	return f;
}

/* ---------- comparisons ---------- */

#define V "streams.0.video."

/* Every strict and LIST number against the exact model. */
static void expect_ref(const struct jval *j, const struct tfmt *f, const struct tpkt *p, size_t n)
{
	struct ref_result r;

	if (ref_run(f, p, n, &r)) {
		mismatch("reference model failed");
		return;
	}
	expect_num(j, V "strict.cinst_peak_pkts", (int64_t)r.cinst_strict);
	expect_num(j, V "list.cinst_peak_pkts", (int64_t)r.cinst_list);
	expect_num(j, V "strict.gapped.vrx_min_pkts", r.prs[0].vrx_min);
	expect_num(j, V "strict.gapped.vrx_max_pkts", r.prs[0].vrx_max);
	expect_num(j, V "strict.gapped.late_pkts", (int64_t)r.prs[0].late);
	expect_num(j, V "strict.gapped.sched_err_max_ns", r.prs[0].err_max_ns);
	expect_num(j, V "strict.gapped.sched_err_min_ns", r.prs[0].err_min_ns);
	expect_num(j, V "strict.linear.vrx_min_pkts", r.prs[1].vrx_min);
	expect_num(j, V "strict.linear.vrx_max_pkts", r.prs[1].vrx_max);
	expect_num(j, V "strict.linear.late_pkts", (int64_t)r.prs[1].late);
	expect_num(j, V "strict.linear.sched_err_max_ns", r.prs[1].err_max_ns);
	expect_num(j, V "list.gapped.vrx_min_pkts", r.list_vrx_min[0]);
	expect_num(j, V "list.gapped.vrx_max_pkts", r.list_vrx_max[0]);
	expect_num(j, V "list.linear.vrx_min_pkts", r.list_vrx_min[1]);
	expect_num(j, V "list.linear.vrx_max_pkts", r.list_vrx_max[1]);
	if (!strcmp(json_str(j, V "sched_err_ns.prs") ? json_str(j, V "sched_err_ns.prs") : "", "gapped")) {
		expect_num(j, V "sched_err_ns.p50", r.p50_ns);
		expect_num(j, V "sched_err_ns.p99", r.p99_ns);
		expect_num(j, V "sched_err_ns.max", r.prs[0].err_max_ns);
	}
}

/* A row of the timing brief's §2.3 table. */
struct row23 {
	int cinst_strict, cinst_list;
	int vrx_min, vrx_max;		/* strict, gapped PRS */
	int lvrx_min, lvrx_max;		/* LIST, gapped TRS */
	int64_t err_max_ns;		/* the table's µs figure * 1000 */
};

static void expect_row(const struct jval *j, const struct row23 *t, bool list_gapped_path)
{
	const char *lmin = list_gapped_path ? V "list.gapped.vrx_min_pkts" : V "list.vrx_min_pkts";
	const char *lmax = list_gapped_path ? V "list.gapped.vrx_max_pkts" : V "list.vrx_max_pkts";

	expect_num(j, V "strict.cinst_peak_pkts", t->cinst_strict);
	expect_num(j, V "list.cinst_peak_pkts", t->cinst_list);
	/* §11.2: VRX from ns timestamps is within one packet of the table */
	expect_near(j, V "strict.gapped.vrx_min_pkts", t->vrx_min, 1);
	expect_near(j, V "strict.gapped.vrx_max_pkts", t->vrx_max, 1);
	expect_near(j, lmin, t->lvrx_min, 1);
	expect_near(j, lmax, t->lvrx_max, 1);
	/* the table rounds to 10 ns; floor() of TPR_j adds up to 1 ns */
	expect_near(j, V "strict.gapped.sched_err_max_ns", t->err_max_ns, 6);
}

static void expect_limits(const struct jval *j, const struct tfmt *f)
{
	expect_num(j, V "npackets", f->npackets);
	expect_num(j, V "limits.cmax_n_pkts", f->cmax_n);
	expect_num(j, V "limits.cmax_nl_pkts", f->cmax_nl);
	expect_num(j, V "limits.cmax_w_pkts", f->cmax_w);
	expect_num(j, V "limits.vrx_full_n_pkts", f->vrx_n);
	expect_num(j, V "limits.vrx_full_w_pkts", f->vrx_w);
}

/* Generate, write, analyze, compare with the model; returns the JSON. */
static struct jval *scenario(const char *name, struct gen *g, const struct wopts *w,
			     const char *const *args, struct tpkt **pp, size_t *np)
{
	char cap[512];
	const char *argv[24];
	struct tpkt *p;
	struct jval *j;
	size_t n;
	int i = 0;

	n = gen_stream(g, &p);
	path_of(cap, sizeof(cap), name, w->c.pcapng ? ".pcapng" : ".pcap");
	if (write_capture(cap, w, p, n)) {
		mismatch("cannot write %s", cap);
		free(p);
		return NULL;
	}
	for (; args && args[i] && i < 22; i++)
		argv[i] = args[i];
	argv[i++] = cap;
	argv[i] = NULL;
	j = run_json(name, argv);
	if (pp) {
		*pp = p;
		*np = n;
	} else {
		free(p);
	}
	return j;
}

static const char *const video_1080p5994[] = { "--video", "1080p59.94", NULL };

/* ---------- the §2.3 table ---------- */

static void test_table_row(const char *name, uint32_t lead, uint32_t burst, bool linear,
			   const struct row23 *row, const char *best)
{
	struct gen g = { .f = fmt_1080p5994(), .frames = 3, .lead = lead, .burst = burst,
			 .gap_ps = WIRE_10G_PS, .linear = linear, .seq0 = 0x1234ff00 };
	struct wopts w = default_w();
	struct tpkt *p;
	struct jval *j;
	size_t n;

	j = scenario(name, &g, &w, video_1080p5994, &p, &n);
	if (j) {
		expect_row(j, row, linear);
		expect_ref(j, &g.f, p, n);
		expect_str(j, V "verdict.best_type", best);
		expect_num(j, V "sequence.lost_pkts", 0);
		expect_num(j, V "frames.complete", 3);
		expect_num(j, V "frames.incomplete", 0);
		if (linear) {
			/* §11.1: LIST detects the linear schedule and reads 0/0 on it */
			expect_str(j, V "list.schedule", "linear");
			expect_near(j, V "list.vrx_min_pkts", 0, 1);
			expect_near(j, V "list.vrx_max_pkts", 0, 1);
		} else {
			expect_str(j, V "list.schedule", "gapped");
		}
	}
	json_free(j);
	free(p);
	result(name);
}

static void test_limits(void)
{
	/* two frames: NPACKETS needs two markers */
	struct gen g = { .f = fmt_1080p5994(), .frames = 2, .seq0 = 1 };
	struct wopts w = default_w();
	struct jval *j = scenario("limits_1080p5994", &g, &w, video_1080p5994, NULL, NULL);

	/* the brief's table: CMAX N/NL/W 6/5/16, VRXFULL 9/863, RNOMINAL 258941 */
	if (j) {
		expect_limits(j, &g.f);
		expect_num(j, V "limits.cmax_n_pkts", 6);
		expect_num(j, V "limits.cmax_nl_pkts", 5);
		expect_num(j, V "limits.vrx_full_n_pkts", 9);
		expect_num(j, V "limits.vrx_full_w_pkts", 863);
		expect_num(j, V "limits.rnominal_pps", 258941);
		expect_bool(j, V "limits.cmax_w_defined", true);
		expect_str(j, V "schedule.trs_gapped_ns", "100100/27");
		expect_str(j, V "schedule.tdrain_ns", "284375/81");
		expect_str(j, V "schedule.troffset_ns", "17217200/27");
		expect_num(j, V "troffset_ns", 637674);
	}
	json_free(j);
	result("1080p59.94 limits and schedule match the brief's table");
}

static void test_interlaced_table(void)
{
	struct gen g = { .f = { .rate_num = 30000, .rate_den = 1001, .height = 1080,
				.interlaced = true, .npackets = 4320, .troffset_ns = -1 },
			 .frames = 3, .lead = 4, .burst = 1, .seq0 = 77 };
	static const struct row23 row = { 1, 0, 1, 4, 4, 4, -29660 };
	const char *const args[] = { "--video", "1080i59.94", NULL };
	struct wopts w = default_w();
	struct tpkt *p;
	struct jval *j;
	size_t n;

	tfmt_init(&g.f);
	j = scenario("t23_1080i5994_lead4", &g, &w, args, &p, &n);
	if (j) {
		expect_row(j, &row, false);
		expect_ref(j, &g.f, p, n);
		expect_limits(j, &g.f);
		expect_str(j, V "verdict.best_type", "N");
		expect_str(j, V "frames.unit", "field");
		expect_num(j, V "frames.complete", 6);
		expect_num(j, V "rtp_step_ticks.min", 1501);
		expect_num(j, V "rtp_step_ticks.max", 1502);
		expect_num(j, V "rtp_step_ticks.out_of_range", 0);
		expect_num(j, V "troffset_ns", 652503);
	}
	json_free(j);
	free(p);
	result("§2.3 1080i59.94 ideal lead 4");
}

/* ---------- impairments ---------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static int cmp_time(const void *a, const void *b)
{
	const struct tpkt *x = a, *y = b;

	return x->t_ns < y->t_ns ? -1 : x->t_ns > y->t_ns;
}

/* Write p as given (after edits), analyze with args, compare with the model. */
static struct jval *analyze_edited(const char *name, const struct tfmt *f, struct tpkt *p,
				   size_t n, const char *const *args)
{
	struct wopts w = default_w();
	const char *argv[24];
	char cap[512];
	struct jval *j;
	int i = 0;

	path_of(cap, sizeof(cap), name, ".pcap");
	if (write_capture(cap, &w, p, n)) {
		mismatch("cannot write %s", cap);
		return NULL;
	}
	for (; args && args[i] && i < 22; i++)
		argv[i] = args[i];
	argv[i++] = cap;
	argv[i] = NULL;
	j = run_json(name, argv);
	if (j)
		expect_ref(j, f, p, n);
	return j;
}

static void test_jitter(void)
{
	struct gen g = { .f = fmt_1080p5994(), .frames = 3, .lead = 4, .burst = 1, .seq0 = 5 };
	struct tpkt *p;
	struct jval *j;
	size_t n = gen_stream(&g, &p), i;

	/* +-2 µs uniform: packets may swap places in time, keep file order by time */
	for (i = 0; i < n; i++)
		p[i].t_ns = p[i].t_ns - 2000 + rng() % 4001;
	qsort(p, n, sizeof(*p), cmp_time);
	j = analyze_edited("jitter", &g.f, p, n, video_1080p5994);
	if (j)
		expect_num(j, V "sequence.lost_pkts", 0);
	json_free(j);
	free(p);
	result("jitter +-2 us: strict and LIST figures equal the exact model");
}

static void write_sdp(const char *path, const char *addr, int port, const char *fmtp)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return;
	fprintf(f, "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=test\r\nt=0 0\r\n"
		"m=video %d RTP/AVP 96\r\nc=IN IP4 %s/32\r\na=rtpmap:96 raw/90000\r\n"
		"a=fmtp:96 %s\r\na=mediaclk:direct=0\r\n", port, addr, fmtp);
	fclose(f);
}

static void test_late(void)
{
	struct gen g = { .f = fmt_1080p5994(), .frames = 3, .lead = 0, .burst = 1, .seq0 = 9 };
	const char *args[] = { "--sdp", NULL, NULL };
	char sdp[512];
	struct tpkt *p;
	struct jval *j;
	size_t n = gen_stream(&g, &p);

	path_of(sdp, sizeof(sdp), "late", ".sdp");
	write_sdp(sdp, "239.1.1.1", 5004, "sampling=YCbCr-4:2:2; width=1920; height=1080; "
		  "exactframerate=60000/1001; depth=10; colorimetry=BT709; PM=2110GPM; "
		  "SSN=ST2110-20:2017; TP=2110TPN; ");
	args[1] = sdp;
	/* three packets 2 µs late, deep in frame 1: late for N, early for NL/W */
	p[4320 + 3000].t_ns += 2000;
	p[4320 + 3001].t_ns += 2000;
	p[4320 + 3002].t_ns += 2000;
	j = analyze_edited("late", &g.f, p, n, args);
	if (j) {
		expect_num(j, V "strict.gapped.late_pkts", 3);
		expect_num(j, V "strict.linear.late_pkts", 0);
		expect_str(j, V "verdict.n.result", "fail");
		/* §11.4: late on the gapped PRS, still Type W on the later linear one */
		expect_str(j, V "verdict.best_type", "W");
		expect_str(j, V "verdict.declared_tp", "N");
		expect_bool(j, V "verdict.meets_declared_tp", false);
		expect_str(j, V "format_source", "sdp");
	}
	json_free(j);
	free(p);
	result("late packets: counted, Type N fails, best type W, declared N not met");
}

static void test_loss(void)
{
	struct gen g = { .f = fmt_1080p5994(), .frames = 3, .lead = 4, .burst = 1, .seq0 = 0xfff0 };
	/* packet 0 of frame 1, the marker of frame 0, and three in frame 2 */
	static const size_t drop[] = { 4319, 4320, 9000, 9001, 12000 };
	struct tpkt *p;
	struct jval *j;
	size_t n = gen_stream(&g, &p), i, k, m = 0;

	for (i = 0; i < n; i++) {
		for (k = 0; k < 5 && drop[k] != i; k++)
			;
		if (k == 5)
			p[m++] = p[i];
	}
	j = analyze_edited("loss", &g.f, p, m, video_1080p5994);
	if (j) {
		expect_num(j, V "sequence.lost_pkts", 5);
		expect_num(j, V "frames.total", 3);
		expect_num(j, V "frames.complete", 0);
		expect_num(j, V "frames.incomplete", 3);
		/* VRX not shifted: no packet reads late, lead unchanged */
		expect_num(j, V "strict.gapped.late_pkts", 0);
		expect_near(j, V "strict.gapped.sched_err_max_ns", -14829, 1);
		expect_num(j, V "index_errors", 0);
	}
	json_free(j);
	free(p);
	result("loss of 5 packets (one marker): lost = 5, schedule not shifted");
}

static void test_reorder(void)
{
	struct gen g = { .f = fmt_1080p5994(), .frames = 3, .lead = 4, .burst = 1, .seq0 = 100 };
	struct tpkt *p, t;
	struct jval *j;
	size_t n = gen_stream(&g, &p);
	uint64_t ta = p[5000].t_ns, tb = p[5001].t_ns;

	/* packets 5000 and 5001 leave in swapped order (times stay in order) */
	t = p[5000];
	p[5000] = p[5001];
	p[5001] = t;
	p[5000].t_ns = ta;
	p[5001].t_ns = tb;
	j = analyze_edited("reorder", &g.f, p, n, video_1080p5994);
	if (j) {
		expect_num(j, V "sequence.reordered_pkts", 1);
		expect_num(j, V "sequence.lost_pkts", 0);
		expect_num(j, V "sequence.duplicate_pkts", 0);
		expect_num(j, V "frames.complete", 3);
	}
	json_free(j);
	free(p);
	result("reorder: one swapped pair counts 1 reordered, 0 lost");
}

static void test_duplicates(void)
{
	struct gen g = { .f = fmt_1080p5994(), .frames = 3, .lead = 4, .burst = 1, .seq0 = 200 };
	struct tpkt *p;
	struct jval *j;
	size_t n = gen_stream(&g, &p);

	/* packet 6000 sent twice, the copy 500 ns later */
	memmove(&p[6001], &p[6000], (n - 6000) * sizeof(*p));
	p[6001].t_ns = p[6000].t_ns + 500;
	p[6001].dup = true;
	n++;
	j = analyze_edited("duplicates", &g.f, p, n, video_1080p5994);
	if (j) {
		expect_num(j, V "sequence.duplicate_pkts", 1);
		expect_num(j, V "sequence.lost_pkts", 0);
		expect_num(j, V "frames.complete", 3);
		expect_num(j, "streams.0.packets", (int64_t)n);
	}
	json_free(j);
	free(p);
	result("duplicates: counted, in CINST, not in VRX");
}

static void test_esn_zero(void)
{
	struct gen g = { .f = fmt_1080p5994(), .frames = 3, .lead = 4, .burst = 1, .seq0 = 0xfff0 };
	struct wopts w = default_w();
	struct tpkt *p;
	struct jval *j;
	size_t n;

	w.esn_zero = true;
	j = scenario("esn_zero", &g, &w, video_1080p5994, &p, &n);
	if (j) {
		expect_bool(j, V "sequence.esn_valid", false);
		expect_num(j, V "sequence.lost_pkts", 0);
		expect_num(j, V "sequence.reordered_pkts", 0);
		expect_num(j, V "frames.complete", 3);
		expect_ref(j, &g.f, p, n);
	}
	json_free(j);
	free(p);
	result("ESN left at 0 across a 16-bit wrap: falls back to 16-bit sequence");
}

/* ---------- capture formats and encapsulations ---------- */

static void test_encap(const char *name, const char *label, struct wopts w,
		       const char *dst, int64_t vlan, const char *res)
{
	struct gen g = { .f = fmt_1080p5994(), .frames = 3, .lead = 4, .burst = 1, .seq0 = 3 };
	struct tpkt *p;
	struct jval *j;
	size_t n;

	j = scenario(name, &g, &w, video_1080p5994, &p, &n);
	if (j) {
		expect_ref(j, &g.f, p, n);
		expect_str(j, "streams.0.dst", dst);
		expect_num(j, "streams.0.packets", (int64_t)n);
		expect_num(j, V "frames.complete", 3);
		expect_str(j, "input.timestamp_resolution", res);
		if (vlan >= 0)
			expect_num(j, "streams.0.vlan", vlan);
		expect_num(j, "packets.malformed", 0);
		expect_num(j, "packets.truncated", 0);
	}
	json_free(j);
	free(p);
	result(label);
}

static void test_encaps(void)
{
	struct wopts w = default_w();

	w.c.usec = 1;
	test_encap("usec", "microsecond pcap: scaled to ns, exact on the stored times", w,
		   "239.1.1.1", -1, "us");
	w = default_w();
	w.c.pcapng = 1;
	test_encap("pcapng", "pcapng (if_tsresol 9) input", w, "239.1.1.1", -1, "ns");
	w = default_w();
	w.c.vlan_tags = 1;
	test_encap("vlan", "802.1Q VLAN", w, "239.1.1.1", 100, "ns");
	w.c.vlan_tags = 2;
	test_encap("qinq", "QinQ (802.1ad + 802.1Q), outer VLAN reported", w, "239.1.1.1", 200, "ns");
	w = default_w();
	w.c.ipv6 = 1;
	test_encap("ipv6", "IPv6", w, "ff3e::1110", -1, "ns");
	w = default_w();
	w.c.link = CAPW_SLL;
	test_encap("sll", "Linux cooked capture v1", w, "239.1.1.1", -1, "ns");
	w.c.link = CAPW_SLL2;
	test_encap("sll2", "Linux cooked capture v2", w, "239.1.1.1", -1, "ns");
	w.c.link = CAPW_RAW;
	test_encap("rawip", "raw IP link type", w, "239.1.1.1", -1, "ns");
	w = default_w();
	w.c.snaplen = 0;
	test_encap("fullsize", "full-size packets (no snap length)", w, "239.1.1.1", -1, "ns");
	w = default_w();
	w.c.swapped = 1;
	test_encap("swapped", "pcap in the other byte order", w, "239.1.1.1", -1, "ns");
	w.c.usec = 1;
	test_encap("swapped-us", "microsecond pcap in the other byte order", w, "239.1.1.1", -1, "us");
}

/*
 * --filter on a classic pcap file, read in place (mapread.c): the filter
 * must still apply, and the same file piped through stdin (libpcap's
 * reader) must give the same report.
 */
static void test_filter_and_readers(void)
{
	struct gen g = { .f = fmt_1080p5994(), .frames = 2, .lead = 4, .burst = 2, .seq0 = 3 };
	struct wopts w = default_w();
	struct tpkt *p;
	struct jval *j;
	size_t n = gen_stream(&g, &p);
	char cap[512], cmd[2400], a[512], b[512];
	const char *argv_none[] = { "--filter", "udp dst port 9", cap, NULL };
	const char *argv_port[] = { "--filter", "udp dst port 5004", cap, NULL };
	char *ta, *tb;

	path_of(cap, sizeof(cap), "readers", ".pcap");
	if (write_capture(cap, &w, p, n)) {
		mismatch("cannot write %s", cap);
		goto out;
	}
	j = run_json("filter-none", argv_none);
	if (j) {
		expect_num(j, "packets.rtp", 0);
		if (json_get(j, "streams.0"))
			mismatch("a stream passed --filter 'udp dst port 9'");
	}
	json_free(j);
	j = run_json("filter-port", argv_port);
	if (j)
		expect_num(j, "streams.0.packets", (int64_t)n);
	json_free(j);
	path_of(a, sizeof(a), "readers-file", ".out");
	path_of(b, sizeof(b), "readers-stdin", ".out");
	/* the source name is the only field allowed to differ */
	snprintf(cmd, sizeof(cmd), "'%s' -j '%s' | sed 's/\"source\": *\"[^\"]*\"//' > '%s' && "
		 "'%s' -j - < '%s' | sed 's/\"source\": *\"[^\"]*\"//' > '%s'", analyzer, cap, a,
		 analyzer, cap, b);
	if (system(cmd)) {
		mismatch("analyzer failed: %s", cmd);
		goto out;
	}
	ta = slurp(a);
	tb = slurp(b);
	if (!ta || !tb || strcmp(ta, tb))
		mismatch("report from the mapped file differs from the one via stdin (%s, %s)", a, b);
	free(ta);
	free(tb);
out:
	free(p);
	result("--filter on a mapped pcap; mapped and stdin readers give one report");
}

static void test_truncated_file(void)
{
	struct gen g = { .f = fmt_1080p5994(), .frames = 1, .lead = 4, .burst = 1, .seq0 = 3 };
	struct wopts w = default_w();
	char cap[512];
	const char *argv[] = { NULL, NULL };
	struct tpkt *p;
	struct jval *j = NULL;
	struct stat st;
	size_t n = gen_stream(&g, &p);

	path_of(cap, sizeof(cap), "truncated", ".pcap");
	/* cut the last record in the middle of its data */
	if (write_capture(cap, &w, p, n) || stat(cap, &st) || truncate(cap, st.st_size - 40)) {
		mismatch("cannot write %s", cap);
	} else {
		argv[0] = cap;
		j = run_json("truncated", argv);
	}
	if (j) {
		expect_bool(j, "input.file_truncated", true);
		expect_num(j, "streams.0.packets", (int64_t)n - 1);
		expect_num(j, V "sequence.lost_pkts", 0);
	}
	json_free(j);
	free(p);
	result("truncated file: warning, the packets before the cut are analyzed");
}

static void test_garbage(void)
{
	struct gen g = { .f = fmt_1080p5994(), .frames = 2, .lead = 4, .burst = 1, .seq0 = 3 };
	struct capw_opts co = { .link = CAPW_ETH, .snaplen = 0 };
	const char *argv[] = { "--video", "1080p59.94", NULL, NULL };
	static uint8_t buf[2000], pl[1500];
	struct capw cw;
	char cap[512];
	struct tpkt *p;
	struct jval *j = NULL;
	size_t n = gen_stream(&g, &p), i, k;

	path_of(cap, sizeof(cap), "garbage", ".pcap");
	if (capw_open(&cw, cap, &co)) {
		mismatch("cannot write %s", cap);
	} else {
		for (i = 0; i < n; i++) {
			uint32_t len = rtp_video_payload(pl, &p[i], false);

			capw_udp(&cw, p[i].t_ns, &flow4, pl, len);
			if (i % 40)
				continue;
			/* random bytes of random length, then half-valid headers */
			len = (uint32_t)(rng() % 200);
			for (k = 0; k < len; k++)
				buf[k] = (uint8_t)rng();
			if (i % 80 == 0 && len > 40) {
				memcpy(buf + 12, "\x08\x00", 2);	/* IPv4 with random insides */
				buf[14] = (uint8_t)(0x40 | (rng() % 16));
			}
			if (i % 120 == 0 && len > 60) {
				memcpy(buf + 12, "\x86\xdd", 2);
				buf[14] = 0x60;
			}
			capw_frame(&cw, p[i].t_ns + 1, buf, len, len);
			/* an IPv4 UDP datagram whose RTP header is cut short */
			capw_udp(&cw, p[i].t_ns + 2, &flow4, (const uint8_t *)"\x80\x60\x00", 3);
		}
		capw_close(&cw);
		argv[2] = cap;
		j = run_json("garbage", argv);
	}
	if (j) {
		int64_t bad = 0, x;

		expect_num(j, "streams.0.packets", (int64_t)n);
		expect_num(j, V "sequence.lost_pkts", 0);
		expect_num(j, V "frames.complete", 2);
		expect_ref(j, &g.f, p, n);
		if (!json_num(j, "packets.malformed", &x))
			bad += x;
		if (!json_num(j, "packets.not_ip", &x))
			bad += x;
		if (!json_num(j, "packets.truncated", &x))
			bad += x;
		if (!json_num(j, "packets.udp_not_rtp", &x))
			bad += x;
		if (bad < (int64_t)(n / 40))
			mismatch("only %" PRId64 " bad frames counted", bad);
	}
	json_free(j);
	free(p);
	result("garbage frames between packets: counted and skipped, stream intact");
}

static void test_non_rtp(void)
{
	struct gen g = { .f = fmt_1080p5994(), .frames = 2, .lead = 4, .burst = 1, .seq0 = 3 };
	struct capw_opts co = { .link = CAPW_ETH, .snaplen = SNAP };
	const char *argv[] = { "--video", "1080p59.94", NULL, NULL };
	static uint8_t pl[1500];
	struct capw cw;
	char cap[512];
	struct tpkt *p;
	struct jval *j = NULL;
	size_t n = gen_stream(&g, &p), i;

	path_of(cap, sizeof(cap), "non_rtp", ".pcap");
	if (!capw_open(&cw, cap, &co)) {
		for (i = 0; i < n; i++) {
			capw_udp(&cw, p[i].t_ns, &flow4, pl, rtp_video_payload(pl, &p[i], false));
			if (i == 100)	/* RTP version 0: not RTP, same address and port */
				capw_udp(&cw, p[i].t_ns + 10, &flow4,
					 (const uint8_t *)"hello, not rtp at all", 21);
		}
		capw_close(&cw);
		argv[2] = cap;
		j = run_json("non_rtp", argv);
	}
	if (j) {
		expect_num(j, "streams.0.non_rtp_pkts", 1);
		expect_num(j, "packets.udp_not_rtp", 1);
		expect_num(j, "streams.0.packets", (int64_t)n);
		expect_num(j, V "sequence.lost_pkts", 0);
		expect_num(j, V "frames.complete", 2);
	}
	json_free(j);
	free(p);
	result("UDP non-RTP packet to the stream's port: counted apart");
}

/* ---------- formats: learned, SDP, TROFF, other rasters ---------- */

static void test_learned(void)
{
	struct gen g = { .f = fmt_1080p5994(), .frames = 3, .lead = 4, .burst = 1, .seq0 = 0xfffff000 };
	struct gen gi = { .f = { .rate_num = 30000, .rate_den = 1001, .height = 1080,
				 .interlaced = true, .npackets = 4320, .troffset_ns = -1 },
			  .frames = 3, .lead = 4, .burst = 1, .seq0 = 10 };
	struct wopts w = default_w();
	struct tpkt *p;
	struct jval *j;
	size_t n;

	j = scenario("learned_p", &g, &w, NULL, &p, &n);
	if (j) {
		expect_str(j, V "format_source", "learned");
		expect_num(j, V "format.rate_num", 60000);
		expect_num(j, V "format.rate_den", 1001);
		expect_num(j, V "format.height", 1080);
		expect_str(j, V "format.scan", "progressive");
		expect_ref(j, &g.f, p, n);
		expect_num(j, V "frames.complete", 3);
	}
	json_free(j);
	free(p);
	result("learned format 1080p59.94: rate, height, NPACKETS from the stream");

	tfmt_init(&gi.f);
	j = scenario("learned_i", &gi, &w, NULL, &p, &n);
	if (j) {
		expect_str(j, V "format_source", "learned");
		expect_num(j, V "format.rate_num", 30000);
		expect_num(j, V "format.rate_den", 1001);
		expect_str(j, V "format.scan", "interlaced");
		expect_num(j, V "npackets", 4320);
		expect_ref(j, &gi.f, p, n);
	}
	json_free(j);
	free(p);
	result("learned format 1080i59.94: interlace from the SRD F bit");
}

static void test_shared_sdp(void)
{
	/* 12_nmostesting_1080p50_TPN.sdp: 239.50.2.1:50050, TP=2110TPN */
	struct gen g = { .f = { .rate_num = 50, .rate_den = 1, .height = 1080,
				.npackets = 4320, .troffset_ns = -1 },
			 .frames = 3, .lead = 4, .burst = 1, .seq0 = 1 };
	struct flow fl = flow4;
	struct wopts w = default_w();
	char sdp[512];
	const char *args[] = { "--sdp", sdp, NULL };
	struct tpkt *p;
	struct jval *j;
	size_t n;

	snprintf(sdp, sizeof(sdp), "%s/sdp/12_nmostesting_1080p50_TPN.sdp", shared);
	if (access(sdp, R_OK)) {
		ksft_test_result_skip("shared SDP 12 (1080p50 TPN): %s not readable\n", sdp);
		return;
	}
	tfmt_init(&g.f);
	memcpy(fl.dst4, "\xef\x32\x02\x01", 4);
	fl.dport = 50050;
	w.fl = &fl;
	j = scenario("sdp12", &g, &w, args, &p, &n);
	if (j) {
		expect_str(j, V "format_source", "sdp");
		expect_num(j, "streams.0.sdp.line", 7);
		expect_str(j, V "verdict.declared_tp", "N");
		expect_bool(j, V "verdict.meets_declared_tp", true);
		expect_str(j, V "verdict.best_type", "N");
		expect_limits(j, &g.f);
		expect_num(j, V "limits.cmax_n_pkts", 5);	/* brief's table: 1080p50 GPM */
		expect_num(j, V "limits.vrx_full_n_pkts", 8);
		expect_num(j, V "troffset_ns", 764444);
		expect_ref(j, &g.f, p, n);
	}
	json_free(j);
	free(p);

	/* 13 (EBU LIST, no TP): 239.50.1.2:50050; TPN assumed, but not declared */
	snprintf(sdp, sizeof(sdp), "%s/sdp/13_nmostesting_1080p50_LIST_generated_noTP_EDGECASE.sdp",
		 shared);
	memcpy(fl.dst4, "\xef\x32\x01\x02", 4);
	j = scenario("sdp13", &g, &w, args, NULL, NULL);
	if (j) {
		const struct jval *d = json_get(j, V "verdict.declared_tp");
		char err[512], *msg;

		expect_str(j, V "format_source", "sdp");
		expect_num(j, "streams.0.sdp.line", 7);
		if (!d || d->type != J_NULL)
			mismatch(V "verdict.declared_tp: want null (the SDP declares no TP)");
		expect_str(j, V "verdict.best_type", "N");
		path_of(err, sizeof(err), "sdp13", ".err");
		msg = slurp(err);
		if (!msg || !strstr(msg, "EDGECASE.sdp:13: warning: fmtp: no TP"))
			mismatch("sdp13: stderr lacks the no-TP warning at line 13: %s",
				 msg ? msg : "(none)");
		free(msg);
	}
	json_free(j);
	result("shared SDP 12 (1080p50 TPN): format, declared TP met; 13 (no TP): none declared");
}

static void test_troff(void)
{
	struct gen g = { .f = { .rate_num = 50, .rate_den = 1, .height = 1080,
				.npackets = 4320, .troffset_ns = 500000 },
			 .frames = 3, .lead = 4, .burst = 1, .seq0 = 1 };
	struct wopts w = default_w();
	char sdp[512];
	const char *args[] = { "--sdp", sdp, NULL };
	const char *args_default[] = { "--video", "1080p50", NULL };
	struct tpkt *p;
	struct jval *j;
	size_t n;

	tfmt_init(&g.f);
	path_of(sdp, sizeof(sdp), "troff", ".sdp");
	write_sdp(sdp, "239.1.1.1", 5004, "sampling=YCbCr-4:2:2; width=1920; height=1080; "
		  "exactframerate=50; depth=10; colorimetry=BT709; PM=2110GPM; "
		  "SSN=ST2110-20:2017; TP=2110TPN; TROFF=500");
	j = scenario("troff", &g, &w, args, &p, &n);
	if (j) {
		expect_num(j, V "troffset_ns", 500000);
		expect_str(j, V "schedule.troffset_source", "troff");
		expect_ref(j, &g.f, p, n);
		expect_str(j, V "verdict.best_type", "N");
	}
	json_free(j);
	free(p);
	/* the same capture read with TRODEFAULT: 264 µs early, VRX overflows */
	j = scenario("troff_default", &g, &w, args_default, NULL, NULL);
	if (j) {
		expect_num(j, V "troffset_ns", 764444);
		expect_str(j, V "verdict.n.result", "fail");
	}
	json_free(j);
	result("SDP TROFF=500 moves the schedule (and TRODEFAULT fails it)");
}

static void test_576i(void)
{
	/* §11.3: 384 packets per field, LIST's 50x rule calls it linear */
	struct gen g = { .f = { .rate_num = 25, .rate_den = 1, .height = 576, .interlaced = true,
				.npackets = 768, .troffset_ns = -1 },
			 .frames = 4, .lead = 0, .burst = 1, .seq0 = 1 };
	const char *args[] = { "--video", "576i50", NULL };
	struct wopts w = default_w();
	struct tpkt *p;
	struct jval *j;
	size_t n;

	tfmt_init(&g.f);
	j = scenario("576i50", &g, &w, args, &p, &n);
	if (j) {
		expect_ref(j, &g.f, p, n);
		expect_limits(j, &g.f);
		expect_num(j, V "troffset_ns", 1664000);	/* LIST unit test: 26/625 * 40 ms */
		expect_str(j, V "verdict.best_type", "N");
		expect_str(j, V "list.schedule", "linear");
	}
	json_free(j);
	free(p);
	result("576i50: strict verdict N, LIST detection says linear (errata 3)");
}

static void test_2160p(void)
{
	struct gen g = { .f = { .rate_num = 60000, .rate_den = 1001, .height = 2160,
				.npackets = 17280, .troffset_ns = -1 },
			 .frames = 3, .lead = 4, .burst = 1, .gap_ps = WIRE_25G_PS, .seq0 = 1 };
	const char *args[] = { "--video", "2160p59.94", NULL };
	struct wopts w = default_w();
	struct tpkt *p;
	struct jval *j;
	size_t n;

	tfmt_init(&g.f);
	j = scenario("2160p_lead4", &g, &w, args, &p, &n);
	if (j) {
		expect_ref(j, &g.f, p, n);
		expect_limits(j, &g.f);
		expect_num(j, V "limits.cmax_n_pkts", 24);
		expect_num(j, V "limits.vrx_full_n_pkts", 38);
		expect_bool(j, V "limits.cmax_w_defined", false);
		expect_str(j, V "verdict.best_type", "N");
		expect_str(j, V "verdict.w.result", "undefined");
	}
	json_free(j);
	free(p);
	result("2160p59.94 lead 4: Type N, Type W CMAX undefined above 900000 pkt/s");

	g.burst = 64;
	j = scenario("2160p_burst64", &g, &w, args, &p, &n);
	if (j) {
		expect_ref(j, &g.f, p, n);
		expect_str(j, V "verdict.n.result", "fail");
		expect_str(j, V "verdict.nl.result", "fail");
		expect_str(j, V "verdict.best_type", "undefined");
	}
	json_free(j);
	free(p);
	result("2160p59.94 bursts of 64: best type 'undefined' (errata 7), not a failure");
}

static void test_psf(void)
{
	/* PsF reads like interlaced (second segment half a frame later) */
	struct gen g = { .f = { .rate_num = 25, .rate_den = 1, .height = 1080, .interlaced = true,
				.npackets = 4320, .troffset_ns = -1 },
			 .frames = 3, .lead = 4, .burst = 1, .psf = true, .seq0 = 1 };
	const char *args[] = { "--video", "1080psf25", NULL };
	struct wopts w = default_w();
	struct tpkt *p;
	struct jval *j;
	size_t n;
	int pass;

	tfmt_init(&g.f);
	for (pass = 0; pass < 2; pass++) {
		j = scenario(pass ? "psf_learned" : "psf", &g, &w, pass ? NULL : args, &p, &n);
		if (j) {
			expect_ref(j, &g.f, p, n);
			expect_str(j, V "format.scan", "psf");
			expect_num(j, V "format.rate_num", 25);
			expect_num(j, V "format.rate_den", 1);
			expect_str(j, V "frames.unit", "segment");
			expect_num(j, V "frames.complete", 6);
			expect_num(j, V "rtp_step_ticks.min", 3600);
			expect_num(j, V "rtp_step_ticks.out_of_range", 0);
			expect_str(j, V "verdict.best_type", "N");
		}
		json_free(j);
		free(p);
		result(pass ? "1080psf25 learned: PsF from F bit with one timestamp per frame" :
		       "1080psf25 lead 4 (--video): segment 2 read half a frame later");
	}
}

/* ---------- audio ---------- */

static void test_audio(void)
{
	struct capw_opts co = { .link = CAPW_ETH, .snaplen = 0 };
	struct flow fl = flow4;
	static uint8_t pl[12 + 288];
	char cap[512], sdp[512];
	const char *args[] = { "--sdp", sdp, cap, NULL };
	const char *args2[] = { cap, NULL };
	uint64_t t0 = 1700000000ULL * 1000000000ULL, k;
	struct capw cw;
	struct jval *j = NULL;
	int pass;

	/* 02_sdpoker_st2110-30_L24_48k_2ch_1ms.sdp: 232.130.55.188:46848 */
	snprintf(sdp, sizeof(sdp), "%s/sdp/02_sdpoker_st2110-30_L24_48k_2ch_1ms.sdp", shared);
	memcpy(fl.dst4, "\xe8\x82\x37\xbc", 4);
	fl.dport = 46848;
	path_of(cap, sizeof(cap), "audio", ".pcap");
	if (capw_open(&cw, cap, &co)) {
		mismatch("cannot write %s", cap);
		result("audio");
		return;
	}
	/* 1 ms packets of 48 samples, RTP on the epoch, arriving 300 µs later */
	for (k = 0; k < 200; k++) {
		uint64_t pkt = t0 / 1000000 + k;	/* packet index since the epoch */
		uint32_t ts = (uint32_t)(pkt * 48), seq = (uint32_t)(65500 + k);

		memset(pl, 0, sizeof(pl));
		pl[0] = 0x80;
		pl[1] = 97;
		pl[2] = (uint8_t)(seq >> 8);
		pl[3] = (uint8_t)seq;
		pl[4] = (uint8_t)(ts >> 24);
		pl[5] = (uint8_t)(ts >> 16);
		pl[6] = (uint8_t)(ts >> 8);
		pl[7] = (uint8_t)ts;
		pl[11] = 0x42;
		if (k == 50)
			continue;	/* one lost */
		capw_udp(&cw, pkt * 1000000 + 300000, &fl, pl, sizeof(pl));
	}
	capw_close(&cw);
	for (pass = 0; pass < 2; pass++) {
		bool with_sdp = !pass;

		if (with_sdp && access(sdp, R_OK)) {
			ksft_test_result_skip("audio with shared SDP 02: %s not readable\n", sdp);
			continue;
		}
		j = run_json(with_sdp ? "audio_sdp" : "audio_learned", with_sdp ? args : args2);
		if (j) {
			expect_str(j, "streams.0.kind", "audio");
			expect_num(j, "streams.0.packets", 199);
			expect_num(j, "streams.0.audio.sequence.lost_pkts", 1);
			expect_num(j, "streams.0.audio.rate_hz", 48000);
			expect_str(j, "streams.0.audio.rate_source", with_sdp ? "sdp" : "learned");
			expect_num(j, "streams.0.audio.samples_per_pkt", 48);
			expect_num(j, "streams.0.audio.packet_time_ns", 1000000);
			expect_num(j, "streams.0.audio.rtp_step_ticks.min", 48);
			expect_num(j, "streams.0.audio.rtp_step_ticks.max", 48);
			expect_num(j, "streams.0.audio.latency_ns.min", 300000);
			expect_num(j, "streams.0.audio.latency_ns.max", 300000);
			expect_num(j, "streams.0.audio.interval_ns.max", 1000000);
			if (with_sdp)
				expect_num(j, "streams.0.audio.channels", 2);
		}
		json_free(j);
		result(with_sdp ? "audio L24/48k 1 ms with shared SDP 02: loss, ptime, latency" :
			"audio without SDP: 48 kHz and 48 samples per packet learned");
	}
}

/* ---------- SDP files, bad input, text output ---------- */

static void test_sdp_files(void)
{
	static const char *const files[] = {
		"01_sdpoker_st2110-20_1080i25_TPW.sdp", "02_sdpoker_st2110-30_L24_48k_2ch_1ms.sdp",
		"03_sdpoker_st2110-10_720p5994_DUP_2022-7.sdp", "04_sdpoker_st2110-40_anc.sdp",
		"05_pilist_1080p50_TPN.sdp", "06_pilist_1080p50_TPN_DUP_2022-7.sdp",
		"07_pilist_L24_48k_16ch_1ms.sdp", "08_pilist_L24_48k_2ch_1ms_framecount.sdp",
		"09_pilist_1080_60_multiline_fmtp_EDGECASE.sdp",
		"10_nmostesting_1080i25_TPN_DUP_2022-7.sdp", "11_nmostesting_L24_48k_8ch_1ms_DUP.sdp",
		"12_nmostesting_1080p50_TPN.sdp", "13_nmostesting_1080p50_LIST_generated_noTP_EDGECASE.sdp",
	};
	struct gen g = { .f = fmt_1080p5994(), .frames = 1, .seq0 = 1 };
	struct wopts w = default_w();
	char sdp[512], cap[512], err[512];
	const char *args[] = { "--sdp", sdp, cap, NULL };
	struct tpkt *p;
	size_t i, n = gen_stream(&g, &p);
	int st;

	path_of(cap, sizeof(cap), "sdp_any", ".pcap");
	write_capture(cap, &w, p, n);
	free(p);
	snprintf(sdp, sizeof(sdp), "%s/sdp/%s", shared, files[0]);
	if (access(sdp, R_OK)) {
		ksft_test_result_skip("shared SDP files: %s not readable\n", sdp);
		return;
	}
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		/* 07: 16 ch L24 1 ms is 2304 bytes a packet, over the UDP size limit */
		const char *bad = i == 6 ? ".sdp:12: ptime: audio payload exceeds" :
				  i == 8 ? ".sdp:11: " : NULL;
		char *msg;

		snprintf(sdp, sizeof(sdp), "%s/sdp/%s", shared, files[i]);
		st = run("sdp_file", args);
		path_of(err, sizeof(err), "sdp_file", ".err");
		msg = slurp(err);
		if (bad && (st != 1 || !msg || !strstr(msg, bad)))
			mismatch("%s: want exit 1 and '%s', got %d: %s", files[i], bad, st,
				 msg ? msg : "");
		if (!bad && st)
			mismatch("%s: exit %d: %s", files[i], st, msg ? msg : "");
		free(msg);
	}
	result("shared SDP files: 11 accepted, 07 (payload over 1460 B) and the folded 09 rejected");
}

static void expect_fail(const char *name, const char *const *args, int want, const char *needle)
{
	char err[512];
	char *msg;
	int st = run(name, args);

	path_of(err, sizeof(err), name, ".err");
	msg = slurp(err);
	if (st != want)
		mismatch("%s: exit status %d, want %d", name, st, want);
	if (!msg || !strstr(msg, needle))
		mismatch("%s: stderr lacks '%s': %s", name, needle, msg ? msg : "(none)");
	free(msg);
}

static void test_bad_input(void)
{
	char cap[512], sdp[512], bad[512];
	const char *a1[] = { "--frobnicate", "x.pcap", NULL };
	const char *a2[] = { "/nonexistent/capture.pcap", NULL };
	const char *a3[] = { "--video", "1080x59", "x.pcap", NULL };
	const char *a4[] = { "--hw", "x.pcap", NULL };
	const char *a5[] = { NULL };
	const char *a6[] = { "--sdp", sdp, "x.pcap", NULL };
	const char *a7[] = { bad, NULL };
	const char *a8[] = { "--tai-offset", "37s", "x.pcap", NULL };
	FILE *f;

	expect_fail("bad_option", a1, 2, "unrecognized option");
	result("unknown option: exit 2 with a message");
	expect_fail("bad_file", a2, 1, "/nonexistent/capture.pcap");
	result("unreadable capture file: exit 1 naming the file");
	expect_fail("bad_video", a3, 2, "bad --video '1080x59'");
	result("bad --video: exit 2 naming the value and the rule");
	expect_fail("bad_hw", a4, 2, "--hw needs -i");
	expect_fail("no_input", a5, 2, "no input");
	expect_fail("bad_tai", a8, 2, "bad --tai-offset");
	result("--hw without -i, no input, bad --tai-offset: exit 2");
	path_of(sdp, sizeof(sdp), "bad", ".sdp");
	f = fopen(sdp, "w");
	if (f) {
		fputs("v=0\no=- 1 1 IN IP4 10.0.0.1\ns=bad\nt=0 0\n"
		      "m=video 5004 RTP/AVP 96\nc=IN IP4 239.1.1.1/32\na=rtpmap:96 raw/90000\n"
		      "a=fmtp:96 sampling=YCbCr-4:2:2; width=1920; height=1080; "
		      "exactframerate=59.94; depth=10; colorimetry=BT709; PM=2110GPM; "
		      "SSN=ST2110-20:2017; TP=2110TPN\n", f);
		fclose(f);
	}
	expect_fail("bad_sdp", a6, 1, "bad.sdp:8: fmtp: exactframerate '59.94'");
	path_of(bad, sizeof(bad), "notpcap", ".pcap");
	f = fopen(bad, "w");
	if (f) {
		fputs("this is not a capture file\n", f);
		fclose(f);
	}
	expect_fail("not_pcap", a7, 1, "notpcap.pcap");
	result("bad SDP value (line number) and non-capture file: exit 1");
	(void)cap;
}

static void test_text(void)
{
	struct gen g = { .f = fmt_1080p5994(), .frames = 2, .lead = 4, .burst = 1, .seq0 = 1 };
	struct wopts w = default_w();
	char cap[512], out[512];
	const char *args[] = { "--video", "1080p59.94", cap, NULL };
	/* label and value on one line */
	static const char *const labels[][2] = {
		{ "stream 0: video", "239.1.1.1:5004 ssrc 0x12345678" },
		{ "NPACKETS [pkts/frame]", " 4320 (4320 per marker" },
		{ "CINST peak strict [pkts]", " 1" },
		{ "VRX strict gapped [pkts]", " min 1 max 5, late 0" },
		{ "FPT min/avg/max [us]", " 622.844 / 622.844 / 622.84" },
		{ "t - TPR_j [us]", " max -14.829 (gapped PRS, exact" },
		{ "LIST-compatible", " gapped schedule" },
		{ "schedule [us]", "TRS 3.707 (gapped) 3.861 (linear), TDRAIN 3.510" },
		{ "verdict (strict)", " N" },
	};
	struct tpkt *p;
	size_t i, n = gen_stream(&g, &p);
	char *text;

	path_of(cap, sizeof(cap), "text", ".pcap");
	write_capture(cap, &w, p, n);
	free(p);
	if (run("text", args))
		mismatch("text: exit status not 0");
	path_of(out, sizeof(out), "text", ".out");
	text = slurp(out);
	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
		const char *l = text ? strstr(text, labels[i][0]) : NULL;
		const char *v = l ? strstr(l, labels[i][1]) : NULL;
		const char *nl = l ? strchr(l, '\n') : NULL;

		if (!v || (nl && v > nl))
			mismatch("text output lacks '%s ... %s'", labels[i][0], labels[i][1]);
	}
	free(text);
	result("human output: one block per stream with units in the labels");
}

/* ---------- several streams, partial captures, robustness ---------- */

static void test_multi(void)
{
	/* the first packet decides the order: the stream with the larger lead is 0 */
	struct gen g = { .f = fmt_1080p5994(), .frames = 3, .lead = 8, .burst = 4,
			 .gap_ps = WIRE_10G_PS, .seq0 = 40 };
	struct gen g2 = { .f = fmt_1080p5994(), .frames = 3, .lead = 4, .burst = 1, .seq0 = 9000 };
	struct capw_opts co = { .link = CAPW_ETH, .snaplen = SNAP };
	const char *argv[] = { NULL, NULL };
	struct flow fl2 = flow4;
	static uint8_t pl[1500];
	struct tpkt *a, *b;
	size_t na = gen_stream(&g, &a), nb = gen_stream(&g2, &b), i = 0, k = 0, m = 0;
	struct capw cw;
	char cap[512];
	struct jval *j = NULL;

	/* the same picture on two legs (ST 2022-7 style), the second one lossy */
	memcpy(fl2.dst4, "\xef\x02\x02\x02", 4);
	path_of(cap, sizeof(cap), "multi", ".pcap");
	if (!capw_open(&cw, cap, &co)) {
		while (i < na || k < nb) {
			if (k >= nb || (i < na && a[i].t_ns <= b[k].t_ns)) {
				capw_udp(&cw, a[i].t_ns, &flow4, pl, rtp_video_payload(pl, &a[i], false));
				i++;
				continue;
			}
			if (k % 1000 != 500) {
				capw_udp(&cw, b[k].t_ns, &fl2, pl, rtp_video_payload(pl, &b[k], false));
				b[m++] = b[k];
			}
			k++;
		}
		capw_close(&cw);
		argv[0] = cap;
		j = run_json("multi", argv);
	}
	if (j) {
		expect_str(j, "streams.0.dst", "239.1.1.1");
		expect_str(j, "streams.1.dst", "239.2.2.2");
		expect_num(j, "streams.0.video.sequence.lost_pkts", 0);
		expect_num(j, "streams.1.video.sequence.lost_pkts", (int64_t)(nb - m));
		expect_ref(j, &g.f, a, na);
		/* the second stream's figures, through the same paths shifted by one */
		{
			struct ref_result r;

			ref_run(&g2.f, b, m, &r);
			expect_num(j, "streams.1.video.strict.cinst_peak_pkts", (int64_t)r.cinst_strict);
			expect_num(j, "streams.1.video.strict.gapped.vrx_max_pkts", r.prs[0].vrx_max);
			expect_num(j, "streams.1.video.strict.gapped.vrx_min_pkts", r.prs[0].vrx_min);
			expect_num(j, "streams.1.video.list.gapped.vrx_max_pkts", r.list_vrx_max[0]);
			expect_num(j, "streams.1.video.sched_err_ns.p99", r.p99_ns);
		}
	}
	json_free(j);
	free(a);
	free(b);
	result("two interleaved streams, learned separately, one lossy");
}

static void test_mid_frame(void)
{
	struct gen g = { .f = fmt_1080p5994(), .frames = 3, .lead = 4, .burst = 1, .seq0 = 77 };
	const char *args[] = { "-c", "9000", "--video", "1080p59.94", NULL };
	struct tpkt *p;
	struct jval *j;
	size_t n = gen_stream(&g, &p);

	/* the capture starts 1000 packets into frame 0 and -c stops it in frame 2 */
	memmove(p, p + 1000, (n - 1000) * sizeof(*p));
	n -= 1000;
	j = analyze_edited("mid_frame", &g.f, p, 9000, args);
	if (j) {
		expect_num(j, "packets.total", 9000);
		expect_num(j, V "frames.total", 1);
		expect_num(j, V "frames.complete", 1);
		expect_num(j, V "sequence.lost_pkts", 0);
		expect_num(j, V "index_errors", 0);
	}
	json_free(j);
	free(p);
	(void)n;
	result("capture starting and stopping (-c) mid-frame: partial frames not counted");
}

static void test_unknown_rate(void)
{
	struct gen g = { .f = { .rate_num = 37, .rate_den = 1, .height = 1080,
				.npackets = 4320, .troffset_ns = -1 },
			 .frames = 4, .lead = 4, .burst = 1, .seq0 = 1 };
	struct wopts w = default_w();
	struct jval *j;
	const char *err;

	tfmt_init(&g.f);
	j = scenario("unknown_rate", &g, &w, NULL, NULL, NULL);
	if (j) {
		expect_str(j, "streams.0.kind", "video");
		expect_bool(j, V "timing", false);
		expect_num(j, V "npackets", 4320);
		expect_num(j, V "frames.complete", 4);
		err = json_str(j, V "timing_error");
		if (!err || !strstr(err, "frame rate not recognized"))
			mismatch("timing_error = %s", err ? err : "(none)");
	}
	json_free(j);
	result("unrecognized frame rate without --video: says why, no timing");
}

/* Random bytes flipped inside valid packets must never crash the analyzer. */
static void test_fuzz(void)
{
	struct gen g = { .f = fmt_1080p5994(), .frames = 2, .lead = 4, .burst = 1, .seq0 = 1 };
	struct capw_opts co = { .link = CAPW_ETH, .snaplen = 128 };
	static uint8_t frame[2000];
	struct tpkt *p;
	size_t n = gen_stream(&g, &p), i;
	int round, k;

	for (round = 0; round < 12; round++) {
		const char *argv[] = { "-j", NULL, NULL };
		struct capw cw;
		char cap[512];
		int st;

		path_of(cap, sizeof(cap), "fuzz", ".pcap");
		if (capw_open(&cw, cap, &co))
			break;
		for (i = 0; i < n; i++) {
			uint8_t pl[1220];
			struct capw tmp;
			uint32_t len = rtp_video_payload(pl, &p[i], false);

			/* build the frame, then damage 1..4 bytes of the first 90 */
			(void)tmp;
			memset(frame, 0, 14);
			memcpy(frame + 12, "\x08\x00", 2);
			frame[14] = 0x45;
			frame[16] = (uint8_t)((28 + len) >> 8);
			frame[17] = (uint8_t)(28 + len);
			frame[23] = 17;
			memcpy(frame + 30, "\xef\x01\x01\x01", 4);
			frame[34] = 0x0f;
			frame[35] = 0xa0;
			frame[36] = 0x13;
			frame[37] = 0x8c;
			frame[38] = (uint8_t)((8 + len) >> 8);
			frame[39] = (uint8_t)(8 + len);
			memcpy(frame + 42, pl, len);
			if (rng() % 3 == 0)
				for (k = 0; k < 1 + (int)(rng() % 4); k++)
					frame[rng() % 90] = (uint8_t)rng();
			capw_frame(&cw, p[i].t_ns, frame, 42 + len, 42 + len);
		}
		capw_close(&cw);
		argv[1] = cap;
		st = run("fuzz", argv);
		if (st != 0) {
			mismatch("round %d: exit status %d (capture kept in %s)", round, st, cap);
			break;
		}
	}
	free(p);
	result("fuzz: 12 captures with random byte damage, analyzer always exits 0");
}

/* ---------- live capture in a private network namespace ---------- */

static int send_rtp(int port, int count)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	uint8_t pkt[12 + 100] = { 0x80, 96 };
	int fd = socket(AF_INET, SOCK_DGRAM, 0), i;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0)
		return 1;
	for (i = 0; i < count; i++) {
		pkt[2] = (uint8_t)(i >> 8);
		pkt[3] = (uint8_t)i;
		pkt[7] = (uint8_t)(i * 48);
		pkt[11] = 7;
		if (sendto(fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
			return 1;
		usleep(1000);
	}
	close(fd);
	return 0;
}

/*
 * Smoke test of the benchmark (selftests/analyze/perf.sh, run.sh passes its
 * path): a tiny run must print the table with one "host" row per snap
 * length, the packet count it wrote and a throughput above zero.
 */
static void test_bench_smoke(void)
{
	const char *sh = getenv("ST2110_PERF_SH");
	char cmd[1200], out[512], *text, *line;
	unsigned int rows = 0;

	if (!sh) {
		ksft_test_result_skip("perf.sh smoke test: ST2110_PERF_SH not set (run.sh sets it)\n");
		return;
	}
	path_of(out, sizeof(out), "perf-smoke", ".out");
	snprintf(cmd, sizeof(cmd), "FRAMES=2 RUNS=1 O='%s/../..' '%s' > '%s' 2>&1", outdir, sh, out);
	if (system(cmd))
		mismatch("%s failed (see %s)", sh, out);
	text = slurp(out);
	for (line = text ? strtok(text, "\n") : NULL; line; line = strtok(NULL, "\n")) {
		unsigned int snap, pkts;
		double cpu, wall;
		char load[64];

		if (strncmp(line, "host ", 5))
			continue;
		if (sscanf(line, "host %63s %u %u %*u %lf %lf", load, &snap, &pkts, &wall,
			   &cpu) != 5 || pkts != 2 * 4320 || !(cpu > 0) || !(wall > 0) ||
		    (snap != 96 && snap != 1262))
			mismatch("bad row: %s", line);
		rows++;
	}
	if (rows != 2)
		mismatch("%u host rows, want 2 (see %s)", rows, out);
	free(text);
	result("perf.sh benchmark smoke run: table of mode, load, Mpps for snap 96 and 1262 B");
}

static void test_live(void)
{
	char cmd[2048], out[512], err[512];
	struct jval *j;
	char *text;
	int st;

	path_of(out, sizeof(out), "live", ".out");
	path_of(err, sizeof(err), "live", ".err");
	unlink(out);	/* a stale result must not pass for a new one */
	snprintf(cmd, sizeof(cmd),
		 "unshare -n sh -c 'ip link set lo up || exit 99; "
		 "\"%s\" -i lo -c 20 -d 10 -f \"udp port 5004\" -j > \"%s\" 2> \"%s\" & a=$!; "
		 "sleep 1; \"%s\" --send-rtp 5004 20; wait $a' 2>/dev/null",
		 analyzer, out, err, self_path);
	st = system(cmd);
	if (WIFEXITED(st) && (WEXITSTATUS(st) == 99 || WEXITSTATUS(st) == 1) && access(out, R_OK)) {
		ksft_test_result_skip("live capture: no network namespace (unshare -n)\n");
		ksft_test_result_skip("--hw on lo: no network namespace (unshare -n)\n");
		return;
	}
	text = slurp(out);
	j = text ? json_parse(text) : NULL;
	free(text);
	if (!j) {
		mismatch("live: no JSON (status %d, see %s)", st, err);
	} else {
		expect_bool(j, "input.live", true);
		expect_str(j, "input.timestamp_resolution", "ns");
		expect_num(j, "streams.0.packets", 20);
		expect_str(j, "streams.0.dst", "127.0.0.1");
	}
	json_free(j);
	result("live capture on loopback in a netns: -i lo -c 20");

	snprintf(cmd, sizeof(cmd), "unshare -n sh -c 'ip link set lo up; \"%s\" --hw -i lo -c 1' "
		 "> /dev/null 2> \"%s\"", analyzer, err);
	st = system(cmd);
	text = slurp(err);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 1 || !text ||
	    !strstr(text, "no adapter (hardware) timestamps"))
		mismatch("--hw on lo: status %d, stderr: %s", st, text ? text : "");
	free(text);
	result("--hw on an interface without adapter timestamps: clear message, exit 1");
}

/* A large capture for the throughput measurement (not a test). */
static int write_perf(const char *path, uint32_t frames, uint32_t snaplen, uint32_t height)
{
	struct gen g = { .f = { .rate_num = 60000, .rate_den = 1001, .height = height,
				.npackets = height * height / 270, .troffset_ns = -1 },
			 .frames = 1, .lead = 4, .burst = 1, .seq0 = 1 };
	struct wopts w = default_w();
	static uint8_t buf[1500];
	struct capw cw;
	struct tpkt *p;
	uint32_t fr;
	size_t n, i;

	tfmt_init(&g.f);
	w.c.snaplen = snaplen;
	if (capw_open(&cw, path, &w.c))
		return 1;
	for (fr = 0; fr < frames; fr++) {
		g.seq0 = 1 + fr * g.f.npackets;
		n = gen_stream(&g, &p);
		for (i = 0; i < n; i++) {
			p[i].frame += fr;
			p[i].ts = rtp_ts(&g.f, p[i].frame, 0);
			p[i].t_ns += (uint64_t)(fr * g.f.tframe / g.f.D);
			capw_udp(&cw, p[i].t_ns, &flow4, buf, rtp_video_payload(buf, &p[i], false));
		}
		free(p);
	}
	return capw_close(&cw) ? 1 : 0;
}

int main(int argc, char **argv)
{
	static const struct row23 r_ideal = { 1, 0, 0, 0, 0, 0, 0 };
	static const struct row23 r_lead4 = { 1, 0, 1, 4, 4, 4, -14830 };
	static const struct row23 r_lead8 = { 1, 0, 1, 8, 8, 8, -29660 };
	static const struct row23 r_l4b4 = { 4, 3, 1, 7, 4, 7, -14830 };
	static const struct row23 r_l4b8 = { 6, 5, 1, 10, 4, 10, -14830 };
	static const struct row23 r_l0b8 = { 6, 5, 0, 6, 0, 6, 0 };
	static const struct row23 r_linear = { 1, 0, -172, 0, -179, 0, 667180 };
	const char *env;

	if (argc == 4 && !strcmp(argv[1], "--send-rtp"))
		return send_rtp(atoi(argv[2]), atoi(argv[3]));
	if (argc >= 4 && argc <= 6 && !strcmp(argv[1], "--write-perf"))
		return write_perf(argv[2], (uint32_t)atoi(argv[3]),
				  argc >= 5 ? (uint32_t)atoi(argv[4]) : SNAP,
				  argc >= 6 ? (uint32_t)atoi(argv[5]) : 2160);
	self_path = argv[0];
	if (argc > 1)
		analyzer = argv[1];
	if (argc > 2)
		outdir = argv[2];
	env = getenv("ST2110_SHARED_DATA");
	if (env)
		shared = env;

	ksft_print_header();
	ksft_set_plan(NTESTS);
	if (access(analyzer, X_OK)) {
		printf("# %s: %s\n", analyzer, strerror(errno));
		ksft_exit_fail_msg("analyzer binary missing: build it first\n");
	}
	mkdir(outdir, 0755);

	test_limits();
	test_table_row("t23_ideal", 0, 1, false, &r_ideal, "N");
	test_table_row("t23_lead4", 4, 1, false, &r_lead4, "N");
	test_table_row("t23_lead8", 8, 1, false, &r_lead8, "N");
	test_table_row("t23_lead4_burst4", 4, 4, false, &r_l4b4, "N");
	/* 10 > VRXFULL_N 9 and CINST 6 > CMAX_NL 5: only Type W is met */
	test_table_row("t23_lead4_burst8", 4, 8, false, &r_l4b8, "W");
	test_table_row("t23_lead0_burst8", 0, 8, false, &r_l0b8, "N");
	/* late against the gapped PRS (+667 µs), on time for the linear one */
	test_table_row("t23_linear", 0, 1, true, &r_linear, "NL");
	test_interlaced_table();
	test_jitter();
	test_late();
	test_loss();
	test_reorder();
	test_duplicates();
	test_esn_zero();
	test_encaps();
	test_filter_and_readers();
	test_bench_smoke();
	test_truncated_file();
	test_garbage();
	test_non_rtp();
	test_learned();
	test_shared_sdp();
	test_troff();
	test_576i();
	test_2160p();
	test_psf();
	test_audio();
	test_sdp_files();
	test_bad_input();
	test_text();
	test_multi();
	test_mid_frame();
	test_unknown_rate();
	test_fuzz();
	test_live();
	ksft_finished();
}
