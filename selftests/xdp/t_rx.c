// SPDX-License-Identifier: GPL-2.0
/*
 * ST 2110-21 receiver measurement (struct st2110_xdp_rx) through
 * BPF_PROG_TEST_RUN with the test's clock (ST2110_XDP_TS_META), checked two
 * ways:
 *  - against st2110-analyze: the same packets with the same timestamps are
 *    written to a nanosecond pcap and analysed; peak CINST, VRX min/max,
 *    late packets and the schedule error range must be equal (tolerance 0:
 *    same timestamps, same strict model, no loss);
 *  - against numbers the test knows: frames, frames over VRXFULL, latency
 *    from RTP timestamps, NPACKETS from marker spacing, loss robustness.
 * Plus every rejection of the format API.
 *
 * Stream: 640x360p50 YCbCr-4:2:2/10 GPM (720 packets per frame), frames
 * paced on the gapped read schedule with a lead and in bursts, as a
 * software sender does; the stream opens with the marker packet of the
 * frame before, so that both tools see the same first frame boundary.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <limits.h>
#include <time.h>
#include <linux/bpf.h>
#include <jansson.h>
#include <st2110/st2110.h>

#include "xdp_test.h"
#include "pcapw.h"

#define RX_GROUP	"239.3.0.1"
#define RX_PORT		5004
#define RX_FMT_ID	7
#define RX_FRAMES	10
#define RX_HDR_LEN	(14 + 20 + 8)		/* Ethernet, IPv4, UDP */
#define RX_WIRE_NS	700			/* back-to-back packets in a burst */

#define NR_RX_API_TESTS		9
#define NR_RX_SCENARIOS		4
#define NR_RX_TESTS_PER		3
#define NR_RX_EXTRA_TESTS	3
#define NR_RX_CLOCK_TESTS	3

static struct st2110_xdp *rx_x;
static struct st2110_video_layout rx_layout;
static struct st2110_sched rx_sched;
static unsigned int rx_src_no;
static struct st2110_xdp_rx rx_ideal;	/* the ideal scenario's figures */

unsigned int t_rx_count(void)
{
	return NR_RX_API_TESTS + NR_RX_SCENARIOS * NR_RX_TESTS_PER + NR_RX_EXTRA_TESTS +
	       NR_RX_CLOCK_TESTS;
}

static void rx_video(struct st2110_video_fmt *v)
{
	memset(v, 0, sizeof(*v));
	v->width_px = 640;
	v->height_px = 360;
	v->rate.num = 50;
	v->rate.den = 1;
	v->scan = ST2110_SCAN_PROGRESSIVE;
	v->sampling = ST2110_SAMPLING_YCBCR_422;
	v->depth = ST2110_DEPTH_10;
	v->packing = ST2110_PACKING_GPM;
}

/* How a scenario sends: lead (may be < 0: late), burst size, losses. */
struct rx_scen {
	const char *name;
	int lead_pkts;
	unsigned int burst;
	unsigned int lose_every;	/* drop every n-th packet (0: none) */
	bool analyzer;			/* compare with st2110-analyze */
};

struct rx_run {
	struct pcapw *dump;
	char src[32];
	char pcap_path[64];
	struct pkt_spec spec;
	__u32 seq32;
	__u64 sent;
	__u64 late;			/* what the test itself counts */
	__u64 late_first;		/* the lone first packet was late */
	__u64 first_frame;
};

static int rx_emit(struct rx_run *r, __u64 frame, __u32 j, __u64 t_ns)
{
	struct st2110_pkt p;
	__u8 frame_buf[PKT_MAX], *pl;
	struct xdp_run res;
	size_t len;
	int err;

	if (st2110_video_pkt(&rx_layout, j, &p))
		return -EINVAL;
	r->spec.marker = p.marker;
	r->spec.seq = (__u16)r->seq32;
	r->spec.ts = st2110_video_rtp_ts(&rx_layout, frame, 0);
	r->spec.payload_len = ST2110_20_ESN_LEN + ST2110_20_SRD_LEN + p.data_bytes;
	len = pkt_build(&r->spec, frame_buf, sizeof(frame_buf));
	if (!len)
		return -EINVAL;
	pl = frame_buf + RX_HDR_LEN + ST2110_RTP_HDR_LEN;
	pl[0] = r->seq32 >> 24;
	pl[1] = r->seq32 >> 16;
	pl[2] = p.srd[0].length_bytes >> 8;
	pl[3] = p.srd[0].length_bytes;
	pl[4] = (p.srd[0].row >> 8) | (p.field ? 0x80 : 0);
	pl[5] = p.srd[0].row;
	pl[6] = p.srd[0].offset_px >> 8;
	pl[7] = p.srd[0].offset_px;
	r->seq32++;

	err = xdp_test_run(st2110_xdp_prog_fd(rx_x), frame_buf, len, &t_ns, &res);
	if (err)
		return err;
	if (res.action != XDP_DROP)
		return -EPROTO;
	r->sent++;
	if (r->dump)
		pcapw_write(r->dump, t_ns, frame_buf, len);
	return 0;
}

/* When the scenario sends packet j of a frame. */
static __u64 rx_time(const struct rx_scen *sc, __u64 frame, __u32 j)
{
	__u32 jb = j - j % sc->burst;
	__u64 t;

	if (sc->lead_pkts >= 0)
		t = st2110_tpr_lead_ns(&rx_sched, frame, jb, (__u32)sc->lead_pkts);
	else
		t = st2110_tpr_ns(&rx_sched, frame, jb) +
		    (__u64)-sc->lead_pkts * rx_sched.trs_whole_ns;
	return t + (__u64)(j - jb) * RX_WIRE_NS;
}

/* Send RX_FRAMES frames (plus the marker before them) as the scenario says. */
static int rx_send(const struct rx_scen *sc, struct rx_run *r)
{
	__u64 n0 = st2110_frame_index(&rx_sched, 1700000000ULL * 1000000000ULL) + 1;
	__u32 np = rx_sched.npackets, j;
	__u64 frame, t, tpr;
	unsigned int k = 0;
	int err;

	r->first_frame = n0;
	/* the last packet of frame n0-1: a frame boundary for both tools */
	t = rx_time(sc, n0 - 1, np - 1);
	if (t > st2110_tpr_ns(&rx_sched, n0 - 1, np - 1))
		r->late_first = 1;
	err = rx_emit(r, n0 - 1, np - 1, t);
	if (err)
		return err;
	for (frame = n0; frame < n0 + RX_FRAMES; frame++) {
		for (j = 0; j < np; j++) {
			t = rx_time(sc, frame, j);
			tpr = st2110_tpr_ns(&rx_sched, frame, j);
			if (sc->lose_every && ++k % sc->lose_every == 0 && j != np - 1) {
				r->seq32++;	/* lost on the way: never seen */
				continue;
			}
			if (t > tpr)
				r->late++;
			err = rx_emit(r, frame, j, t);
			if (err)
				return err;
		}
	}
	return 0;
}

/* The analyzer's strict figures for the capture. */
struct rx_ana {
	long long cinst_peak, vrx_min, vrx_max, late, err_min, err_max;
};

static int rx_analyze(const char *path, struct rx_ana *a)
{
	char exe[PATH_MAX], cmd[PATH_MAX + 128], *top, *p;
	json_t *root, *strict, *g, *streams, *video;
	json_error_t jerr;
	ssize_t n;
	FILE *f;

	/* $ST2110_ANALYZE, else <top>/build/ of <top>/build/selftests/xdp/xdp_selftest */
	if (getenv("ST2110_ANALYZE")) {
		snprintf(exe, sizeof(exe), "%s", getenv("ST2110_ANALYZE"));
	} else {
		n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		if (n <= 0)
			return -ENOENT;
		exe[n] = '\0';
		top = exe;
		for (int i = 0; i < 3; i++) {
			p = strrchr(top, '/');
			if (!p)
				return -ENOENT;
			*p = '\0';
		}
		strncat(exe, "/st2110-analyze", sizeof(exe) - strlen(exe) - 1);
	}
	if (access(exe, X_OK))
		return -ENOENT;
	snprintf(cmd, sizeof(cmd), "%s -j --video 640x360p50 %s", exe, path);
	f = popen(cmd, "r");
	if (!f)
		return -errno;
	root = json_loadf(f, 0, &jerr);
	pclose(f);
	if (!root)
		return -EPROTO;
	streams = json_object_get(root, "streams");
	video = json_object_get(json_array_get(streams, 0), "video");
	strict = json_object_get(video, "strict");
	g = json_object_get(strict, "gapped");
	if (!g) {
		json_decref(root);
		return -EPROTO;
	}
	a->cinst_peak = json_integer_value(json_object_get(strict, "cinst_peak_pkts"));
	a->vrx_min = json_integer_value(json_object_get(g, "vrx_min_pkts"));
	a->vrx_max = json_integer_value(json_object_get(g, "vrx_max_pkts"));
	a->late = json_integer_value(json_object_get(g, "late_pkts"));
	a->err_min = json_integer_value(json_object_get(g, "sched_err_min_ns"));
	a->err_max = json_integer_value(json_object_get(g, "sched_err_max_ns"));
	json_decref(root);
	return 0;
}

static int rx_route(const char *src, __u32 format)
{
	struct st2110_xdp_route route = { .action = ST2110_XDP_ACT_DROP,
					  .rtp_clock_hz = 90000, .format = format };
	struct st2110_xdp_key k;
	int err = st2110_xdp_key_make(&k, RX_GROUP, RX_PORT, src);

	return err ?: st2110_xdp_route_add(rx_x, &k, &route);
}

static int rx_flow(const char *src, struct st2110_xdp_flow *f)
{
	struct st2110_xdp_key k;
	int err = st2110_xdp_key_make(&k, RX_GROUP, RX_PORT, src);

	return err ?: st2110_xdp_flow_get(rx_x, &k, f);
}

static struct ev_log rx_ev;

/*
 * The events of a scenario (10 frames, 200 ms): OVER_CMAX and OVER_VRX
 * records' counts plus what the flow still holds off equal its frames over
 * CMAX and VRXFULL; the first is written on the frame that crossed.
 */
static void rx_events(const struct rx_scen *sc, const struct st2110_xdp_flow *f,
		      const char *src)
{
	struct ev_stats c, v;
	struct st2110_xdp_key k;

	st2110_xdp_key_make(&k, RX_GROUP, RX_PORT, src);
	ev_sum(&rx_ev, ST2110_XDP_EVENT_OVER_CMAX, &k, &c);
	ev_sum(&rx_ev, ST2110_XDP_EVENT_OVER_VRX, &k, &v);
	tap_msg("rx %s: events over CMAX %u (counts %llu, held %llu), over VRXFULL %u (counts %llu, held %llu)\n",
		sc->name, c.records, (unsigned long long)c.count,
		(unsigned long long)f->ev[1].pending, v.records, (unsigned long long)v.count,
		(unsigned long long)f->ev[2].pending);
	tap_result(c.count + f->ev[1].pending == f->rx.frames_over_cmax &&
		   v.count + f->ev[2].pending == f->rx.frames_over_vrx &&
		   (!c.records || (c.last.limit == rx_sched.lim.cmax_n && c.last.id == RX_FMT_ID &&
				   c.last.value > c.last.limit)) &&
		   (!v.records || (v.last.limit == rx_sched.lim.vrx_full_n &&
				   v.last.value > v.last.limit)) &&
		   c.min_gap_ns >= ST2110_XDP_EVENT_HOLDOFF_NS &&
		   v.min_gap_ns >= ST2110_XDP_EVENT_HOLDOFF_NS &&
		   (f->rx.frames_over_cmax == 0) == (c.records == 0) &&
		   (f->rx.frames_over_vrx == 0) == (v.records == 0),
		   "rx %s: events: over CMAX %llu = counts + held, over VRXFULL %llu likewise, 100 ms apart\n",
		   sc->name, (unsigned long long)f->rx.frames_over_cmax,
		   (unsigned long long)f->rx.frames_over_vrx);
}

static void rx_scenario(const struct rx_scen *sc)
{
	struct st2110_xdp_flow f;
	struct rx_run r = {};
	struct rx_ana a = {};
	const struct st2110_xdp_rx *x = &f.rx;
	int err;

	snprintf(r.src, sizeof(r.src), "10.3.0.%u", ++rx_src_no);
	r.spec.src = r.src;
	r.spec.dst = RX_GROUP;
	r.spec.dport = RX_PORT;
	r.spec.ssrc = 0x21100000 + rx_src_no;
	r.seq32 = 0x0001fff0;	/* the 16-bit sequence wraps in frame 1 */
	if (sc->analyzer) {
		snprintf(r.pcap_path, sizeof(r.pcap_path), "/tmp/st2110-xdp-rx-%d.pcap", getpid());
		r.dump = pcapw_open(r.pcap_path);
		if (!r.dump) {
			tap_fail("rx %s: cannot write %s\n", sc->name, r.pcap_path);
			tap_fail("rx %s: (no capture)\n", sc->name);
			tap_fail("rx %s: (no events)\n", sc->name);
			return;
		}
	}
	err = rx_route(r.src, RX_FMT_ID);
	err = err ?: ev_drain(rx_x, &rx_ev);
	err = err ?: rx_send(sc, &r);
	pcapw_close(r.dump);
	err = err ?: rx_flow(r.src, &f);
	err = err ?: ev_drain(rx_x, &rx_ev);
	if (err) {
		tap_fail("rx %s: %s (%s)\n", sc->name, strerror(-err), st2110_xdp_errmsg());
		tap_fail("rx %s: no measurement\n", sc->name);
		tap_fail("rx %s: no events\n", sc->name);
		goto out;
	}
	rx_events(sc, &f, r.src);
	tap_msg("rx %s: XDP frames %llu pkts %llu CINST peak %llu VRX %lld..%lld late %llu err %lld..%lld ns "
		"over CMAX %llu over VRXFULL %llu latency %lld..%lld ns NPACKETS %llu\n", sc->name,
		(unsigned long long)x->frames, (unsigned long long)x->pkts,
		(unsigned long long)x->cinst_peak, (long long)x->vrx_min, (long long)x->vrx_peak,
		(unsigned long long)x->late_pkts, (long long)x->tpr_err_min_ns,
		(long long)x->tpr_err_max_ns, (unsigned long long)x->frames_over_cmax,
		(unsigned long long)x->frames_over_vrx, (long long)x->latency_min_ns,
		(long long)x->latency_max_ns, (unsigned long long)x->npackets_measured);

	/* what the test knows without any other tool */
	if (sc->lead_pkts >= 0) {
		__u64 n = r.first_frame;
		__s64 want = (__s64)(st2110_tpr_lead_ns(&rx_sched, n, 0, (__u32)sc->lead_pkts) -
				     st2110_frame_start_ns(&rx_sched, n));

		if (x->latency_min_ns != want || x->latency_max_ns != want) {
			tap_msg("rx %s: latency %lld..%lld ns, want %lld\n", sc->name,
				(long long)x->latency_min_ns, (long long)x->latency_max_ns,
				(long long)want);
			r.late = ~0ULL;		/* fail below */
		}
	}
	/* the lone marker packet first is not placed in the schedule */
	tap_result(x->frames == RX_FRAMES && x->pkts == r.sent - 1 && x->index_errors == 0 &&
		   x->late_pkts == r.late - r.late_first && x->npackets_measured == rx_sched.npackets &&
		   x->npackets_mismatch == 0 &&
		   x->frames_over_vrx == (x->vrx_peak > (__s64)rx_sched.lim.vrx_full_n ?
					  RX_FRAMES : 0),
		   "rx %s: frames %llu/%u, packets placed %llu/%llu, late %llu/%llu, NPACKETS %llu/%u\n",
		   sc->name, (unsigned long long)x->frames, RX_FRAMES,
		   (unsigned long long)x->pkts, (unsigned long long)(r.sent - 1),
		   (unsigned long long)x->late_pkts, (unsigned long long)r.late,
		   (unsigned long long)x->npackets_measured, rx_sched.npackets);

	if (!sc->analyzer) {
		/*
		 * Loss, same timing as the ideal scenario: packets keep their
		 * place (index from the sequence) and VRX counts a lost packet
		 * as arrived, so the figures are the ideal ones.
		 */
		tap_result(f.lost == r.seq32 - 0x0001fff0 - r.sent && f.lost > 0 &&
			   x->vrx_min == rx_ideal.vrx_min && x->vrx_peak == rx_ideal.vrx_peak &&
			   x->cinst_peak <= rx_ideal.cinst_peak && x->index_errors == 0,
			   "rx %s: %llu lost, VRX %lld..%lld as without loss (%lld..%lld), no index error\n",
			   sc->name, (unsigned long long)f.lost, (long long)x->vrx_min,
			   (long long)x->vrx_peak, (long long)rx_ideal.vrx_min,
			   (long long)rx_ideal.vrx_peak);
		goto out;
	}
	if (sc->lead_pkts == 4 && sc->burst == 1)
		rx_ideal = *x;
	err = rx_analyze(r.pcap_path, &a);
	if (err == -ENOENT) {
		tap_skip("rx %s: st2110-analyze not built (make -C userspace/analyze)\n", sc->name);
		goto out;
	}
	if (err) {
		tap_fail("rx %s: st2110-analyze: %s\n", sc->name, strerror(-err));
		goto out;
	}
	tap_result(a.cinst_peak == (long long)x->cinst_peak && a.vrx_min == x->vrx_min &&
		   a.vrx_max == x->vrx_peak && a.late == (long long)(x->late_pkts + r.late_first) &&
		   a.err_min == x->tpr_err_min_ns && a.err_max == x->tpr_err_max_ns,
		   "rx %s: same as st2110-analyze on the capture: CINST peak %lld/%llu, VRX %lld..%lld / %lld..%lld, late %lld/%llu, TPR error %lld..%lld / %lld..%lld ns\n",
		   sc->name, a.cinst_peak, (unsigned long long)x->cinst_peak,
		   a.vrx_min, a.vrx_max, (long long)x->vrx_min, (long long)x->vrx_peak,
		   a.late, (unsigned long long)x->late_pkts, a.err_min, a.err_max,
		   (long long)x->tpr_err_min_ns, (long long)x->tpr_err_max_ns);
out:
	if (r.pcap_path[0])
		unlink(r.pcap_path);
}

static const struct rx_scen rx_scens[NR_RX_SCENARIOS] = {
	{ "ideal gapped, lead 4", 4, 1, 0, true },
	{ "bursts of 8, lead 4", 4, 8, 0, true },
	{ "late by 2 TRS, bursts of 4", -2, 4, 0, true },
	{ "ideal with 1 packet in 97 lost", 4, 1, 97, false },
};

static int rx_format(__u32 id, __u32 npackets, __u32 type)
{
	struct st2110_xdp_format f = { .npackets = npackets, .type = type,
				       .troffset_ns = ST2110_TROFFSET_DEFAULT };

	rx_video(&f.video);
	return st2110_xdp_format_set(rx_x, id, &f);
}

static void rx_api_tests(void)
{
	struct st2110_xdp_format f = { .troffset_ns = ST2110_TROFFSET_DEFAULT }, got;
	struct st2110_xdp_route route = { .action = ST2110_XDP_ACT_DROP };
	struct st2110_xdp_key k;
	struct st2110_sched s;
	int e1, e2, e3;

	e1 = rx_format(0, 0, ST2110_TYPE_N);
	e2 = rx_format(ST2110_XDP_MAX_FORMATS, 0, ST2110_TYPE_N);
	tap_result(e1 == -EINVAL && e2 == -EINVAL &&
		   st2110_xdp_format_get(rx_x, 0, &got, NULL) == -ENOENT,
		   "rx api: format ids 0 and %u rejected (%d, %d)\n", ST2110_XDP_MAX_FORMATS, e1, e2);

	rx_video(&f.video);
	f.video.rate.num = 0;
	e1 = st2110_xdp_format_set(rx_x, 3, &f);
	tap_result(e1 == -EINVAL && strstr(st2110_xdp_errmsg(), "frame rate") &&
		   st2110_xdp_format_get(rx_x, 3, &got, NULL) == -ENOENT,
		   "rx api: rate 0/1 rejected, nothing written (%s)\n", st2110_xdp_errmsg());

	rx_video(&f.video);
	f.video.height_px = 0;
	e1 = st2110_xdp_format_set(rx_x, 3, &f);
	rx_video(&f.video);
	f.video.scan = ST2110_SCAN_INTERLACED;
	f.video.height_px = 720;	/* no 720-line interlaced system */
	f.npackets = 1000;
	e2 = st2110_xdp_format_set(rx_x, 3, &f);
	tap_result(e1 == -EINVAL && e2 == -EINVAL &&
		   st2110_xdp_format_get(rx_x, 3, &got, NULL) == -ENOENT,
		   "rx api: height 0 and 720i rejected (%d, %d: %s)\n", e1, e2, st2110_xdp_errmsg());

	e1 = rx_format(3, 0, __ST2110_TYPE_MAX);
	tap_result(e1 == -EINVAL && st2110_xdp_format_get(rx_x, 3, &got, NULL) == -ENOENT,
		   "rx api: unknown sender type rejected (%s)\n", st2110_xdp_errmsg());

	e1 = rx_format(RX_FMT_ID, 0, ST2110_TYPE_N);
	e2 = st2110_xdp_format_get(rx_x, RX_FMT_ID, &got, &s);
	tap_result(!e1 && !e2 && got.npackets == 720 && s.npackets == 720 &&
		   s.lim.vrx_full_n == 8 && s.lim.cmax_n == 4,
		   "rx api: 640x360p50 4:2:2/10 GPM: NPACKETS %u, CMAX %u, VRXFULL %u\n",
		   got.npackets, s.npackets ? s.lim.cmax_n : 0, s.npackets ? s.lim.vrx_full_n : 0);
	rx_sched = s;

	st2110_xdp_key_make(&k, RX_GROUP, RX_PORT, "10.3.9.9");
	route.format = 9;
	e1 = st2110_xdp_route_add(rx_x, &k, &route);
	route.format = RX_FMT_ID;
	route.flags = ST2110_XDP_ROUTE_F_NO_MEASURE;
	e2 = st2110_xdp_route_add(rx_x, &k, &route);
	tap_result(e1 == -ENOENT && e2 == -EINVAL && st2110_xdp_route_get(rx_x, &k, &route) == -ENOENT,
		   "rx api: route with a missing format or without measurement refused (%d, %d)\n",
		   e1, e2);

	route.flags = 0;
	e1 = st2110_xdp_route_add(rx_x, &k, &route);
	e2 = st2110_xdp_format_del(rx_x, RX_FMT_ID);
	e3 = st2110_xdp_format_get(rx_x, RX_FMT_ID, NULL, NULL);
	tap_result(!e1 && e2 == -EBUSY && !e3,
		   "rx api: a format in use is not deleted (%d, %d)\n", e2, e3);
	st2110_xdp_route_del(rx_x, &k);

	e1 = rx_format(4, 720, ST2110_TYPE_NL);
	e2 = st2110_xdp_format_del(rx_x, 4);
	e3 = st2110_xdp_format_get(rx_x, 4, NULL, NULL);
	tap_result(!e1 && !e2 && e3 == -ENOENT, "rx api: an unused format is deleted\n");

	e1 = st2110_xdp_format_del(rx_x, 4);
	e2 = st2110_xdp_format_del(rx_x, 0);
	tap_result(e1 == -ENOENT && e2 == -ENOENT, "rx api: deleting a missing format fails (%d, %d)\n",
		   e1, e2);
}

/*
 * A rewritten format restarts the flows' measurement; an SSRC change
 * restarts the frame boundaries (no packet placed against stale ones).
 */
static void rx_extra_tests(void)
{
	static const struct rx_scen sc = { "restart", 4, 1, 0, false };
	struct st2110_xdp_flow f;
	struct rx_run r = {};
	int err;

	snprintf(r.src, sizeof(r.src), "10.3.1.1");
	r.spec.src = r.src;
	r.spec.dst = RX_GROUP;
	r.spec.dport = RX_PORT;
	r.spec.ssrc = 0x2110aaaa;
	r.seq32 = 5;
	err = rx_route(r.src, RX_FMT_ID);
	err = err ?: rx_send(&sc, &r);
	err = err ?: rx_format(RX_FMT_ID, 0, ST2110_TYPE_N);	/* rewrite: new generation */
	err = err ?: rx_emit(&r, r.first_frame + RX_FRAMES, 0,
			     st2110_tpr_lead_ns(&rx_sched, r.first_frame + RX_FRAMES, 0, 4));
	err = err ?: rx_flow(r.src, &f);
	tap_result(!err && f.rx.pkts == 0 && f.rx.frames == 0 && f.rx.cinst_peak == 1 &&
		   (f.rx.format & 0xff) == RX_FMT_ID,
		   "rx: a rewritten format restarts the measurement (pkts %llu, CINST peak %llu)\n",
		   (unsigned long long)f.rx.pkts, (unsigned long long)f.rx.cinst_peak);

	r.spec.ssrc = 0x2110bbbb;
	err = err ?: rx_emit(&r, r.first_frame + RX_FRAMES, 1,
			     st2110_tpr_lead_ns(&rx_sched, r.first_frame + RX_FRAMES, 1, 4));
	err = err ?: rx_flow(r.src, &f);
	tap_result(!err && f.ssrc_changes == 1 && f.rx.pkts == 0 && f.rx.index_errors == 0,
		   "rx: after an SSRC change nothing is placed before the next marker\n");

	/* a flow of a route without a format has no rx measurement */
	tap_result(!rx_flow("10.3.0.1", &f) && (f.rx.format & 0xff) == RX_FMT_ID &&
		   !rx_flow("10.3.1.1", &f) && f.rx.format != 0,
		   "rx: measured flows name their format\n");
}

static __u64 rx_tai_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_TAI, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + (__u64)ts.tv_nsec;
}

/*
 * Arrival clocks: with each source the program's arrival time of a packet
 * lies between CLOCK_TAI read before and after the test run (50 us slack
 * for the offset's read-out); META without metadata falls back to TAI.
 */
static void rx_clock_tests(void)
{
	static const enum st2110_xdp_ts_source srcs[2] = {
		ST2110_XDP_TS_KTIME_TAI, ST2110_XDP_TS_MONO_OFFSET,
	};
	struct st2110_xdp_opts opts = { .ts_source = 3 };
	struct st2110_xdp *c = NULL;
	struct pkt_spec spec = { .src = "10.3.2.1", .dst = RX_GROUP, .dport = RX_PORT,
				 .payload_len = 32 };
	struct st2110_xdp_route route = { .action = ST2110_XDP_ACT_DROP };
	struct st2110_xdp_flow f;
	struct st2110_xdp_key k;
	__u8 frame[PKT_MAX];
	struct xdp_run res;
	__u64 t0, t1;
	size_t len;
	int i, err;

	err = st2110_xdp_load(&opts, &c);
	tap_result(err == -EINVAL && !c, "rx clock: unknown arrival clock refused (%d)\n", err);

	len = pkt_build(&spec, frame, sizeof(frame));
	st2110_xdp_key_make(&k, RX_GROUP, RX_PORT, spec.src);
	for (i = 0; i < 2; i++) {
		opts.ts_source = srcs[i];
		c = NULL;
		err = st2110_xdp_load(&opts, &c);
		err = err ?: st2110_xdp_route_add(c, &k, &route);
		t0 = rx_tai_ns();
		err = err ?: xdp_test_run(st2110_xdp_prog_fd(c), frame, len, NULL, &res);
		t1 = rx_tai_ns();
		err = err ?: st2110_xdp_flow_get(c, &k, &f);
		tap_result(!err && f.first_ns + 50000 >= t0 && f.first_ns <= t1 + 50000,
			   "rx clock: %s arrival %lld ns after CLOCK_TAI before the run (run took %llu ns)\n",
			   srcs[i] == ST2110_XDP_TS_MONO_OFFSET ? "monotonic + offset" :
			   st2110_xdp_ts_source(c) == ST2110_XDP_TS_MONO_OFFSET ?
			   "bpf_ktime_get_tai_ns (absent: monotonic + offset)" :
			   "bpf_ktime_get_tai_ns", err ? 0 : (long long)(f.first_ns - t0),
			   (unsigned long long)(t1 - t0));
		st2110_xdp_close(c);
	}
}

void t_rx_run(void)
{
	struct st2110_xdp_opts opts = { .ts_source = ST2110_XDP_TS_META };
	const char *reason;
	unsigned int i;
	int err;

	if (xdp_test_skip_reason) {
		for (i = 0; i < t_rx_count(); i++)
			tap_skip("rx: %s\n", xdp_test_skip_reason);
		return;
	}
	rx_video(&rx_layout.fmt);
	err = st2110_video_layout_init(&rx_layout, &rx_layout.fmt, &reason);
	if (!err)
		err = st2110_xdp_load(&opts, &rx_x);
	if (err) {
		for (i = 0; i < t_rx_count(); i++)
			tap_fail("rx: setup: %s\n", st2110_xdp_errmsg());
		return;
	}
	rx_api_tests();
	for (i = 0; i < NR_RX_SCENARIOS; i++)
		rx_scenario(&rx_scens[i]);
	rx_extra_tests();
	rx_clock_tests();
	st2110_xdp_close(rx_x);
	rx_x = NULL;
}
