// SPDX-License-Identifier: GPL-2.0
/*
 * Staged ("at-frame") route changes, clean source switches and the
 * ST 2022-7 merge, through BPF_PROG_TEST_RUN with the test's clock.
 * The "output" here is XDP_PASS: what a route lets through; the live
 * tests (t_live.c) check the same on a receiver's socket.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>

#include "xdp_test.h"

#define ST_GROUP_A	"239.4.0.1"
#define ST_GROUP_B	"239.4.0.2"
#define ST_SRC_A	"10.4.0.1"
#define ST_SRC_B	"10.4.0.2"
#define ST_PORT		5004
#define ST_FRAME_PKTS	8

#define NR_STAGE_TESTS	11
#define NR_MERGE_TESTS	12

static struct st2110_xdp *sx;

unsigned int t_stage_count(void)
{
	return NR_STAGE_TESTS + NR_MERGE_TESTS;
}

/* One sender: its own group, source, SSRC and frame phase. */
struct st_src {
	const char *src, *group;
	struct pkt_spec spec;
	struct st2110_xdp_key key;
	__u32 n;			/* packets sent */
	__u32 phase;			/* packet index of the first frame start */
};

static void st_src_init(struct st_src *s, const char *src, const char *group, __u32 ssrc,
			__u32 phase)
{
	memset(s, 0, sizeof(*s));
	s->src = src;
	s->group = group;
	s->spec.src = src;
	s->spec.dst = group;
	s->spec.dport = ST_PORT;
	s->spec.ssrc = ssrc;
	s->spec.payload_len = 32;
	s->phase = phase;
	st2110_xdp_key_make(&s->key, group, ST_PORT, src);
}

static __u64 st_now = 1700000000ULL * 1000000000ULL;

/*
 * Send the next packet of s; the marker closes every ST_FRAME_PKTS-packet
 * frame (the first frame is short by phase). Returns the XDP action or < 0.
 */
static int st_send(struct st_src *s, bool *marker)
{
	__u8 frame[PKT_MAX];
	struct xdp_run res;
	size_t len;
	int err;

	s->spec.seq = (__u16)s->n;
	s->spec.marker = (s->n + s->phase) % ST_FRAME_PKTS == ST_FRAME_PKTS - 1;
	s->spec.ts = (s->n + s->phase) / ST_FRAME_PKTS * 1800;
	if (marker)
		*marker = s->spec.marker;
	s->n++;
	st_now += 10000;
	len = pkt_build(&s->spec, frame, sizeof(frame));
	err = xdp_test_run(st2110_xdp_prog_fd(sx), frame, len, &st_now, &res);
	return err ? err : (int)res.action;
}

static int st_route(const struct st_src *s, __u32 action)
{
	struct st2110_xdp_route r = { .action = action };

	st2110_xdp_route_del(sx, &s->key);
	return st2110_xdp_route_add(sx, &s->key, &r);
}

static int st_route_get(const struct st_src *s, struct st2110_xdp_route *r)
{
	return st2110_xdp_route_get(sx, &s->key, r);
}

static void stage_api_tests(void)
{
	struct st2110_xdp_route pass = { .action = ST2110_XDP_ACT_PASS }, bad = pass, r;
	struct st_src a, b, none;
	int e1, e2, e3;

	st_src_init(&a, ST_SRC_A, ST_GROUP_A, 0xa, 0);
	st_src_init(&b, ST_SRC_B, ST_GROUP_B, 0xb, 0);
	st_src_init(&none, "10.4.0.9", ST_GROUP_A, 0xc, 0);
	st_route(&a, ST2110_XDP_ACT_DROP);
	st_route(&b, ST2110_XDP_ACT_DROP);

	e1 = st2110_xdp_route_stage(sx, &none.key, &pass, 0);
	e2 = st2110_xdp_route_get(sx, &none.key, &r);
	tap_result(e1 == -ENOENT && e2 == -ENOENT,
		   "stage api: staging a missing route fails, creates nothing (%d)\n", e1);

	bad.action = 99;
	e1 = st2110_xdp_route_stage(sx, &a.key, &bad, 0);
	bad.action = ST2110_XDP_ACT_REDIRECT;
	bad.egress_set = 200;
	e2 = st2110_xdp_route_stage(sx, &a.key, &bad, 0);
	tap_result(e1 == -EINVAL && e2 == -ENOENT && !st_route_get(&a, &r) &&
		   r.stage_state == ST2110_XDP_STAGE_NONE && r.action == ST2110_XDP_ACT_DROP,
		   "stage api: unknown action and missing egress set refused, route unchanged (%d, %d)\n",
		   e1, e2);

	e1 = st2110_xdp_route_unstage(sx, &a.key);
	tap_result(e1 == -ENOENT, "stage api: unstage with nothing staged fails (%d)\n", e1);

	e1 = st2110_xdp_route_switch(sx, &a.key, &pass, &a.key, &pass, 0);
	e2 = st2110_xdp_route_switch(sx, &a.key, &pass, &none.key, &pass, 0);
	tap_result(e1 == -EINVAL && e2 == -ENOENT && !st_route_get(&a, &r) &&
		   r.stage_state == ST2110_XDP_STAGE_NONE,
		   "stage api: switch to itself or to a missing route refused, nothing staged (%d, %d)\n",
		   e1, e2);

	/* add/change ignore the data path's fields; change cancels a stage */
	r = pass;
	r.stage_state = ST2110_XDP_STAGE_MARKER;
	r.switches_clean = 5;
	st2110_xdp_route_del(sx, &a.key);
	e1 = st2110_xdp_route_add(sx, &a.key, &r);
	e2 = st2110_xdp_route_stage(sx, &a.key, &pass, 0);
	e3 = st2110_xdp_route_change(sx, &a.key, &pass);
	tap_result(!e1 && !e2 && !e3 && !st_route_get(&a, &r) &&
		   r.stage_state == ST2110_XDP_STAGE_NONE && r.switches_clean == 0,
		   "stage api: add ignores stage fields and counters, change cancels a stage\n");
}

/* A staged change applies on the first packet after the next marker. */
static void stage_at_frame_test(void)
{
	struct st2110_xdp_route pass = { .action = ST2110_XDP_ACT_PASS }, r;
	struct st2110_xdp_counters c0, c1;
	struct st_src a;
	unsigned int i, bad = 0;
	bool m;
	int act, want;

	st_src_init(&a, "10.4.1.1", ST_GROUP_A, 0x1a, 0);
	st_route(&a, ST2110_XDP_ACT_DROP);
	st2110_xdp_counters(sx, &c0);
	for (i = 0; i < 3; i++)
		bad += st_send(&a, &m) != XDP_DROP;
	bad += !!st2110_xdp_route_stage(sx, &a.key, &pass, 0);
	/* rest of frame 0 (marker included) still dropped, frame 1 passes */
	for (i = 3; i < 2 * ST_FRAME_PKTS; i++) {
		act = st_send(&a, &m);
		want = i < ST_FRAME_PKTS ? XDP_DROP : XDP_PASS;
		if (act != want) {
			tap_msg("stage: packet %u: action %d, want %d\n", i, act, want);
			bad++;
		}
	}
	st2110_xdp_counters(sx, &c1);
	tap_result(!bad && !st_route_get(&a, &r) && r.stage_state == ST2110_XDP_STAGE_NONE &&
		   r.action == ST2110_XDP_ACT_PASS && r.switches_clean == 1 &&
		   r.switches_forced == 0 && c1.switches_clean - c0.switches_clean == 1,
		   "stage: change applied from the first packet after the marker, 1 clean switch\n");
}

/* Without a frame boundary the timeout forces the change. */
static void stage_timeout_test(void)
{
	struct st2110_xdp_route pass = { .action = ST2110_XDP_ACT_PASS }, r;
	struct st_src a;
	unsigned int i, first_pass = 0;
	int act;

	st_src_init(&a, "10.4.1.2", ST_GROUP_A, 0x1b, 0);
	a.phase = 1;	/* never ST_FRAME_PKTS-1 below: see the loop */
	st_route(&a, ST2110_XDP_ACT_DROP);
	/* 10 us per packet: 50 us after the first one = the 6th */
	st2110_xdp_route_stage(sx, &a.key, &pass, 50000);
	for (i = 0; i < 6; i++) {
		act = st_send(&a, NULL);
		if (act == XDP_PASS && !first_pass)
			first_pass = i + 1;
	}
	tap_result(first_pass == 6 && !st_route_get(&a, &r) && r.switches_forced == 1 &&
		   r.switches_clean == 0 && r.action == ST2110_XDP_ACT_PASS,
		   "stage: no marker within the timeout: forced on the packet at +timeout (packet %u)\n",
		   first_pass);

	/* unstage: nothing happens at the boundary */
	st_route(&a, ST2110_XDP_ACT_DROP);
	st2110_xdp_route_stage(sx, &a.key, &pass, 0);
	i = st2110_xdp_route_unstage(sx, &a.key);
	for (first_pass = 0; a.n < 3 * ST_FRAME_PKTS;)
		first_pass += st_send(&a, NULL) == XDP_PASS;
	tap_result(!i && !first_pass && !st_route_get(&a, &r) && r.action == ST2110_XDP_ACT_DROP,
		   "stage: an unstaged change never applies\n");
}

/* What the output (XDP_PASS) got, in order. */
struct st_out {
	char src;			/* 'A' or 'B' */
	__u32 n;			/* the sender's packet number */
	bool marker;
};

/*
 * Clean switch of the output from A to B while both send frames, B's
 * boundaries `offset` packets after A's. Every frame on the output (runs
 * between markers) must come from one source and be complete, and no A
 * packet may follow the first B packet.
 */
static void stage_switch_test(unsigned int offset)
{
	struct st2110_xdp_route pass = { .action = ST2110_XDP_ACT_PASS },
				drop = { .action = ST2110_XDP_ACT_DROP }, ra, rb;
	static struct st_out out[256];
	unsigned int nout = 0, i, run = 0, frames = 0, bad = 0;
	struct st_src a, b;
	char run_src = 0;
	bool m, seen_b = false;
	int act, err;

	st_src_init(&a, "10.4.2.1", ST_GROUP_A, 0x2a, 0);
	st_src_init(&b, "10.4.2.2", ST_GROUP_B, 0x2b, ST_FRAME_PKTS - offset);
	st_route(&a, ST2110_XDP_ACT_PASS);
	st_route(&b, ST2110_XDP_ACT_DROP);
	err = 0;
	for (i = 0; i < 64 && nout < 250; i++) {
		/* the switch is asked for in the middle of A's third frame */
		if (i == 2 * ST_FRAME_PKTS + 3)
			err = st2110_xdp_route_switch(sx, &a.key, &drop, &b.key, &pass, 0);
		act = st_send(&a, &m);
		if (act == XDP_PASS)
			out[nout++] = (struct st_out){ 'A', a.n - 1, m };
		act = st_send(&b, &m);
		if (act == XDP_PASS)
			out[nout++] = (struct st_out){ 'B', b.n - 1, m };
	}
	for (i = 0; i < nout; i++) {
		if (out[i].src == 'B')
			seen_b = true;
		else if (seen_b)
			bad++;		/* A after B */
		if (!run)
			run_src = out[i].src;
		else if (out[i].src != run_src)
			bad++;		/* a frame mixing sources */
		run++;
		if (out[i].marker) {
			/* A's first frame starts at packet 0: complete too */
			if (run != ST_FRAME_PKTS)
				bad++;
			frames++;
			run = 0;
		}
	}
	st_route_get(&a, &ra);
	st_route_get(&b, &rb);
	tap_result(!err && !bad && seen_b && frames >= 6 && ra.switches_clean == 1 &&
		   rb.switches_clean == 1 && ra.action == ST2110_XDP_ACT_DROP &&
		   rb.action == ST2110_XDP_ACT_PASS,
		   "switch A->B, B's frames %u packets %s A's: %u complete frames out, none mixed, %u violations\n",
		   offset < ST_FRAME_PKTS / 2 ? offset : ST_FRAME_PKTS - offset,
		   offset < ST_FRAME_PKTS / 2 ? "after" : "before", frames, bad);
}

static int mg_route(const char *src, const char *group, __u32 merge, __u32 leg,
		    struct st2110_xdp_key *k)
{
	struct st2110_xdp_route r = { .action = ST2110_XDP_ACT_PASS, .merge = merge,
				      .merge_leg = leg };
	int err = st2110_xdp_key_make(k, group, ST_PORT, src);

	st2110_xdp_route_del(sx, k);
	return err ?: st2110_xdp_route_add(sx, k, &r);
}

static void merge_api_tests(void)
{
	struct st2110_xdp_route r = { .action = ST2110_XDP_ACT_PASS, .merge = 5 };
	struct st2110_xdp_merge m;
	struct st2110_xdp_key k;
	int e1, e2, e3;

	e1 = st2110_xdp_merge_set(sx, 0, 0);
	e2 = st2110_xdp_merge_set(sx, ST2110_XDP_MAX_MERGES, 0);
	e3 = st2110_xdp_merge_set(sx, 5, 0x4);
	tap_result(e1 == -EINVAL && e2 == -EINVAL && e3 == -EINVAL &&
		   st2110_xdp_merge_get(sx, 5, &m) == -ENOENT,
		   "merge api: ids 0 and %u and unknown flags refused, nothing created\n",
		   ST2110_XDP_MAX_MERGES);

	st2110_xdp_key_make(&k, ST_GROUP_A, ST_PORT, "10.4.3.9");
	e1 = st2110_xdp_route_add(sx, &k, &r);
	st2110_xdp_merge_set(sx, 5, 0);
	r.merge_leg = 2;
	e2 = st2110_xdp_route_add(sx, &k, &r);
	r.merge = 0;
	r.merge_leg = 1;
	e3 = st2110_xdp_route_add(sx, &k, &r);
	tap_result(e1 == -ENOENT && e2 == -EINVAL && e3 == -EINVAL &&
		   st2110_xdp_route_get(sx, &k, &r) == -ENOENT,
		   "merge api: missing merge, leg 2, leg without merge refused (%d, %d, %d)\n",
		   e1, e2, e3);

	e1 = mg_route("10.4.3.9", ST_GROUP_A, 5, 1, &k);
	e2 = st2110_xdp_merge_del(sx, 5);
	st2110_xdp_route_del(sx, &k);
	e3 = st2110_xdp_merge_del(sx, 5);
	tap_result(!e1 && e2 == -EBUSY && !e3 && st2110_xdp_merge_get(sx, 5, &m) == -ENOENT &&
		   st2110_xdp_merge_del(sx, 5) == -ENOENT,
		   "merge api: a merge in use is kept, then deleted; deleting twice fails\n");
}

/* Loss pattern of a leg: i is the packet number. */
static bool mg_lost(unsigned int leg, unsigned int i)
{
	if (i % 13 == 6)
		return true;			/* lost on both legs (never the first) */
	return leg == 0 ? i % 7 == 3 : i % 11 == 5;
}

#define MG_N		3000
#define MG_SEQ0		64000		/* the 16-bit sequence wraps */

/*
 * Two legs of one stream, each with its own losses and leg 1 `skew`
 * packets behind leg 0: every number must come out exactly once unless
 * both legs lost it, and the counters must equal the injected losses.
 */
static void merge_loss_test(__u32 id, unsigned int skew, bool leg1_first, bool esn)
{
	static unsigned char fwd[MG_N];
	struct st2110_xdp_key k0, k1;
	struct st2110_xdp_merge m;
	struct pkt_spec sp[2] = {};
	unsigned long long want_both = 0, want_rec[2] = { 0, 0 }, want_lost = 0;
	unsigned long long outs = 0, twice = 0, bad_act = 0;
	unsigned int step, leg, i, order;
	__u8 frame[PKT_MAX];
	struct xdp_run res;
	size_t len;
	int err;

	err = st2110_xdp_merge_set(sx, id, esn ? ST2110_XDP_MERGE_F_ESN : 0);
	err = err ?: mg_route("10.4.4.1", ST_GROUP_A, id, 0, &k0);
	err = err ?: mg_route("10.4.4.2", ST_GROUP_B, id, 1, &k1);
	if (err) {
		tap_fail("merge: setup: %s\n", st2110_xdp_errmsg());
		tap_fail("merge: no result\n");
		return;
	}
	sp[0].src = "10.4.4.1";
	sp[0].dst = ST_GROUP_A;
	sp[1].src = "10.4.4.2";
	sp[1].dst = ST_GROUP_B;
	for (leg = 0; leg < 2; leg++) {
		sp[leg].dport = ST_PORT;
		sp[leg].ssrc = 0x2022;
		sp[leg].payload_len = 16;
	}
	memset(fwd, 0, sizeof(fwd));
	for (step = 0; step < MG_N + skew; step++) {
		for (order = 0; order < 2; order++) {
			leg = leg1_first ? 1 - order : order;
			i = leg == 0 ? step : step - skew;
			if ((leg == 0 && step >= MG_N) || (leg == 1 && step < skew))
				continue;
			if (mg_lost(leg, i))
				continue;
			sp[leg].seq = (__u16)(MG_SEQ0 + i);
			len = pkt_build(&sp[leg], frame, sizeof(frame));
			/* ST 2110-20 ESN, the high half of the 32-bit sequence */
			frame[14 + 20 + 8 + 12] = (MG_SEQ0 + i) >> 24;
			frame[14 + 20 + 8 + 13] = (MG_SEQ0 + i) >> 16;
			st_now += 1000;
			if (xdp_test_run(st2110_xdp_prog_fd(sx), frame, len, &st_now, &res)) {
				bad_act++;
				continue;
			}
			if (res.action == XDP_PASS) {
				outs++;
				twice += fwd[i]++ > 0;
			} else if (res.action != XDP_DROP) {
				bad_act++;
			}
		}
	}
	for (i = 0; i < MG_N; i++) {
		bool l0 = mg_lost(0, i), l1 = mg_lost(1, i);

		if (l0 && l1)
			want_lost++;
		else if (l0)
			want_rec[1]++;
		else if (l1)
			want_rec[0]++;
		else
			want_both++;
	}
	err = st2110_xdp_merge_get(sx, id, &m);
	tap_result(!err && !bad_act && !twice && outs == MG_N - want_lost && m.forwarded == outs,
		   "merge (skew %u, leg %u first%s): %llu of %u numbers out once each, %llu lost on both\n",
		   skew, leg1_first, esn ? ", ESN" : "", outs, MG_N, want_lost);
	tap_result(!err && m.recovered[0] == want_rec[0] && m.recovered[1] == want_rec[1] &&
		   m.lost_both == want_lost && m.both == want_both && m.duplicates == want_both &&
		   m.stale == 0,
		   "merge (skew %u): recovered from leg 0 %llu/%llu, leg 1 %llu/%llu, lost on both %llu/%llu, both %llu/%llu\n",
		   skew, (unsigned long long)m.recovered[0], want_rec[0],
		   (unsigned long long)m.recovered[1], want_rec[1],
		   (unsigned long long)m.lost_both, want_lost, (unsigned long long)m.both, want_both);
	st2110_xdp_route_del(sx, &k0);
	st2110_xdp_route_del(sx, &k1);
	st2110_xdp_merge_del(sx, id);
}

/* With ESN the same 16-bit sequence one wrap later is a new number. */
static void merge_esn_test(void)
{
	struct pkt_spec sp = { .src = "10.4.5.1", .dst = ST_GROUP_A, .dport = ST_PORT,
			       .payload_len = 16, .seq = 10 };
	struct st2110_xdp_merge m;
	struct st2110_xdp_key k;
	unsigned int esn_on, act[2];
	__u8 frame[PKT_MAX];
	struct xdp_run res;
	size_t len;
	bool ok = true;

	for (esn_on = 0; esn_on < 2; esn_on++) {
		st2110_xdp_merge_set(sx, 6, esn_on ? ST2110_XDP_MERGE_F_ESN : 0);
		mg_route(sp.src, ST_GROUP_A, 6, 0, &k);
		len = pkt_build(&sp, frame, sizeof(frame));
		for (unsigned int e = 0; e < 2; e++) {
			frame[14 + 20 + 8 + 13] = e;	/* ESN 0, then 1 */
			st_now += 1000;
			act[e] = xdp_test_run(st2110_xdp_prog_fd(sx), frame, len, &st_now, &res) ?
				 ~0U : res.action;
		}
		st2110_xdp_merge_get(sx, 6, &m);
		if (esn_on)
			ok &= act[0] == XDP_PASS && act[1] == XDP_PASS && m.forwarded == 2 &&
			      m.lost_both == 65535;
		else
			ok &= act[0] == XDP_PASS && act[1] == XDP_DROP && m.duplicates == 1;
		st2110_xdp_route_del(sx, &k);
		st2110_xdp_merge_del(sx, 6);
	}
	tap_result(ok, "merge: with ESN, sequence 10 one 16-bit wrap later is new; without, a copy\n");
}

void t_stage_run(void)
{
	struct st2110_xdp_opts opts = { .ts_source = ST2110_XDP_TS_META };
	unsigned int i;

	if (xdp_test_skip_reason || st2110_xdp_load(&opts, &sx)) {
		for (i = 0; i < t_stage_count(); i++)
			tap_skip("stage: %s\n", xdp_test_skip_reason ?: st2110_xdp_errmsg());
		return;
	}
	stage_api_tests();			/* 5 */
	stage_at_frame_test();			/* 1 */
	stage_timeout_test();			/* 2 */
	stage_switch_test(3);			/* 1 */
	stage_switch_test(ST_FRAME_PKTS - 3);	/* 1 */
	stage_switch_test(0);			/* 1 */
	merge_api_tests();			/* 3 */
	merge_loss_test(1, 0, false, false);	/* 2 */
	merge_loss_test(2, 40, false, false);	/* 2 */
	merge_loss_test(3, 300, true, false);	/* 2 */
	merge_loss_test(4, 100, false, true);	/* 2 */
	merge_esn_test();			/* 1 */
	st2110_xdp_close(sx);
	sx = NULL;
}
