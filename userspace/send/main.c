// SPDX-License-Identifier: GPL-2.0
/*
 * st2110-send - ST 2110-20 / -30 test-pattern sender.
 *
 * Time is CLOCK_TAI (PTP time when phc2sys disciplines it), counted from
 * the SMPTE epoch.  Video frame N belongs to the alignment point N*TFRAME
 * and is read by the ST 2110-21 receiver model from TVD = N*TFRAME +
 * TROFFSET on; the three modes differ only in who spaces the packets:
 *
 *   burst   the frame (each field when interlaced) is written at once at
 *           TPR_0 - lead*TRS; a pacing qdisc downstream spaces it
 *   paced   this process sleeps (clock_nanosleep TIMER_ABSTIME) to every
 *           packet's TPR_j - lead*TRS; packets already due go together
 *   txtime  the frame is written txtime-advance early and each packet
 *           carries TPR_j - lead*TRS as its SO_TXTIME launch time
 *
 * Audio packet k is written at its sampling instant k*ptime (the RTP
 * timestamp), as ST 2110-10 §7.5.3 allows for a playback source.
 */
#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/timex.h>
#include <arpa/inet.h>

#include "send.h"

static volatile sig_atomic_t send_stop;

static void on_signal(int sig)
{
	(void)sig;
	send_stop = 1;
}

static uint64_t tai_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_TAI, &ts);
	return (uint64_t)ts.tv_sec * ST2110_NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

/* Sleep to TAI time t; -1 if a signal asked us to stop. */
static int sleep_until(uint64_t t)
{
	struct timespec ts = {
		.tv_sec = (time_t)(t / ST2110_NSEC_PER_SEC),
		.tv_nsec = (long)(t % ST2110_NSEC_PER_SEC),
	};

	while (clock_nanosleep(CLOCK_TAI, TIMER_ABSTIME, &ts, NULL) == EINTR)
		if (send_stop)
			return -1;
	return send_stop ? -1 : 0;
}

/*
 * Sleep to spin_ns before t, then poll the clock: a wake-up costs tens of
 * µs, far more than TRS at HD rates, so only spinning spaces packets
 * evenly (at the price of a busy core).
 */
static int wait_until(uint64_t t, uint64_t spin_ns)
{
	uint64_t now = tai_now();

	if (!spin_ns)
		return sleep_until(t);
	if (t > now + spin_ns && sleep_until(t - spin_ns))
		return -1;
	while (tai_now() < t)
		if (send_stop)
			return -1;
	return 0;
}

static void note_late(struct send_stats *st, uint64_t t, uint64_t deadline, int frame)
{
	uint64_t late;

	if (t <= deadline)
		return;
	late = t - deadline;
	if (frame) {
		st->late_frames++;
		if (late > st->max_late_ns)
			st->max_late_ns = late;
	} else {
		st->late_pkts++;
		if (late > st->max_pkt_late_ns)
			st->max_pkt_late_ns = late;
	}
}

/* A time over the schedule's common denominator, as "whole.milli". */
static void fmt_d(char *buf, size_t len, uint64_t x_d, uint64_t den)
{
	uint64_t whole = x_d / den, rem = x_d % den;

	if (den < (1ULL << 50))
		snprintf(buf, len, "%" PRIu64 ".%03" PRIu64, whole,
			 (uint64_t)st2110_muldiv_floor(rem, 1000, den));
	else
		snprintf(buf, len, "%" PRIu64, whole);
}

struct run {
	const struct send_cfg *cfg;
	struct tx tx;
	struct send_stats st;
	uint64_t end_ns;		/* duration limit: no write at or after this */
	uint32_t rtp_off;		/* --rtp free */
	uint32_t seq;
};

static int run_done(const struct run *r, uint64_t sent, uint64_t next_write_ns)
{
	if (send_stop)
		return 1;
	if (r->cfg->frames && sent >= r->cfg->frames)
		return 1;
	return r->end_ns && next_write_ns >= r->end_ns;
}

/* ------------------------------------------------------------------ video */

struct vrun {
	struct run *r;
	const struct st2110_video_layout *l;
	const struct st2110_sched *s;
	struct vframe vf;
	struct tx_pkt *pkts;
	uint64_t *when_ns;		/* per packet: TPR_j - lead*TRS */
	uint64_t *tpr_ns;		/* per packet: TPR_j */
};

/* When frame N's first write happens. */
static uint64_t vid_write_ns(const struct vrun *v, uint64_t frame)
{
	uint64_t t = st2110_tpr_lead_ns(v->s, frame, 0, v->r->cfg->lead_pkts);

	if (v->r->cfg->mode == SEND_MODE_TXTIME)
		t -= v->r->cfg->txtime_advance_ns;
	return t;
}

static void vid_schedule(struct vrun *v, uint64_t frame)
{
	struct st2110_tpr_iter it, it0;
	uint32_t j, lead = v->r->cfg->lead_pkts;

	st2110_tpr_iter_start(&it, v->s, frame, 0, lead);
	st2110_tpr_iter_start(&it0, v->s, frame, 0, 0);
	for (j = 0; j < v->vf.npkts; j++) {
		v->when_ns[j] = st2110_tpr_iter_next(&it, v->s);
		v->tpr_ns[j] = st2110_tpr_iter_next(&it0, v->s);
		v->pkts[j].txtime_ns = v->when_ns[j];
	}
}

static int vid_send_burst(struct vrun *v)
{
	struct run *r = v->r;
	uint32_t f, first, n = v->l->field_pkts;
	uint64_t t;
	int err;

	for (f = 0; f < v->l->fields; f++) {
		first = f * n;
		if (sleep_until(v->when_ns[first]))
			return -EINTR;
		t = tai_now();
		if (f == 0) {
			note_late(&r->st, t, v->tpr_ns[0], 1);
			if (r->cfg->verbose > 1)
				fprintf(stderr, "frame write at TPR0 %+" PRId64 " ns (target %+" PRId64 ")\n",
					(int64_t)(t - v->tpr_ns[0]),
					(int64_t)(v->when_ns[0] - v->tpr_ns[0]));
		}
		err = tx_send(&r->tx, v->pkts + first, n, &r->st);
		if (err)
			return err;
	}
	return 0;
}

static int vid_send_paced(struct vrun *v)
{
	struct run *r = v->r;
	uint32_t j = 0, k, n = v->vf.npkts;
	uint64_t now;
	int err;

	while (j < n) {
		now = tai_now();
		if (v->when_ns[j] > now) {
			if (wait_until(v->when_ns[j], r->cfg->spin_ns))
				return -EINTR;
			now = tai_now();
		}
		if (j == 0)
			note_late(&r->st, now, v->tpr_ns[0], 1);
		/* everything already due goes in one call: catching up, not bursting */
		for (k = j + 1; k < n && k - j < r->cfg->batch && v->when_ns[k] <= now; k++)
			;
		err = tx_send(&r->tx, v->pkts + j, k - j, &r->st);
		if (err)
			return err;
		now = tai_now();
		for (; j < k; j++)
			note_late(&r->st, now, v->tpr_ns[j], 0);
	}
	return 0;
}

static int vid_send_txtime(struct vrun *v, uint64_t frame)
{
	struct run *r = v->r;
	uint32_t j;
	uint64_t now;
	int err;

	if (sleep_until(vid_write_ns(v, frame)))
		return -EINTR;
	note_late(&r->st, tai_now(), v->tpr_ns[0], 1);
	err = tx_send(&r->tx, v->pkts, v->vf.npkts, &r->st);
	if (err)
		return err;
	now = tai_now();
	/* a launch time already past when written is dropped by sch_etf */
	for (j = 0; j < v->vf.npkts; j++)
		note_late(&r->st, now, v->when_ns[j], 0);
	tx_drain_errqueue(&r->tx, &r->st);
	return 0;
}

static int run_video(struct run *r, const struct st2110_video_layout *l,
		     const struct st2110_sched *s)
{
	const struct send_cfg *cfg = r->cfg;
	struct vrun v = { .r = r, .l = l, .s = s };
	const char *why;
	uint64_t frame, next, now, counter = 0;
	uint32_t j, ts[2];
	int err = 0;

	if (vframe_init(&v.vf, l, cfg, &why))
		return send_err(SEND_EXIT_BADARG, "%s", why);
	v.pkts = calloc(v.vf.npkts, sizeof(*v.pkts));
	v.when_ns = calloc(v.vf.npkts, sizeof(*v.when_ns));
	v.tpr_ns = calloc(v.vf.npkts, sizeof(*v.tpr_ns));
	if (!v.pkts || !v.when_ns || !v.tpr_ns) {
		err = send_err(SEND_EXIT_BADARG, "out of memory");
		goto out;
	}
	for (j = 0; j < v.vf.npkts; j++) {
		v.pkts[j].buf = v.vf.buf + v.vf.pkt[j].off;
		v.pkts[j].len = v.vf.pkt[j].len;
	}

	/* the first frame whose first write is still ahead, with 1 ms to spare */
	now = tai_now() + 1000000;
	frame = st2110_next_frame(s, now, cfg->lead_pkts);
	while (vid_write_ns(&v, frame) < now)
		frame++;
	r->st.first_frame = frame;
	r->st.start_ns = vid_write_ns(&v, frame);
	if (cfg->duration_ns)
		r->end_ns = r->st.start_ns + cfg->duration_ns;

	while (!run_done(r, r->st.frames, vid_write_ns(&v, frame))) {
		ts[0] = st2110_video_rtp_ts(l, frame, 0) + r->rtp_off;
		ts[1] = st2110_video_rtp_ts(l, frame, 1) + r->rtp_off;
		for (j = 0; j < v.vf.npkts; j++)
			vframe_stamp(&v.vf, j, r->seq++, ts[v.vf.pkt[j].field]);
		vid_schedule(&v, frame);

		if (cfg->mode == SEND_MODE_BURST)
			err = vid_send_burst(&v);
		else if (cfg->mode == SEND_MODE_PACED)
			err = vid_send_paced(&v);
		else
			err = vid_send_txtime(&v, frame);
		if (err == -EINTR) {
			err = 0;
			break;
		}
		if (err) {
			err = send_err(SEND_EXIT_BADARG, "send: %s", strerror(-err));
			break;
		}
		r->st.frames++;
		if (run_done(r, r->st.frames, 0))
			break;
		vframe_prepare(&v.vf, ++counter);

		/* more than a frame behind: jump to the next frame still ahead */
		next = frame + 1;
		now = tai_now();
		if (now > vid_write_ns(&v, next) + s->tframe_whole_ns) {
			frame = st2110_next_frame(s, now, cfg->lead_pkts);
			while (vid_write_ns(&v, frame) < now)
				frame++;
			r->st.skipped_frames += frame - next;
		} else {
			frame = next;
		}
	}
	if (cfg->mode == SEND_MODE_TXTIME) {
		usleep(1000);
		tx_drain_errqueue(&r->tx, &r->st);
	}
out:
	free(v.pkts);
	free(v.when_ns);
	free(v.tpr_ns);
	vframe_free(&v.vf);
	return err;
}

/* ------------------------------------------------------------------ audio */

static int run_audio(struct run *r)
{
	const struct send_cfg *cfg = r->cfg;
	const struct st2110_audio_fmt *a = &cfg->afmt;
	uint32_t payload = st2110_audio_payload_bytes(a);
	uint32_t plen = ST2110_RTP_HDR_LEN + payload, b, i;
	uint64_t ptime_ns = st2110_audio_pkt_time_ns(a, 1);	/* floor, 1 ns slack */
	uint64_t k, t, now, advance = 0;
	struct tx_pkt *pkts;
	uint8_t *buf;
	struct tone *tone;
	int err = 0;

	if (cfg->mode == SEND_MODE_TXTIME)
		advance = cfg->txtime_advance_ns;
	tone = tone_new(a, cfg->tone_hz);
	buf = calloc(cfg->batch, plen);
	pkts = calloc(cfg->batch, sizeof(*pkts));
	if (!tone || !buf || !pkts) {
		err = send_err(SEND_EXIT_BADARG, "out of memory");
		goto out;
	}
	for (b = 0; b < cfg->batch; b++) {
		uint8_t *h = buf + b * plen;

		h[ST2110_RTP_OFF_VPXCC] = ST2110_RTP_VERSION << ST2110_RTP_VERSION_SHIFT;
		h[ST2110_RTP_OFF_MPT] = (uint8_t)(cfg->pt & ST2110_RTP_PT_MASK);
		h[ST2110_RTP_OFF_SSRC] = (uint8_t)(cfg->ssrc >> 24);
		h[ST2110_RTP_OFF_SSRC + 1] = (uint8_t)(cfg->ssrc >> 16);
		h[ST2110_RTP_OFF_SSRC + 2] = (uint8_t)(cfg->ssrc >> 8);
		h[ST2110_RTP_OFF_SSRC + 3] = (uint8_t)cfg->ssrc;
		pkts[b].buf = h;
		pkts[b].len = plen;
	}

	k = st2110_audio_pkt_index(a, tai_now() + advance + 1000000) + 1;
	r->st.first_frame = k;
	r->st.start_ns = st2110_audio_pkt_time_ns(a, k) - advance;
	if (cfg->duration_ns)
		r->end_ns = r->st.start_ns + cfg->duration_ns;

	while (!run_done(r, r->st.frames, st2110_audio_pkt_time_ns(a, k) - advance)) {
		t = st2110_audio_pkt_time_ns(a, k);
		if (sleep_until(t - advance))
			break;
		now = tai_now();
		/* far behind: jump instead of bursting (a burst is 20 ms at most) */
		if (now > t - advance + (ptime_ns * 10 > 20000000 ? ptime_ns * 10 : 20000000)) {
			uint64_t k2 = st2110_audio_pkt_index(a, now + advance);

			r->st.skipped_frames += k2 - k;
			k = k2;
			t = st2110_audio_pkt_time_ns(a, k);
		}
		/* every packet already due, in one call */
		for (b = 0; b < cfg->batch; b++) {
			uint64_t tk = st2110_audio_pkt_time_ns(a, k + b);
			uint8_t *h = buf + b * plen;
			uint32_t ts = st2110_audio_pkt_rtp_ts(a, k + b) + r->rtp_off;
			uint32_t seq = r->seq++;

			if (b && (tk - advance > now ||
				  (cfg->frames && r->st.frames + b >= cfg->frames))) {
				r->seq--;
				break;
			}
			h[ST2110_RTP_OFF_SEQ] = (uint8_t)(seq >> 8);
			h[ST2110_RTP_OFF_SEQ + 1] = (uint8_t)seq;
			for (i = 0; i < 4; i++)
				h[ST2110_RTP_OFF_TS + i] = (uint8_t)(ts >> (24 - 8 * i));
			tone_fill(tone, k + b, h + ST2110_RTP_HDR_LEN);
			pkts[b].txtime_ns = tk;
			/* late: written after the packet's own slot ended */
			note_late(&r->st, now, tk - advance + ptime_ns, 1);
		}
		err = tx_send(&r->tx, pkts, b, &r->st);
		if (err) {
			err = send_err(SEND_EXIT_BADARG, "send: %s", strerror(-err));
			break;
		}
		if (advance) {
			now = tai_now();
			for (i = 0; i < b; i++)
				note_late(&r->st, now, pkts[i].txtime_ns, 0);
			tx_drain_errqueue(&r->tx, &r->st);
		}
		r->st.frames += b;
		k += b;
	}
out:
	free(pkts);
	free(buf);
	tone_free(tone);
	return err;
}

/* ------------------------------------------------------------ reporting */

/* UDP payload bytes of a frame, and of its largest packet. */
static uint64_t video_frame_bytes(const struct st2110_video_layout *l, uint32_t *max_pkt)
{
	struct st2110_pkt p;
	uint32_t j, len;

	*max_pkt = 0;
	for (j = 0; j < l->npackets; j++) {
		st2110_video_pkt(l, j, &p);
		len = ST2110_RTP_HDR_LEN + ST2110_20_ESN_LEN + ST2110_20_SRD_LEN * p.nsrd +
		      p.data_bytes;
		if (len > *max_pkt)
			*max_pkt = len;
	}
	return st2110_video_frame_bytes(l, ST2110_RTP_HDR_LEN);
}

/* ------------------------------------------------------------ SDP */

static void sdp_addr(struct st2110_sdp_addr *a, const struct sockaddr_storage *ss)
{
	a->family = ss->ss_family;
	if (ss->ss_family == AF_INET6)
		a->u.v6 = ((const struct sockaddr_in6 *)ss)->sin6_addr;
	else
		a->u.v4 = ((const struct sockaddr_in *)ss)->sin_addr;
}

/* ST 2110-30 §6.2.2: the channel groups a plain channel count implies. */
static void sdp_channel_order(char *buf, size_t len, const struct send_cfg *cfg)
{
	unsigned int ch = cfg->afmt.channels;

	if (cfg->channel_order)
		snprintf(buf, len, "%s", cfg->channel_order);
	else if (ch == 1)
		snprintf(buf, len, "SMPTE2110.(M)");
	else if (ch == 2)
		snprintf(buf, len, "SMPTE2110.(ST)");
	else
		snprintf(buf, len, "SMPTE2110.(U%02u)", ch);
}

/*
 * The description of what this process sends: ST 2110-20 §7 / -21 §8
 * fmtp (TROFF only when TROFFSET is not TRODEFAULT), ST 2110-30 rtpmap,
 * channel-order and ptime, ST 2110-10 mediaclk and ts-refclk.
 */
static void sdp_fill(struct st2110_sdp *sdp, const struct send_cfg *cfg,
		    const struct st2110_video_layout *l, const struct st2110_sched *s,
		    const char *src)
{
	struct st2110_sdp_stream *st = &sdp->stream[0];
	struct st2110_sdp_refclk *rc = &st->refclk[0];
	int v6 = cfg->dst.ss_family == AF_INET6;

	memset(sdp, 0, sizeof(*sdp));
	strcpy(sdp->user, "-");
	sdp->sess_id = sdp->sess_version = (uint64_t)time(NULL);
	sdp->origin_family = v6 ? AF_INET6 : AF_INET;
	snprintf(sdp->origin_addr, sizeof(sdp->origin_addr), "%s", src);
	if (cfg->media == SEND_VIDEO)
		snprintf(sdp->name, sizeof(sdp->name), "st2110-send %ux%u%s ST 2110-20",
			 l->fmt.width_px, l->fmt.height_px,
			 l->fmt.scan == ST2110_SCAN_PROGRESSIVE ? "p" :
			 l->fmt.scan == ST2110_SCAN_INTERLACED ? "i" : "psf");
	else
		snprintf(sdp->name, sizeof(sdp->name), "st2110-send L%u/%u/%u ST 2110-30",
			 cfg->afmt.depth_bits, cfg->afmt.rate_hz, cfg->afmt.channels);
	sdp->nstream = 1;

	st->pt = (uint8_t)cfg->pt;
	st->port = ntohs(((const struct sockaddr_in *)&cfg->dst)->sin_port);
	st->port_count = 1;
	st->addr_count = 1;
	st->dup_group = -1;
	sdp_addr(&st->dst, &cfg->dst);
	if (net_is_multicast(&cfg->dst) && !v6)
		st->ttl = (uint8_t)cfg->ttl;
	/* RFC 4570: a receiver joins (S,G) only for the source it is told */
	if (net_is_multicast(&cfg->dst) && strcmp(src, "0.0.0.0") && strcmp(src, "::")) {
		st->filter.present = true;
		st->filter.dst = st->dst;
		st->filter.nsrc = 1;
		st->filter.src[0].family = st->dst.family;
		if (inet_pton(st->dst.family, src, &st->filter.src[0].u) != 1)
			st->filter.present = false;
	}
	st->nrefclk = 1;
	rc->kind = ST2110_REFCLK_PTP_TRACEABLE;
	if (cfg->refclk == SEND_REFCLK_PTP)
		*rc = cfg->refclk_ptp;
	else if (cfg->refclk == SEND_REFCLK_LOCALMAC && !net_dev_mac(cfg->dev, rc->mac))
		rc->kind = ST2110_REFCLK_LOCALMAC;
	st->has_ssrc = true;
	st->ssrc = cfg->ssrc;
	snprintf(st->ssrc_attr, sizeof(st->ssrc_attr), "cname:%s", SEND_PROG);

	if (cfg->media == SEND_VIDEO) {
		struct st2110_sdp_video *vd = &st->video;

		st->media = ST2110_SDP_VIDEO;
		st->clock_hz = ST2110_RTP_VIDEO_CLOCK_HZ;
		vd->fmt = l->fmt;
		vd->fmt.rate = s->rate;			/* reduced */
		vd->fmt.max_payload_bytes = 0;		/* SDP does not carry it */
		vd->type = (uint8_t)cfg->type;
		vd->colorimetry = (uint8_t)cfg->colorimetry;
		vd->ssn = ST2110_SSN_2017;
		vd->tcs = ST2110_TCS_SDR;
		vd->has_troff = !s->troffset_is_default;
		vd->troff_us = (uint32_t)st2110_sched_troff_us(s);
		return;
	}
	st->media = ST2110_SDP_AUDIO;
	st->clock_hz = cfg->afmt.rate_hz;
	st->audio.fmt = cfg->afmt;
	sdp_channel_order(st->audio.channel_order, sizeof(st->audio.channel_order), cfg);
}

/*
 * Write the SDP through the lib's writer, after reading the text back with
 * the lib's parser: a description the project's own receivers would reject
 * (e.g. a bad --channel-order) is an error, and no file is written.
 */
static int sdp_write(const struct send_cfg *cfg, const struct st2110_video_layout *l,
		     const struct st2110_sched *s, const char *src, const char *path)
{
	struct st2110_sdp *sdp = calloc(2, sizeof(*sdp));
	struct st2110_sdp_diag diag;
	char *text = NULL, msg[ST2110_SDP_MSG_LEN + 64];
	size_t len = 0;
	FILE *f;
	int err = 0;

	if (!sdp)
		return send_err(SEND_EXIT_BADARG, "--sdp %s: %s", path, strerror(ENOMEM));
	sdp_fill(sdp, cfg, l, s, src);
	f = open_memstream(&text, &len);
	if (f)
		err = st2110_sdp_write(f, sdp);
	/* closed also when the writer failed, or the stream would leak */
	if (!f || fclose(f) || err) {
		err = send_err(SEND_EXIT_BADARG, "--sdp %s: cannot describe this stream", path);
		goto out;
	}
	if (st2110_sdp_parse(&sdp[1], text, len, &diag)) {
		err = send_err(SEND_EXIT_BADARG, "--sdp %s: the description does not parse back: %s",
			       path, st2110_sdp_format_diag(msg, sizeof(msg), "sdp", &diag));
		goto out;
	}
	f = fopen(path, "w");
	if (!f) {
		err = send_err(SEND_EXIT_BADARG, "--sdp %s: %s", path, strerror(errno));
		goto out;
	}
	if (fwrite(text, 1, len, f) != len)
		err = -1;
	if (fclose(f) || err)
		err = send_err(SEND_EXIT_BADARG, "--sdp %s: %s", path, strerror(errno));
out:
	free(text);
	free(sdp);
	return err;
}

static const char *const mode_name[] = { "burst", "paced", "txtime" };
static const char *const type_name[] = { "N", "NL", "W" };
static const char *const scan_name[] = { "p", "i", "psf" };

static void print_count_only(const struct send_cfg *cfg, const struct st2110_video_layout *l,
			     const struct st2110_sched *s)
{
	uint64_t frames = cfg->frames, per_frame_bytes, npk, payload = 0;
	uint32_t max_pkt = 0;
	char tf[32], trs[32], tro[32], dst[INET6_ADDRSTRLEN] = "-";
	unsigned int port = 0;
	const char *what;

	if (cfg->have_dst) {
		net_addr_str(&cfg->dst, dst, sizeof(dst));
		port = ntohs(((const struct sockaddr_in *)&cfg->dst)->sin_port);
	}
	if (cfg->media == SEND_VIDEO) {
		per_frame_bytes = video_frame_bytes(l, &max_pkt);
		npk = l->npackets;
		if (!frames && cfg->duration_ns)
			frames = st2110_muldiv_ceil(cfg->duration_ns, s->rate.num,
						    ST2110_NSEC_PER_SEC * s->rate.den);
		what = "frames";
	} else {
		payload = st2110_audio_payload_bytes(&cfg->afmt);
		per_frame_bytes = ST2110_RTP_HDR_LEN + payload;
		max_pkt = (uint32_t)per_frame_bytes;
		npk = 1;
		if (!frames && cfg->duration_ns)
			frames = st2110_muldiv_ceil(cfg->duration_ns, cfg->afmt.rate_hz,
						    ST2110_NSEC_PER_SEC *
						    (uint64_t)cfg->afmt.samples_per_pkt);
		what = "packets";
	}

	if (cfg->json) {
		printf("{\"media\":\"%s\",\"mode\":\"%s\",\"dst\":\"%s\",\"port\":%u,",
		       cfg->media == SEND_VIDEO ? "video" : "audio", mode_name[cfg->mode],
		       dst, port);
		if (cfg->media == SEND_VIDEO) {
			printf("\"width\":%u,\"height\":%u,\"scan\":\"%s\",\"rate_num\":%u,"
			       "\"rate_den\":%u,\"sampling\":\"%s\",\"depth\":%u,\"pm\":\"%s\","
			       "\"payload_bytes\":%u,\"type\":\"%s\",\"npackets\":%u,"
			       "\"field_pkts\":%u,\"max_srd\":%u,\"frame_bytes\":%" PRIu64 ","
			       "\"max_pkt_bytes\":%u,\"tframe_ns\":%" PRIu64 ",\"trs_ns\":%" PRIu64 ","
			       "\"troffset_ns\":%" PRIu64 ",\"troff_us\":%" PRIu64 ","
			       "\"cmax\":%u,\"vrx_full\":%u,\"lead_pkts\":%u,",
			       l->fmt.width_px, l->fmt.height_px, scan_name[l->fmt.scan],
			       s->rate.num, s->rate.den, st2110_sampling_name(l->fmt.sampling),
			       l->fmt.depth, l->fmt.packing == ST2110_PACKING_BPM ? "BPM" : "GPM",
			       l->payload_bytes, type_name[cfg->type], l->npackets, l->field_pkts,
			       l->max_srd, per_frame_bytes, max_pkt,
			       (uint64_t)(s->tframe_d / s->den), (uint64_t)(s->trs_d / s->den),
			       (uint64_t)(s->troffset_d / s->den), (uint64_t)st2110_sched_troff_us(s),
			       cfg->type == ST2110_TYPE_N ? s->lim.cmax_n :
			       cfg->type == ST2110_TYPE_NL ? s->lim.cmax_nl : s->lim.cmax_w,
			       cfg->type == ST2110_TYPE_W ? s->lim.vrx_full_w : s->lim.vrx_full_n,
			       cfg->lead_pkts);
		} else {
			printf("\"rate_hz\":%u,\"channels\":%u,\"pcm\":\"L%u\","
			       "\"samples_per_pkt\":%u,\"payload_bytes\":%" PRIu64 ",",
			       cfg->afmt.rate_hz, cfg->afmt.channels, cfg->afmt.depth_bits,
			       cfg->afmt.samples_per_pkt, payload);
		}
		/* audio counts packets already: a key must not appear twice */
		if (cfg->media == SEND_VIDEO)
			printf("\"frames\":%" PRIu64 ",", frames);
		printf("\"packets\":%" PRIu64 ",\"bytes\":%" PRIu64 "}\n",
		       frames * npk, frames * per_frame_bytes);
		return;
	}

	if (cfg->media == SEND_VIDEO) {
		fmt_d(tf, sizeof(tf), s->tframe_d, s->den);
		fmt_d(trs, sizeof(trs), s->trs_d, s->den);
		fmt_d(tro, sizeof(tro), s->troffset_d, s->den);
		printf("video %ux%u%s %u/%u frames/s, %s %s-bit, %s, payload %u B\n",
		       l->fmt.width_px, l->fmt.height_px, scan_name[l->fmt.scan], s->rate.num,
		       s->rate.den, st2110_sampling_name(l->fmt.sampling),
		       st2110_depth_name(l->fmt.depth),
		       l->fmt.packing == ST2110_PACKING_BPM ? "2110BPM" : "2110GPM",
		       l->payload_bytes);
		printf("  NPACKETS %u (%u per field), up to %u SRDs, %" PRIu64
		       " B per frame, largest packet %u B (UDP payload)\n",
		       l->npackets, l->field_pkts, l->max_srd, per_frame_bytes, max_pkt);
		printf("  TFRAME %s ns, TRS %s ns, TROFFSET %s ns (TROFF %" PRIu64 " us%s)\n",
		       tf, trs, tro, (uint64_t)st2110_sched_troff_us(s),
		       s->troffset_is_default ? ", default" : "");
		printf("  type %s: CMAX %u, VRXFULL %u\n", type_name[cfg->type],
		       cfg->type == ST2110_TYPE_N ? s->lim.cmax_n :
		       cfg->type == ST2110_TYPE_NL ? s->lim.cmax_nl : s->lim.cmax_w,
		       cfg->type == ST2110_TYPE_W ? s->lim.vrx_full_w : s->lim.vrx_full_n);
	} else {
		printf("audio L%u %u Hz, %u channels, %u samples per packet, %" PRIu64
		       " B payload\n", cfg->afmt.depth_bits, cfg->afmt.rate_hz,
		       cfg->afmt.channels, cfg->afmt.samples_per_pkt, payload);
	}
	if (frames && cfg->media == SEND_VIDEO)
		printf("would send %" PRIu64 " %s = %" PRIu64 " packets, %" PRIu64
		       " bytes to %s port %u, mode %s, lead %u\n", frames, what, frames * npk,
		       frames * per_frame_bytes, dst, port, mode_name[cfg->mode], cfg->lead_pkts);
	else if (frames)
		printf("would send %" PRIu64 " packets, %" PRIu64 " bytes to %s port %u, mode %s\n",
		       frames, frames * per_frame_bytes, dst, port, mode_name[cfg->mode]);
	else
		printf("would send %" PRIu64 " packets per %s until stopped to %s port %u, mode %s, lead %u\n",
		       npk, cfg->media == SEND_VIDEO ? "frame" : "slot", dst, port,
		       mode_name[cfg->mode], cfg->lead_pkts);
}

static void print_stats(const struct send_cfg *cfg, const struct send_stats *st)
{
	uint64_t el = st->end_ns > st->start_ns ? st->end_ns - st->start_ns : 0;
	uint64_t pps = el ? (uint64_t)st2110_muldiv_floor(st->packets, ST2110_NSEC_PER_SEC, el) : 0;
	/* what one fully busy core would sustain at this cost per packet */
	uint64_t cpu_pps = st->cpu_ns ?
		(uint64_t)st2110_muldiv_floor(st->packets, ST2110_NSEC_PER_SEC, st->cpu_ns) : 0;

	if (cfg->json) {
		printf("{\"mode\":\"%s\",\"packets\":%" PRIu64 ",\"frames\":%" PRIu64
		       ",\"bytes\":%" PRIu64 ",\"sendmmsg_calls\":%" PRIu64
		       ",\"late_frames\":%" PRIu64 ",\"max_late_ns\":%" PRIu64
		       ",\"late_pkts\":%" PRIu64 ",\"max_pkt_late_ns\":%" PRIu64
		       ",\"skipped_frames\":%" PRIu64 ",\"send_errors\":%" PRIu64
		       ",\"txtime_errors\":%" PRIu64 ",\"first_frame\":%" PRIu64
		       ",\"start_ns\":%" PRIu64 ",\"elapsed_ns\":%" PRIu64 ",\"pps\":%" PRIu64
		       ",\"cpu_ns\":%" PRIu64 ",\"pps_per_cpu\":%" PRIu64 "}\n",
		       mode_name[cfg->mode], st->packets, st->frames, st->bytes,
		       st->sendmmsg_calls, st->late_frames, st->max_late_ns, st->late_pkts,
		       st->max_pkt_late_ns, st->skipped_frames, st->send_errors,
		       st->txtime_errors, st->first_frame, st->start_ns, el, pps, st->cpu_ns,
		       cpu_pps);
		return;
	}
	fprintf(stderr, SEND_PROG ": %" PRIu64 " %s, %" PRIu64 " packets, %" PRIu64
		" bytes in %" PRIu64 ".%03" PRIu64 " s (%" PRIu64 " pkt/s), %" PRIu64
		" sendmmsg calls, CPU %" PRIu64 " ms (%" PRIu64 " pkt per CPU-second)\n",
		st->frames, cfg->media == SEND_VIDEO ? "frames" : "audio packets",
		st->packets, st->bytes, (uint64_t)(el / ST2110_NSEC_PER_SEC),
		(uint64_t)(el % ST2110_NSEC_PER_SEC / 1000000), pps, st->sendmmsg_calls,
		st->cpu_ns / 1000000, cpu_pps);
	fprintf(stderr, SEND_PROG ": late frames %" PRIu64 " (max %" PRIu64 " ns), late packets %"
		PRIu64 " (max %" PRIu64 " ns), skipped %" PRIu64 ", send errors %" PRIu64
		", txtime errors %" PRIu64 "%s%s\n", st->late_frames, st->max_late_ns, st->late_pkts,
		st->max_pkt_late_ns, st->skipped_frames, st->send_errors, st->txtime_errors,
		st->last_errno ? ", last error: " : "",
		st->last_errno ? strerror(st->last_errno) : "");
}

static int setup_process(const struct send_cfg *cfg)
{
	struct timex tx = { 0 };

	/* wake-ups are the schedule: no coalescing */
	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	if (cfg->cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cfg->cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			return send_err(SEND_EXIT_BADARG, "--cpu %d: %s", cfg->cpu, strerror(errno));
	}
	if (cfg->fifo_prio) {
		struct sched_param sp = { .sched_priority = cfg->fifo_prio };

		if (sched_setscheduler(0, SCHED_FIFO, &sp))
			return send_err(SEND_EXIT_BADARG, "--fifo=%d: SCHED_FIFO: %s (needs CAP_SYS_NICE)",
					cfg->fifo_prio, strerror(errno));
		mlockall(MCL_CURRENT | MCL_FUTURE);
	}
	if (adjtimex(&tx) >= 0 && tx.tai == 0)
		fprintf(stderr, SEND_PROG ": note: the kernel TAI offset is 0, so CLOCK_TAI = UTC "
			"(ptp4l/phc2sys set it); RTP timestamps are then 37 s early\n");
	return 0;
}

int main(int argc, char **argv)
{
	struct send_cfg cfg;
	struct st2110_video_layout l;
	struct st2110_sched s;
	struct run r;
	struct sigaction sa;
	const char *why;
	char src[INET6_ADDRSTRLEN] = "0.0.0.0";
	int err;

	err = send_parse_args(argc, argv, &cfg);
	if (err)
		return err;
	memset(&l, 0, sizeof(l));
	memset(&s, 0, sizeof(s));
	if (cfg.media == SEND_VIDEO &&
	    (st2110_video_layout_init(&l, &cfg.vfmt, &why) ||
	     st2110_sched_init_video(&s, &l, cfg.type, cfg.troffset_ns, &why)))
		return send_err(SEND_EXIT_BADARG, "%s", why);	/* checked in args.c */

	memset(&r, 0, sizeof(r));
	r.cfg = &cfg;
	r.tx.fd = -1;
	r.seq = cfg.seq;
	if (cfg.rtp == SEND_RTP_FREE && getrandom(&r.rtp_off, sizeof(r.rtp_off), 0) < 0)
		r.rtp_off = (uint32_t)tai_now();

	if (cfg.have_dst && !cfg.count_only) {
		err = tx_open(&r.tx, &cfg);
		if (err)
			return err;
		tx_local_addr(&r.tx, src, sizeof(src));
	} else if (cfg.sdp_path) {
		net_probe_src(&cfg, src, sizeof(src));
	}
	if (cfg.sdp_path) {
		err = sdp_write(&cfg, &l, &s, src, cfg.sdp_path);
		if (err)
			goto out;
	}
	if (cfg.count_only) {
		print_count_only(&cfg, &l, &s);
		goto out;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	err = setup_process(&cfg);
	if (err)
		goto out;

	if (cfg.media == SEND_VIDEO)
		err = run_video(&r, &l, &s);
	else
		err = run_audio(&r);
	r.st.end_ns = tai_now();
	{
		struct rusage ru;

		if (!getrusage(RUSAGE_SELF, &ru))
			r.st.cpu_ns = ((uint64_t)ru.ru_utime.tv_sec + (uint64_t)ru.ru_stime.tv_sec) *
				      ST2110_NSEC_PER_SEC +
				      ((uint64_t)ru.ru_utime.tv_usec + (uint64_t)ru.ru_stime.tv_usec) * 1000;
	}
	print_stats(&cfg, &r.st);
out:
	if (r.tx.fd >= 0)
		tx_close(&r.tx);
	return err;
}
