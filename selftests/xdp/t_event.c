// SPDX-License-Identifier: GPL-2.0
/*
 * Live events (struct st2110_xdp_event, the "events" ring buffer) through
 * BPF_PROG_TEST_RUN with the test's clock: loss counts, the 100 ms hold-off,
 * route switches, a full ring, ST 2022-7 loss on both legs. The ring is read
 * with libbpf's ring_buffer, as "st2110 monitor flows" reads it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>

#include "xdp_test.h"

#define EV_GROUP	"239.5.0.1"
#define EV_PORT		5004
#define EV_MS		1000000ULL
#define EV_HOLDOFF	ST2110_XDP_EVENT_HOLDOFF_NS
/* records that fit the ring: each has an 8-byte header, 8-byte aligned */
#define EV_RING_RECORDS	(ST2110_XDP_EVENTS_BYTES / (sizeof(struct st2110_xdp_event) + 8))

#define NR_EVENT_TESTS	8

static struct st2110_xdp *ex;
static struct ev_log ev_log;
static __u64 ev_now = 1700000000ULL * 1000000000ULL;

unsigned int t_event_count(void)
{
	return NR_EVENT_TESTS;
}

struct ev_src {
	struct pkt_spec spec;
	struct st2110_xdp_key key;
	char src[32];
};

static void ev_src_init(struct ev_src *s, unsigned int no, const char *group)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->src, sizeof(s->src), "10.5.0.%u", no);
	s->spec.src = s->src;
	s->spec.dst = group;
	s->spec.dport = EV_PORT;
	s->spec.ssrc = 0x5000 + no;
	s->spec.payload_len = 32;
	st2110_xdp_key_make(&s->key, group, EV_PORT, s->src);
}

/* One packet with this sequence number and marker at time t; the action. */
static int ev_send(struct ev_src *s, __u16 seq, bool marker, __u64 t)
{
	__u8 frame[PKT_MAX];
	struct xdp_run res;
	size_t len;
	int err;

	s->spec.seq = seq;
	s->spec.marker = marker;
	s->spec.ts = seq * 10u;
	len = pkt_build(&s->spec, frame, sizeof(frame));
	err = xdp_test_run(st2110_xdp_prog_fd(ex), frame, len, &t, &res);
	return err ? err : (int)res.action;
}

static int ev_route(const struct st2110_xdp_key *key, __u32 action)
{
	struct st2110_xdp_route r = { .action = action, .rtp_clock_hz = 90000 };

	st2110_xdp_route_del(ex, key);
	return st2110_xdp_route_add(ex, key, &r);
}

/*
 * Loss: 1000 packets 1 ms apart, a gap of (i % 3) + 1 numbers before every
 * 7th packet up to 800 ms; the last 200 ms carry what was held off. The
 * counts add up to the numbers skipped, one record per 100 ms at most, the
 * first at once.
 */
static void ev_loss_test(void)
{
	struct st2110_xdp_flow f;
	struct ev_stats s;
	struct ev_src a;
	__u64 t0 = ev_now, first_gap_t = 0;
	unsigned int i, bad = 0, lost = 0;
	__u16 seq = 100;
	int err;

	ev_src_init(&a, 1, EV_GROUP);
	err = ev_route(&a.key, ST2110_XDP_ACT_DROP) ?: ev_drain(ex, &ev_log);
	for (i = 0; i < 1000 && !err; i++) {
		if (i && i % 7 == 0 && i < 800) {
			seq += i % 3 + 1;
			lost += i % 3 + 1;
			if (!first_gap_t)
				first_gap_t = t0 + i * EV_MS;
		}
		bad += ev_send(&a, seq++, false, t0 + i * EV_MS) != XDP_DROP;
	}
	ev_now = t0 + 1000 * EV_MS;
	err = err ?: ev_drain(ex, &ev_log) ?: st2110_xdp_flow_get(ex, &a.key, &f);
	ev_sum(&ev_log, ST2110_XDP_EVENT_LOSS, &a.key, &s);
	tap_msg("events: loss: %u lost, %u records, counts %llu, least %llu ns apart, flow lost %llu\n",
		lost, s.records, (unsigned long long)s.count,
		(unsigned long long)s.min_gap_ns, (unsigned long long)f.lost);
	tap_result(!err && !bad && s.count == lost && f.lost == lost && s.records >= 8 &&
		   s.records <= 10 && s.min_gap_ns >= EV_HOLDOFF && s.last.value == lost &&
		   f.ev[0].pending == 0,
		   "events: loss on a flow: counts add up to the %u lost, one record per 100 ms at most\n",
		   lost);
	tap_result(!err && ev_log.n && ev_log.e[0].type == ST2110_XDP_EVENT_LOSS &&
		   ev_log.e[0].time_ns == first_gap_t && ev_log.e[0].count == 2 &&
		   !ev_log.bad_len,
		   "events: the first loss is written at once (record at the gap's packet, count 2)\n");
}

/*
 * A gap held off is written by the first packet after the hold-off even
 * without new loss; until then it is pending in the flow.
 */
static void ev_holdoff_test(void)
{
	struct st2110_xdp_flow f1, f2;
	struct ev_stats s1, s2;
	struct ev_src a;
	__u64 t0 = ev_now;
	int err;

	ev_src_init(&a, 2, EV_GROUP);
	err = ev_route(&a.key, ST2110_XDP_ACT_DROP) ?: ev_drain(ex, &ev_log);
	ev_send(&a, 10, false, t0);
	ev_send(&a, 12, false, t0 + EV_MS);		/* written: count 1 */
	ev_send(&a, 15, false, t0 + 2 * EV_MS);		/* held off: 2 */
	ev_send(&a, 16, false, t0 + EV_HOLDOFF);	/* 99 ms after: still held */
	err = err ?: ev_drain(ex, &ev_log) ?: st2110_xdp_flow_get(ex, &a.key, &f1);
	ev_sum(&ev_log, ST2110_XDP_EVENT_LOSS, &a.key, &s1);
	ev_send(&a, 17, false, t0 + EV_MS + EV_HOLDOFF);	/* 100 ms: written */
	ev_now = t0 + 2 * EV_HOLDOFF;
	err = err ?: ev_drain(ex, &ev_log) ?: st2110_xdp_flow_get(ex, &a.key, &f2);
	ev_sum(&ev_log, ST2110_XDP_EVENT_LOSS, &a.key, &s2);
	tap_result(!err && s1.records == 1 && s1.count == 1 && f1.ev[0].pending == 2 &&
		   s2.records == 1 && s2.count == 2 && s2.last.value == 3 &&
		   s2.last.time_ns == t0 + EV_MS + EV_HOLDOFF && f2.ev[0].pending == 0,
		   "events: held-off loss pending (2), written by the packet at +100 ms without new loss\n");
}

/* A staged change: one SWITCHED record, clean, old and new action. */
static void ev_switch_test(void)
{
	struct st2110_xdp_route drop = { .action = ST2110_XDP_ACT_DROP };
	struct ev_stats s1, s2;
	struct ev_src a, b;
	__u64 t = ev_now;
	unsigned int i;
	int err;

	ev_src_init(&a, 3, EV_GROUP);
	ev_src_init(&b, 4, EV_GROUP);
	err = ev_route(&a.key, ST2110_XDP_ACT_PASS) ?: ev_route(&b.key, ST2110_XDP_ACT_PASS) ?:
	      ev_drain(ex, &ev_log) ?: st2110_xdp_route_stage(ex, &a.key, &drop, 0) ?:
	      st2110_xdp_route_stage(ex, &b.key, &drop, 5 * EV_MS);
	/* a: marker on packet 4, applied on 5; b: no marker, forced at +5 ms */
	for (i = 0; i < 10; i++) {
		ev_send(&a, (__u16)(200 + i), i == 4, t + i * EV_MS);
		ev_send(&b, (__u16)(300 + i), false, t + i * EV_MS);
	}
	ev_now = t + 10 * EV_MS;
	err = err ?: ev_drain(ex, &ev_log);
	ev_sum(&ev_log, ST2110_XDP_EVENT_SWITCHED, &a.key, &s1);
	ev_sum(&ev_log, ST2110_XDP_EVENT_SWITCHED, &b.key, &s2);
	tap_result(!err && s1.records == 1 && s1.count == 1 && s1.last.flags == 0 &&
		   s1.last.time_ns == t + 5 * EV_MS &&
		   s1.last.old_action == ST2110_XDP_ACT_PASS &&
		   s1.last.new_action == ST2110_XDP_ACT_DROP,
		   "events: staged change: one clean SWITCHED record on the packet after the marker, pass -> drop\n");
	tap_result(!err && s2.records == 1 && s2.last.flags == ST2110_XDP_EVENT_F_FORCED &&
		   s2.last.time_ns == t + 5 * EV_MS && s2.last.new_action == ST2110_XDP_ACT_DROP,
		   "events: no marker: one SWITCHED record flagged forced, at the timeout\n");
}

/*
 * Nobody reads: the ring fills, the rest are dropped and counted; every
 * attempt is either written or dropped; after a read it takes records again.
 */
static void ev_full_test(void)
{
	struct st2110_xdp_counters c0, c1, c2;
	struct ev_src a;
	__u64 t = ev_now, tries = EV_RING_RECORDS + 100, written, dropped;
	unsigned int i, bad = 0;
	int err;

	ev_src_init(&a, 5, EV_GROUP);
	err = ev_route(&a.key, ST2110_XDP_ACT_DROP) ?: ev_drain(ex, &ev_log);
	st2110_xdp_counters(ex, &c0);
	bad += ev_send(&a, 0, false, t) != XDP_DROP;
	/* a gap of one every 100 ms: one record each */
	for (i = 1; i <= tries; i++)
		bad += ev_send(&a, (__u16)(2 * i), false, t + i * EV_HOLDOFF) != XDP_DROP;
	st2110_xdp_counters(ex, &c1);
	err = err ?: ev_drain(ex, &ev_log);
	written = c1.events - c0.events;
	dropped = c1.events_dropped - c0.events_dropped;
	tap_msg("events: ring of %u bytes: %llu written, %llu dropped, %u read\n",
		ST2110_XDP_EVENTS_BYTES, (unsigned long long)written,
		(unsigned long long)dropped, ev_log.n);
	tap_result(!err && !bad && written + dropped == tries && dropped >= 100 &&
		   written == ev_log.n && written == EV_RING_RECORDS,
		   "events: full ring: %llu written (what fits), %llu dropped and counted, all written read\n",
		   (unsigned long long)written, (unsigned long long)dropped);
	i = (unsigned int)tries + 1;
	ev_send(&a, (__u16)(2 * i), false, t + i * EV_HOLDOFF);
	ev_now = t + (i + 1) * EV_HOLDOFF;
	st2110_xdp_counters(ex, &c2);
	err = err ?: ev_drain(ex, &ev_log);
	tap_result(!err && c2.events - c1.events == 1 && c2.events_dropped == c1.events_dropped &&
		   ev_log.n == 1 && ev_log.e[0].value == tries + 1,
		   "events: after a read the ring takes records again (flow lost %llu)\n",
		   ev_log.n ? (unsigned long long)ev_log.e[0].value : 0ULL);
}

/*
 * ST 2022-7: numbers lost on both legs. 2600 numbers 100 us apart per leg
 * (260 ms), 1 in 50 of the first 2000 lost on both, 1 in 7 on leg 1 only;
 * the last 600 carry every lost number out of the 512-number window, so all
 * are judged by the data path: MERGE_LOST counts plus what is still held
 * off add up to the 40 lost on both legs.
 */
static void ev_merge_test(void)
{
	struct st2110_xdp_route leg;
	struct st2110_xdp_merge m;
	struct ev_stats s;
	struct ev_src a, b;
	__u64 t = ev_now;
	unsigned int i, lost = 0;
	int err;

	ev_src_init(&a, 6, EV_GROUP);
	ev_src_init(&b, 7, "239.5.0.2");
	b.spec.ssrc = a.spec.ssrc;
	st2110_xdp_merge_del(ex, 9);
	err = st2110_xdp_merge_set(ex, 9, 0);
	for (i = 0; i < 2 && !err; i++) {
		leg = (struct st2110_xdp_route){ .action = ST2110_XDP_ACT_PASS, .merge = 9,
						  .merge_leg = i };
		st2110_xdp_route_del(ex, i ? &b.key : &a.key);
		err = st2110_xdp_route_add(ex, i ? &b.key : &a.key, &leg);
	}
	err = err ?: ev_drain(ex, &ev_log);
	for (i = 0; i < 2600 && !err; i++) {
		if (i < 2000 && i % 50 == 25) {
			lost++;
			continue;
		}
		ev_send(&a, (__u16)i, false, t + i * 100000);
		if (i % 7)
			ev_send(&b, (__u16)i, false, t + i * 100000 + 50000);
	}
	ev_now = t + 2600 * 100000;
	err = err ?: ev_drain(ex, &ev_log) ?: st2110_xdp_merge_get(ex, 9, &m);
	ev_sum(&ev_log, ST2110_XDP_EVENT_MERGE_LOST, &a.key, &s);
	tap_msg("events: 2022-7: %u lost on both, %u records, counts %llu, pending %llu\n", lost,
		s.records, (unsigned long long)s.count, (unsigned long long)m.ev.pending);
	tap_result(!err && m.lost_both == lost && s.count + m.ev.pending == lost &&
		   s.records >= 2 && s.records <= 3 && s.last.id == 9 &&
		   s.min_gap_ns >= EV_HOLDOFF,
		   "events: ST 2022-7 lost on both legs: records' counts + pending = %u, 100 ms apart\n",
		   lost);
	for (i = 0; i < 2; i++)
		st2110_xdp_route_del(ex, i ? &b.key : &a.key);
	st2110_xdp_merge_del(ex, 9);
}

static void ev_verifier_msg(void)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (!bpf_obj_get_info_by_fd(st2110_xdp_prog_fd(ex), &info, &len))
		tap_msg("events: XDP program: %u instructions, %u processed by the verifier\n",
			info.xlated_prog_len / 8, info.verified_insns);
}

void t_event_run(void)
{
	struct st2110_xdp_opts opts = { .ts_source = ST2110_XDP_TS_META };
	unsigned int i;

	if (xdp_test_skip_reason || st2110_xdp_load(&opts, &ex)) {
		for (i = 0; i < t_event_count(); i++)
			tap_skip("events: %s\n", xdp_test_skip_reason ?: st2110_xdp_errmsg());
		return;
	}
	ev_verifier_msg();
	ev_loss_test();
	ev_holdoff_test();
	ev_switch_test();
	ev_full_test();
	ev_merge_test();
	st2110_xdp_close(ex);
	ex = NULL;
}
