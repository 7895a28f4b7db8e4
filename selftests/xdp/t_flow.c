// SPDX-License-Identifier: GPL-2.0
/*
 * Flow measurement exactness through BPF_PROG_TEST_RUN: sequences with a
 * known amount of loss, reordering, duplication, 16-bit wraps, jumps and
 * SSRC changes go in; the flow counters must equal what was injected. The
 * program is loaded with ST2110_XDP_TS_META so that arrival times are the
 * test's, which makes the RFC 3550 jitter exactly predictable.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>

#include "xdp_test.h"

#define GROUP		"239.2.0.1"
#define WINDOW		ST2110_XDP_SEQ_WINDOW
#define SEQ_MOD		0x10000ULL

static struct st2110_xdp *fx;
static unsigned int src_no;

struct flow_ctx {
	char src[32];
	struct pkt_spec spec;
	__u64 now_ns;
	int prog_fd;
};

static void flow_ctx_init(struct flow_ctx *fc)
{
	memset(fc, 0, sizeof(*fc));
	/* One source per scenario: each gets a flow of its own. */
	snprintf(fc->src, sizeof(fc->src), "10.2.%u.%u", src_no / 200, 1 + src_no % 200);
	src_no++;
	fc->spec.src = fc->src;
	fc->spec.dst = GROUP;
	fc->spec.payload_len = 64;
	fc->spec.ssrc = 0x2110beef;
	fc->now_ns = 1700000000ULL * 1000000000ULL;
	fc->prog_fd = st2110_xdp_prog_fd(fx);
}

/* Inject one RTP packet with sequence seq at time now_ns. */
static int inject(struct flow_ctx *fc, __u16 seq)
{
	__u8 frame[PKT_MAX];
	struct xdp_run res;
	size_t len;
	int err;

	fc->spec.seq = seq;
	len = pkt_build(&fc->spec, frame, sizeof(frame));
	err = xdp_test_run(fc->prog_fd, frame, len, &fc->now_ns, &res);
	if (!err && res.action != XDP_DROP)
		err = -EPROTO;
	return err;
}

static int flow_read(struct flow_ctx *fc, struct st2110_xdp_flow *f)
{
	struct st2110_xdp_key k;
	int err = st2110_xdp_key_make(&k, GROUP, 5004, fc->src);

	return err ? err : st2110_xdp_flow_get(fx, &k, f);
}

struct want {
	__u64 rtp_packets, expected, lost, reordered, duplicates, stale, resyncs;
};

static bool flow_is(const char *name, const struct st2110_xdp_flow *f, const struct want *w)
{
	bool ok = f->rtp_packets == w->rtp_packets && f->expected == w->expected &&
		  f->lost == w->lost && f->reordered == w->reordered &&
		  f->duplicates == w->duplicates && f->stale == w->stale &&
		  f->resyncs == w->resyncs;

	if (!ok)
		tap_msg("%s: got rtp %llu exp %llu lost %llu reord %llu dup %llu stale %llu resync %llu; "
			       "want %llu %llu %llu %llu %llu %llu %llu\n", name,
			       (unsigned long long)f->rtp_packets, (unsigned long long)f->expected,
			       (unsigned long long)f->lost, (unsigned long long)f->reordered,
			       (unsigned long long)f->duplicates, (unsigned long long)f->stale,
			       (unsigned long long)f->resyncs,
			       (unsigned long long)w->rtp_packets, (unsigned long long)w->expected,
			       (unsigned long long)w->lost, (unsigned long long)w->reordered,
			       (unsigned long long)w->duplicates, (unsigned long long)w->stale,
			       (unsigned long long)w->resyncs);
	return ok;
}

/* Inject a list of 16-bit sequence numbers, 1 ms apart. */
static int inject_list(struct flow_ctx *fc, const __u16 *seq, size_t n)
{
	size_t i;
	int err;

	for (i = 0; i < n; i++) {
		fc->now_ns += 1000000;
		err = inject(fc, seq[i]);
		if (err)
			return err;
	}
	return 0;
}

static __u16 *seq_range(__u16 *out, size_t *n, __u32 from, __u32 count)
{
	__u32 i;

	for (i = 0; i < count; i++)
		out[(*n)++] = (__u16)(from + i);
	return out;
}

/* Run seq[], compare with w, print one TAP line. */
static void scenario(const char *name, const __u16 *seq, size_t n, const struct want *w,
		     __u64 want_ext_span)
{
	struct st2110_xdp_flow f = {};
	struct flow_ctx fc;
	int err;

	flow_ctx_init(&fc);
	err = inject_list(&fc, seq, n);
	if (!err)
		err = flow_read(&fc, &f);
	if (err) {
		tap_fail("%s: %s\n", name, strerror(-err));
		return;
	}
	tap_result(flow_is(name, &f, w) && f.packets == n &&
			 (!want_ext_span || f.ext_seq_max - f.ext_seq_first + 1 == want_ext_span),
			 "flow: %s\n", name);
}

static __u16 seqbuf[70000];

static void t_in_order(void)
{
	struct want w = { .rtp_packets = 1000, .expected = 1000 };
	size_t n = 0;

	seq_range(seqbuf, &n, 100, 1000);
	scenario("1000 in order", seqbuf, n, &w, 1000);
}

static void t_loss(void)
{
	struct want w = { .rtp_packets = 993, .expected = 1000, .lost = 7 };
	size_t n = 0;

	seq_range(seqbuf, &n, 100, 400);	/* 100..499 */
	seq_range(seqbuf, &n, 507, 593);	/* 507..1099: 500..506 lost */
	scenario("loss of 7 in a row", seqbuf, n, &w, 1000);
}

static void t_loss_scattered(void)
{
	struct want w = { .rtp_packets = 990, .expected = 1000, .lost = 10 };
	size_t n = 0, i;

	for (i = 0; i < 1000; i++)
		if (i == 0 || i == 999 || i % 97)
			seqbuf[n++] = (__u16)(3000 + i);
	/* i % 97 == 0 for i = 97..970: 10 numbers, the first and last kept */
	scenario("10 single losses", seqbuf, n, &w, 1000);
}

static void t_reorder(void)
{
	struct want w = { .rtp_packets = 500, .expected = 500, .reordered = 3 };
	size_t n = 0, i;
	__u16 t;

	seq_range(seqbuf, &n, 20000, 500);
	for (i = 100; i <= 300; i += 100) {	/* swap three neighbour pairs */
		t = seqbuf[i];
		seqbuf[i] = seqbuf[i + 1];
		seqbuf[i + 1] = t;
	}
	scenario("3 swapped pairs", seqbuf, n, &w, 500);
}

static void t_reorder_far(void)
{
	struct want w = { .rtp_packets = 600, .expected = 600, .reordered = 1 };
	size_t n = 0, i;

	/* 40250 arrives after 40505: 255 late, the edge of the window */
	for (i = 0; i < 600; i++) {
		if (i != 250)
			seqbuf[n++] = (__u16)(40000 + i);
		if (i == 505)
			seqbuf[n++] = 40250;
	}
	scenario("one packet 255 late (edge of the window)", seqbuf, n, &w, 600);
}

static void t_duplicates(void)
{
	struct want w = { .rtp_packets = 504, .expected = 500, .duplicates = 4 };
	size_t n = 0;

	seq_range(seqbuf, &n, 9000, 100);
	seqbuf[n++] = 9099;			/* duplicate of the newest */
	seq_range(seqbuf, &n, 9100, 100);
	seqbuf[n++] = 9150;			/* late duplicate */
	seqbuf[n++] = 9150;			/* and again */
	seq_range(seqbuf, &n, 9200, 300);
	seqbuf[n++] = 9000 + 499 - 200;		/* one 200 old */
	scenario("4 duplicates", seqbuf, n, &w, 500);
}

static void t_wrap(void)
{
	struct want w = { .rtp_packets = 2000, .expected = 2000 };
	struct st2110_xdp_flow f = {};
	struct flow_ctx fc;
	size_t n = 0;
	int err;

	seq_range(seqbuf, &n, 65000, 2000);	/* 65000..65535, 0..1463 */
	flow_ctx_init(&fc);
	err = inject_list(&fc, seqbuf, n);
	if (!err)
		err = flow_read(&fc, &f);
	tap_result(!err && flow_is("wrap", &f, &w) &&
			 f.ext_seq_first == SEQ_MOD + 65000 &&
			 f.ext_seq_max == 2 * SEQ_MOD + 1463,
			 "flow: 16-bit wrap extends the sequence (ext %#llx..%#llx)\n",
			 (unsigned long long)f.ext_seq_first, (unsigned long long)f.ext_seq_max);
}

static void t_wrap_loss_reorder(void)
{
	struct want w = { .rtp_packets = 197, .expected = 200, .lost = 3, .reordered = 1 };
	size_t n = 0, i;

	/* 65436..65535 then 0..99, losing 65534, 0, 1 and sending 65535 after 2 */
	for (i = 0; i < 200; i++) {
		__u16 s = (__u16)(65436 + i);

		if (s == 65534 || s == 0 || s == 1 || s == 65535)
			continue;
		seqbuf[n++] = s;
		if (s == 2)
			seqbuf[n++] = 65535;
	}
	scenario("loss and reorder across the wrap", seqbuf, n, &w, 200);
}

static void t_stale(void)
{
	struct want w = { .rtp_packets = 600, .expected = 600, .lost = 1, .stale = 1 };
	size_t n = 0, i;

	for (i = 0; i < 600; i++)
		if (i != 100)
			seqbuf[n++] = (__u16)(500 + i);
	seqbuf[n++] = 600;			/* 499 late: beyond the window */
	scenario("a packet later than the window is stale", seqbuf, n, &w, 600);
}

/* 256 late is one too many; and a stale packet must not move the jitter. */
static void t_window_edge(void)
{
	struct want w = { .rtp_packets = 600, .expected = 600, .lost = 1, .stale = 1 };
	struct st2110_xdp_flow f = {};
	struct flow_ctx fc;
	int err = 0, i;

	flow_ctx_init(&fc);
	for (i = 0; i < 600 && !err; i++) {
		fc.now_ns += 1000000;		/* constant transit: jitter 0 */
		if (i == 250)
			continue;
		fc.spec.ts = i * 90;
		err = inject(&fc, (__u16)(30000 + i));
		if (!err && i == 506) {
			fc.spec.ts = 0x12345678;	/* and a timestamp far off */
			err = inject(&fc, 30250);
		}
	}
	if (!err)
		err = flow_read(&fc, &f);
	tap_result(!err && flow_is("edge", &f, &w) && f.jitter_q4_ns == 0,
		   "flow: a packet 256 late is stale and leaves the jitter alone (%llu)\n",
		   (unsigned long long)f.jitter_q4_ns);
}

static void t_resync(void)
{
	struct want w = { .rtp_packets = 150, .expected = 150, .resyncs = 1 };
	struct st2110_xdp_flow f = {};
	struct flow_ctx fc;
	size_t n = 0;
	int err;

	seq_range(seqbuf, &n, 1000, 100);
	seq_range(seqbuf, &n, 41000, 50);	/* the sender jumps */
	flow_ctx_init(&fc);
	err = inject_list(&fc, seqbuf, n);
	if (!err)
		err = flow_read(&fc, &f);
	tap_result(!err && flow_is("resync", &f, &w) &&
			 f.ext_seq_max == 2 * SEQ_MOD + 41049,
			 "flow: a sequence jump resyncs after two packets\n");
}

static void t_ssrc_change(void)
{
	struct want w = { .rtp_packets = 200, .expected = 200 };
	struct st2110_xdp_flow f = {};
	struct flow_ctx fc;
	size_t n = 0;
	int err;

	flow_ctx_init(&fc);
	seq_range(seqbuf, &n, 5000, 100);
	err = inject_list(&fc, seqbuf, n);
	n = 0;
	seq_range(seqbuf, &n, 7, 100);
	fc.spec.ssrc = 0x22222222;
	if (!err)
		err = inject_list(&fc, seqbuf, n);
	if (!err)
		err = flow_read(&fc, &f);
	tap_result(!err && flow_is("ssrc", &f, &w) && f.ssrc_changes == 1 &&
			 f.ssrc == 0x22222222,
			 "flow: a new SSRC restarts tracking without loss\n");
}

static void t_version_markers(void)
{
	struct want w = { .rtp_packets = 300, .expected = 300 };
	struct st2110_xdp_flow f = {};
	struct flow_ctx fc;
	int err = 0;
	__u32 i;

	flow_ctx_init(&fc);
	for (i = 0; i < 300 && !err; i++) {
		fc.now_ns += 1000000;
		fc.spec.marker = i % 10 == 9;
		err = inject(&fc, (__u16)(i + 60000));
		if (!err && i % 60 == 0) {	/* 5 bogus ones between */
			fc.spec.rtp_version_set = true;
			fc.spec.rtp_version = 1;
			err = inject(&fc, 12345);
			fc.spec.rtp_version_set = false;
		}
	}
	if (!err)
		err = flow_read(&fc, &f);
	tap_result(!err && flow_is("version", &f, &w) && f.rtp_bad_version == 5 &&
			 f.packets == 305 && f.rtp_markers == 30,
			 "flow: RTP version check and marker count\n");
}

/* Independent reference of the mixed test: true extended numbers in. */
struct ref {
	__u64 first, max, expected, lost, reordered, duplicates, stale;
	unsigned char *got;	/* indexed by ext - first */
};

static void ref_packet(struct ref *r, __u64 e)
{
	if (!r->expected) {
		r->first = r->max = e;
		r->expected = 1;
		r->got[0] = 1;
		return;
	}
	if (e > r->max) {
		r->lost += e - r->max - 1;
		r->expected += e - r->max;
		r->max = e;
		r->got[e - r->first] = 1;
	} else if (e == r->max) {
		r->duplicates++;
	} else if (e < r->first || r->max - e >= WINDOW) {
		r->stale++;
	} else if (r->got[e - r->first]) {
		r->duplicates++;
	} else {
		r->got[e - r->first] = 1;
		r->reordered++;
		r->lost--;
	}
}

static void t_mixed_random(void)
{
	const size_t total = 20000;
	struct st2110_xdp_flow f = {};
	struct ref r = {};
	struct flow_ctx fc;
	__u64 *ext, e;
	size_t n = 0, i, j;
	int err = 0;

	ext = calloc(total * 2, sizeof(*ext));
	r.got = calloc(total + 16, 1);
	if (!ext || !r.got) {
		tap_fail("flow: mixed: no memory\n");
		goto out;
	}
	srandom(2110);
	/* 1% loss, 1% duplicates; starting near the wrap so it crosses it */
	for (e = 60000; e < 60000 + total; e++) {
		long x = random() % 1000;

		if (x < 10)
			continue;
		ext[n++] = e;
		if (x < 20)
			ext[n++] = e;
	}
	/* 2% displaced by up to 40 places */
	for (i = 0; i + 41 < n; i++) {
		if (random() % 100 < 2) {
			__u64 t = ext[i];

			j = i + 1 + random() % 40;
			memmove(ext + i, ext + i + 1, (j - i) * sizeof(*ext));
			ext[j] = t;
		}
	}
	for (i = 0; i < n; i++)
		ref_packet(&r, ext[i]);

	flow_ctx_init(&fc);
	for (i = 0; i < n && !err; i++) {
		fc.now_ns += 1000000;
		err = inject(&fc, (__u16)ext[i]);
	}
	if (!err)
		err = flow_read(&fc, &f);
	{
		struct want w = { .rtp_packets = n, .expected = r.expected, .lost = r.lost,
				  .reordered = r.reordered, .duplicates = r.duplicates,
				  .stale = r.stale };

		tap_result(!err && flow_is("mixed", &f, &w),
				 "flow: %zu packets, random loss/dup/reorder across a wrap (lost %llu reord %llu dup %llu)\n",
				 n, (unsigned long long)r.lost, (unsigned long long)r.reordered,
				 (unsigned long long)r.duplicates);
	}
out:
	free(ext);
	free(r.got);
}

/* RFC 3550 A.8 in ns, written out independently of the BPF code. */
static __u64 ref_jitter(__u64 j, __s64 darr_ns, __s32 dts, __u32 rate)
{
	__s64 d = darr_ns - (__s64)dts * 1000000000LL / rate;

	if (d < 0)
		d = -d;
	if (d > (1LL << 32))
		d = 1LL << 32;
	return j + d - ((j + 8) >> 4);
}

static void t_jitter(void)
{
	struct st2110_xdp_flow f = {};
	struct flow_ctx fc;
	__u64 t0, t, last_t = 0, j = 0;
	__u32 ts, last_ts = 0;
	int err = 0, i;

	/* 1: transit constant to the ns -> jitter exactly 0 */
	flow_ctx_init(&fc);
	for (i = 0; i < 500 && !err; i++) {
		fc.now_ns += 1000000;		/* 1 ms = 90 ticks */
		fc.spec.ts += 90;
		err = inject(&fc, (__u16)i);
	}
	if (!err)
		err = flow_read(&fc, &f);
	tap_result(!err && f.jitter_q4_ns == 0 && f.rtp_clock_hz == 90000,
			 "flow: constant transit gives zero jitter (%llu)\n",
			 (unsigned long long)f.jitter_q4_ns);

	/*
	 * 2: 59.94 Hz frames (1501/1502 ticks alternately), arrival spread by
	 * up to +-20 us, a 5 s stall (clamped) and an RTP timestamp going back
	 */
	flow_ctx_init(&fc);
	srandom(59940);
	t0 = fc.now_ns;
	ts = 0x80000000u - 1501 * 100;
	for (i = 0; i < 2000 && !err; i++) {
		__u64 nominal = t0 + (__u64)i * 1001000000ULL / 60;
		__s64 spread = (random() % 40001) - 20000;

		ts += i % 2 ? 1502 : 1501;
		if (i == 1000)
			ts -= 3003 * 3;		/* timestamp steps back */
		t = nominal + spread + (i >= 1500 ? 5000000000ULL : 0);
		fc.now_ns = t;
		fc.spec.ts = ts;
		err = inject(&fc, (__u16)i);
		if (i)
			j = ref_jitter(j, (__s64)(t - last_t), (__s32)(ts - last_ts), 90000);
		last_t = t;
		last_ts = ts;
	}
	if (!err)
		err = flow_read(&fc, &f);
	tap_result(!err && f.jitter_q4_ns == j && j,
			 "flow: RFC 3550 jitter equals the reference (%llu/16 ns, want %llu/16)\n",
			 (unsigned long long)f.jitter_q4_ns, (unsigned long long)j);
}

static int pin_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -errno : 0;
}

static void t_cpu_alternate(int ncpu)
{
	struct want w = { .rtp_packets = 2000, .expected = 2000 };
	struct st2110_xdp_flow f = {};
	struct flow_ctx fc;
	cpu_set_t saved;
	int err = 0, i;

	if (ncpu < 2) {
		tap_skip("flow: one flow over two CPUs: one CPU only\n");
		return;
	}
	sched_getaffinity(0, sizeof(saved), &saved);
	flow_ctx_init(&fc);
	for (i = 0; i < 2000 && !err; i++) {
		err = pin_cpu(i % 2);
		fc.now_ns += 1000000;
		if (!err)
			err = inject(&fc, (__u16)i);
	}
	sched_setaffinity(0, sizeof(saved), &saved);
	if (!err)
		err = flow_read(&fc, &f);
	tap_result(!err && flow_is("cpu", &f, &w),
			 "flow: one flow alternating between CPU 0 and 1 has no false loss\n");
}

struct racer {
	struct flow_ctx *fc;
	int cpu;
	int first;
	int count;
	int err;
};

static void *racer_main(void *arg)
{
	struct racer *r = arg;
	struct flow_ctx fc = *r->fc;	/* own spec copy, same source */
	int i;

	r->err = pin_cpu(r->cpu);
	for (i = 0; i < r->count && !r->err; i++)
		r->err = inject(&fc, (__u16)(r->first + 2 * i));
	return NULL;
}

static void t_cpu_race(int ncpu)
{
	const int n = 20000;
	struct racer r[2];
	pthread_t th[2];
	struct st2110_xdp_flow f = {};
	struct flow_ctx fc;
	int k, err = 0;

	if (ncpu < 2) {
		tap_skip("flow: two CPUs at once: one CPU only\n");
		return;
	}
	flow_ctx_init(&fc);
	/* Start the flow so that both racers extend one session. */
	err = inject(&fc, 0);
	for (k = 0; k < 2 && !err; k++) {
		r[k] = (struct racer){ .fc = &fc, .cpu = k, .first = 1 + k, .count = n };
		if (pthread_create(&th[k], NULL, racer_main, &r[k]))
			err = -EAGAIN;
	}
	for (k = 0; k < 2; k++) {
		pthread_join(th[k], NULL);
		if (!err)
			err = r[k].err;
	}
	if (!err)
		err = flow_read(&fc, &f);
	tap_msg("race: reordered %llu stale %llu lost %llu\n",
		       (unsigned long long)f.reordered, (unsigned long long)f.stale,
		       (unsigned long long)f.lost);
	tap_result(!err && f.packets == 2ULL * n + 1 && f.rtp_packets == 2ULL * n + 1 &&
			 f.duplicates == 0 && f.resyncs == 0 &&
			 f.expected == f.rtp_packets - f.stale + f.lost &&
			 f.expected == f.ext_seq_max - f.ext_seq_first + 1,
			 "flow: two CPUs injecting one flow at once keep exact counts\n");
}

static void (*const simple_tests[])(void) = {
	t_in_order, t_loss, t_loss_scattered, t_reorder, t_reorder_far, t_duplicates,
	t_wrap, t_wrap_loss_reorder, t_stale, t_window_edge, t_resync, t_ssrc_change, t_version_markers,
	t_mixed_random,
};

#define NR_SIMPLE (sizeof(simple_tests) / sizeof(simple_tests[0]))
#define NR_FLOW_TESTS (NR_SIMPLE + 2 + 2)

unsigned int t_flow_count(void)
{
	return NR_FLOW_TESTS;
}

void t_flow_run(void)
{
	struct st2110_xdp_opts opts = { .ts_source = ST2110_XDP_TS_META };
	struct st2110_xdp_route route = { .action = ST2110_XDP_ACT_DROP,
					  .rtp_clock_hz = 90000 };
	int ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	struct st2110_xdp_key k;
	unsigned int i;
	int err;

	if (xdp_test_skip_reason) {
		for (i = 0; i < NR_FLOW_TESTS; i++)
			tap_skip("flow %u: %s\n", i, xdp_test_skip_reason);
		return;
	}
	err = st2110_xdp_load(&opts, &fx);
	if (!err)
		err = st2110_xdp_key_make(&k, GROUP, 5004, NULL);
	if (!err)
		err = st2110_xdp_route_add(fx, &k, &route);
	if (err) {
		tap_msg("flow setup: %s\n", st2110_xdp_errmsg());
		for (i = 0; i < NR_FLOW_TESTS; i++)
			tap_fail("flow %u: setup failed\n", i);
		st2110_xdp_close(fx);
		return;
	}
	for (i = 0; i < NR_SIMPLE; i++)
		simple_tests[i]();
	t_jitter();
	t_cpu_alternate(ncpu);
	t_cpu_race(ncpu);
	st2110_xdp_close(fx);
	fx = NULL;
}
