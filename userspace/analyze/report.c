// SPDX-License-Identifier: GPL-2.0
/*
 * report.c - the human table and the -j JSON document.
 *
 * Text shows human units (µs with three decimals, named in the labels);
 * JSON shows machine units (integer ns, packets, ticks) under field names
 * that are documented in st2110-analyze(1) and do not change.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "jsonw.h"

enum { R_PASS, R_FAIL, R_UNDEF };

struct type_result {
	int result;
	char reason[160];
};

struct verdict {
	struct type_result t[__ST2110_TYPE_MAX];
	const char *best;
	/* LIST-compatible */
	bool list_linear;
	const struct vlist *l;
	const char *list_cinst;
	const char *list_vrx;
	const char *list_verdict;
};

static const char *result_name(int r)
{
	return r == R_PASS ? "pass" : r == R_FAIL ? "fail" : "undefined";
}

static const char *type_name(int t)
{
	return t == ST2110_TYPE_N ? "N" : t == ST2110_TYPE_NL ? "NL" : "W";
}

static void __attribute__((format(printf, 2, 3)))
add_reason(struct type_result *r, const char *fmt, ...)
{
	size_t n = strlen(r->reason);
	va_list ap;

	if (n && n + 2 < sizeof(r->reason)) {
		memcpy(r->reason + n, "; ", 3);
		n += 2;
	}
	va_start(ap, fmt);
	vsnprintf(r->reason + n, sizeof(r->reason) - n, fmt, ap);
	va_end(ap);
}

/* RNOMINAL = NPACKETS / TFRAME, floored, for reports only. */
static uint64_t rnominal_pps(const struct video *v)
{
	const struct st2110_sched *s = &v->prs[ST2110_PRS_GAPPED].s;

	return st2110_rnominal_pps(s->npackets, &s->rate);
}

/* One sender type: CINST against its CMAX, VRX and lateness on its PRS. */
static void check_type(const struct video *v, int type, struct type_result *r)
{
	const struct st2110_limits *lim = &v->prs[ST2110_PRS_GAPPED].s.lim;
	const struct vprs *p = &v->prs[type == ST2110_TYPE_N ? ST2110_PRS_GAPPED : ST2110_PRS_LINEAR];
	uint32_t cmax = type == ST2110_TYPE_N ? lim->cmax_n :
			type == ST2110_TYPE_NL ? lim->cmax_nl : lim->cmax_w;
	uint32_t vrx_full = type == ST2110_TYPE_W ? lim->vrx_full_w : lim->vrx_full_n;
	bool cmax_undef = type == ST2110_TYPE_W && !lim->cmax_w_defined;

	r->result = R_PASS;
	r->reason[0] = '\0';
	if (p->late_pkts) {
		r->result = R_FAIL;
		add_reason(r, "%" PRIu64 " packets late (max %" PRId64 " ns after TPR_j)",
			   p->late_pkts, p->err_ns.max);
	}
	if (p->vrx.any && p->vrx.max > (int64_t)vrx_full) {
		r->result = R_FAIL;
		add_reason(r, "VRX peak %" PRId64 " > VRXFULL %u", p->vrx.max, vrx_full);
	}
	if (!cmax_undef && v->c_peak > cmax) {
		r->result = R_FAIL;
		add_reason(r, "CINST peak %" PRIu64 " > CMAX %u", v->c_peak, cmax);
	}
	if (cmax_undef && r->result == R_PASS) {
		r->result = R_UNDEF;
		add_reason(r, "CMAX of Type W is not defined by ST 2110-21:2017 at %" PRIu64
			   " pkt/s (>= %u)",
			   rnominal_pps(v),
			   (unsigned int)ST2110_W_CMAX_MAX_PPS);
	}
}

static int list_class(int64_t peak, int64_t narrow, int64_t wide)
{
	return peak <= narrow ? 0 : peak <= wide ? 1 : 2;
}

static void compute_verdict(const struct video *v, struct verdict *vd)
{
	static const char *const names[2][3] = {
		{ "narrow", "wide", "not_compliant" },
		{ "narrow_linear", "wide", "not_compliant" },
	};
	const struct st2110_limits *lim = &v->prs[ST2110_PRS_GAPPED].s.lim;
	int t, c, x;

	for (t = 0; t < __ST2110_TYPE_MAX; t++)
		check_type(v, t, &vd->t[t]);
	vd->best = vd->t[ST2110_TYPE_N].result == R_PASS ? "N" :
		   vd->t[ST2110_TYPE_NL].result == R_PASS ? "NL" :
		   vd->t[ST2110_TYPE_W].result == R_PASS ? "W" :
		   vd->t[ST2110_TYPE_W].result == R_UNDEF ? "undefined" : "not_compliant";

	/* LIST: linear unless the gap after markers exceeds 50 mean spacings */
	vd->list_linear = v->gap_n && v->reg_n &&
			  v->gap_sum_ns / v->gap_n <= 50 * (v->reg_sum_ns / v->reg_n);
	vd->l = &v->list[vd->list_linear ? ST2110_PRS_LINEAR : ST2110_PRS_GAPPED];
	c = list_class(v->lc_peak, vd->list_linear ? lim->cmax_nl : lim->cmax_n, lim->cmax_w);
	if (!vd->l->vrx.n)
		x = -1;
	else if (vd->l->vrx.min < 0)
		x = 2;
	else
		x = list_class(vd->l->vrx.max, lim->vrx_full_n, lim->vrx_full_w);
	vd->list_cinst = names[vd->list_linear][c];
	vd->list_vrx = x < 0 ? "unknown" : names[vd->list_linear][x];
	vd->list_verdict = x < 0 ? "unknown" : names[vd->list_linear][c > x ? c : x];
}

/* ns as µs with three decimals, sign kept: no floating point. */
static const char *us3(char *buf, size_t len, int64_t ns)
{
	uint64_t a = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;

	snprintf(buf, len, "%s%" PRIu64 ".%03" PRIu64, ns < 0 ? "-" : "", a / 1000, a % 1000);
	return buf;
}

static const char *scan_name(int scan)
{
	return scan == ST2110_SCAN_INTERLACED ? "interlaced" :
	       scan == ST2110_SCAN_PSF ? "psf" : "progressive";
}

static const char *unit_name(const struct video *v)
{
	return v->fmt.scan == ST2110_SCAN_INTERLACED ? "field" :
	       v->fmt.scan == ST2110_SCAN_PSF ? "segment" : "frame";
}

static void stream_title(const struct stream *s, char *buf, size_t len)
{
	char dst[64], src[64];

	addr_str(&s->dst, dst, sizeof(dst));
	addr_str(&s->src, src, sizeof(src));
	snprintf(buf, len, "%s%s%s:%u ssrc 0x%08x (from %s%s%s:%u, pt %u%s)",
		 s->dst.family == 6 ? "[" : "", dst, s->dst.family == 6 ? "]" : "", s->dport,
		 s->ssrc, s->src.family == 6 ? "[" : "", src, s->src.family == 6 ? "]" : "",
		 s->sport, s->pt, s->vlan ? ", vlan" : "");
	if (s->vlan) {
		size_t n = strlen(buf) - 1;

		snprintf(buf + n, len - n, " %u)", (unsigned int)s->vlan - 1u);
	}
}

#define ROW "  %-31s "

static void text_mstat_us(FILE *f, const char *label, const struct mstat *m, const char *extra)
{
	char a[32], b[32], c[32];

	if (!m->n) {
		fprintf(f, ROW "-\n", label);
		return;
	}
	fprintf(f, ROW "%s / %s / %s%s\n", label, us3(a, sizeof(a), m->min),
		us3(b, sizeof(b), mstat_avg(m)), us3(c, sizeof(c), m->max), extra ? extra : "");
}

static void text_video(FILE *f, const struct video *v, int64_t tai_offset_ns)
{
	const struct st2110_sched *g = &v->prs[ST2110_PRS_GAPPED].s;
	char name[64], a[32], b[32], c[32], extra[96];
	struct verdict vd;
	int i, t;

	st2110_vfmt_name(&v->fmt, name, sizeof(name));
	fprintf(f, ROW "%s%s (%s, from %s)\n", "format", v->fmt.width_px ? "" : "?",
		v->fmt.width_px ? name : strchr(name, 'x') + 1, scan_name(v->fmt.scan),
		v->fmt_source);
	if (v->field_pkts)
		fprintf(f, ROW "%u (%u per marker, measured)\n", "NPACKETS [pkts/frame]",
			v->field_pkts * v->fields, v->field_pkts);
	fprintf(f, ROW "lost %" PRIu64 ", reordered %" PRIu64 ", duplicates %" PRIu64 "%s\n",
		"sequence [pkts]", v->seq.lost, v->seq.reordered, v->seq.duplicates,
		v->unwrap.esn_broken ? " (ESN not advancing: 16-bit sequence used)" : "");
	if (v->field_pkts)
		fprintf(f, ROW "%" PRIu64 " (complete %" PRIu64 ", incomplete %" PRIu64 ")\n",
			v->fmt.scan == ST2110_SCAN_INTERLACED ? "fields" :
			v->fmt.scan == ST2110_SCAN_PSF ? "segments" : "frames",
			v->seg_total, v->seg_complete, v->seg_incomplete);
	if (v->rtp_step.n)
		fprintf(f, ROW "%" PRId64 " / %" PRId64 " (expected %u..%u, %" PRIu64 " outside)\n",
			"RTP step min/max [ticks]", v->rtp_step.min, v->rtp_step.max,
			v->step_lo, v->step_hi, v->rtp_step_bad);
	if (!v->timing) {
		fprintf(f, ROW "not analyzed: %s\n", "timing", v->why_not);
		return;
	}
	if (v->index_errors)
		fprintf(f, ROW "%" PRIu64 " packets outside their frame (NPACKETS changed?)\n",
			"index errors", v->index_errors);
	snprintf(extra, sizeof(extra), " (TROFFSET %s%s)", us3(a, sizeof(a), (int64_t)v->troffset_ns),
		 v->troff_given ? ", from TROFF" : ", default");
	text_mstat_us(f, "FPT min/avg/max [us]", &v->fpt_ns, extra);
	if (v->rtp_off.n)
		fprintf(f, ROW "%" PRId64 " / %" PRId64 " / %" PRId64 "\n",
			"RTP offset min/avg/max [ticks]", v->rtp_off.min, mstat_avg(&v->rtp_off),
			v->rtp_off.max);
	text_mstat_us(f, "latency min/avg/max [us]", &v->latency_ns, NULL);
	fprintf(f, ROW "TRS %s (gapped) %s (linear), TDRAIN %s\n", "schedule [us]",
		us3(a, sizeof(a), (int64_t)(g->trs_d / g->den)),
		us3(b, sizeof(b), (int64_t)(v->prs[ST2110_PRS_LINEAR].s.trs_d /
					   v->prs[ST2110_PRS_LINEAR].s.den)),
		us3(c, sizeof(c), (int64_t)(g->tdrain_d / g->den)));
	fprintf(f, ROW "CMAX N/NL/W %u/%u/%u%s, VRXFULL N/W %u/%u\n", "limits [pkts]",
		g->lim.cmax_n, g->lim.cmax_nl, g->lim.cmax_w,
		g->lim.cmax_w_defined ? "" : " (W undefined)", g->lim.vrx_full_n, g->lim.vrx_full_w);
	fprintf(f, ROW "%" PRIu64 "\n", "CINST peak strict [pkts]", v->c_peak);
	for (i = 0; i < 2; i++) {
		const struct vprs *p = &v->prs[i];

		fprintf(f, ROW "min %" PRId64 " max %" PRId64 ", late %" PRIu64 ", max(t-TPR) %s us\n",
			i == ST2110_PRS_GAPPED ? "VRX strict gapped [pkts]" : "VRX strict linear [pkts]",
			p->vrx.min, p->vrx.max, p->late_pkts, us3(a, sizeof(a), p->err_ns.max));
		if (p->vrx.beyond_horizon)
			fprintf(f, ROW "%" PRIu64 " packets later than 2 frames: VRX min approximate\n",
				"", p->vrx.beyond_horizon);
	}
	fprintf(f, ROW "p50 %s p99 %s max %s (%s PRS, exact, %zu samples%s)\n",
		"t - TPR_j [us]", us3(a, sizeof(a), v->err_p50_ns), us3(b, sizeof(b), v->err_p99_ns),
		us3(c, sizeof(c), v->prs[v->ref_type == ST2110_TYPE_N ? 0 : 1].err_ns.max),
		v->ref_type == ST2110_TYPE_N ? "gapped" : "linear", v->err.n,
		v->err.dropped ? ", sample limit reached" : "");

	compute_verdict(v, &vd);
	fprintf(f, ROW "%s schedule (gap after marker %s us, spacing %s us)\n",
		"LIST-compatible", vd.list_linear ? "linear" : "gapped",
		us3(a, sizeof(a), v->gap_n ? (int64_t)(v->gap_sum_ns / v->gap_n) : 0),
		us3(b, sizeof(b), v->reg_n ? (int64_t)(v->reg_sum_ns / v->reg_n) : 0));
	fprintf(f, ROW "CINST peak %" PRId64 " (%s), VRX min %" PRId64 " max %" PRId64 " (%s) -> %s\n",
		"", v->lc_peak, vd.list_cinst, vd.l->vrx.min, vd.l->vrx.max, vd.list_vrx,
		vd.list_verdict);
	for (t = 0; t < __ST2110_TYPE_MAX; t++)
		fprintf(f, ROW "%s%s%s\n", t == ST2110_TYPE_N ? "Type N" : t == ST2110_TYPE_NL ?
			"Type NL" : "Type W", result_name(vd.t[t].result),
			vd.t[t].reason[0] ? ": " : "", vd.t[t].reason);
	fprintf(f, ROW "%s", "verdict (strict)", vd.best);
	if (v->declared_tp >= 0)
		fprintf(f, ", declared TP=%s: %s", st2110_sdp_type_name((unsigned int)v->declared_tp),
			vd.t[v->declared_tp].result == R_PASS ? "met" :
			vd.t[v->declared_tp].result == R_UNDEF ? "undefined" : "NOT met");
	if (v->declared_cmax >= 0)
		fprintf(f, ", declared CMAX=%" PRId64 ": %s", v->declared_cmax,
			(int64_t)v->c_peak <= v->declared_cmax ? "met" : "NOT met");
	fputc('\n', f);
	/* a capture clock on UTC runs 37 s behind TAI: RTP looks 37 s ahead */
	if (v->rtp_off.n && !tai_offset_ns &&
	    llabs(mstat_avg(&v->rtp_off) - 37LL * ST2110_RTP_VIDEO_CLOCK_HZ) < ST2110_RTP_VIDEO_CLOCK_HZ)
		fprintf(f, ROW "RTP runs ~37 s ahead of the capture clock: UTC? try --utc\n", "hint");
}

/* floor of the exact packet time spp / rate, from the timing core */
static uint64_t audio_ptime_ns(const struct audio *au)
{
	struct st2110_audio_fmt af = { .rate_hz = au->rate_hz, .samples_per_pkt = au->spp };
	struct st2110_frac pt;

	if (!au->rate_hz || !au->spp)
		return 0;
	st2110_audio_ptime(&af, &pt);
	return pt.num / pt.den;
}

static void text_audio(FILE *f, const struct audio *au)
{
	char a[32];

	fprintf(f, ROW "%u Hz (%s), %u samples/packet (%s) = %s us%s\n", "format",
		au->rate_hz, au->rate_source, au->spp, au->spp_source ? au->spp_source : "unknown",
		us3(a, sizeof(a), (int64_t)audio_ptime_ns(au)),
		"");
	if (au->channels)
		fprintf(f, ROW "%u channels, L%u\n", "", au->channels, au->depth_bits);
	fprintf(f, ROW "lost %" PRIu64 ", reordered %" PRIu64 ", duplicates %" PRIu64 "\n",
		"sequence [pkts]", au->seq.lost, au->seq.reordered, au->seq.duplicates);
	if (au->step_ticks.n)
		fprintf(f, ROW "%" PRId64 " / %" PRId64 " (%" PRIu64 " not %u)\n",
			"RTP step min/max [ticks]", au->step_ticks.min, au->step_ticks.max,
			au->step_bad, au->spp);
	text_mstat_us(f, "interval min/avg/max [us]", &au->interval_ns, NULL);
	text_mstat_us(f, "latency min/avg/max [us]", &au->latency_ns, NULL);
}

void report_text(FILE *f, const struct analyzer *a, const struct capture_info *ci)
{
	const struct decode_stats *d = &a->dec;
	char title[200];
	int i;

	fprintf(f, "%s: %" PRIu64 " frames read, %" PRIu64 " RTP, %d streams (timestamps %s%s)\n",
		ci->source, a->frames, d->rtp, a->nstreams, ci->tstamp,
		ci->live ? (strcmp(ci->tstamp_type, "adapter") ? ", host clock" : ", adapter clock") : "");
	if (a->cfg->tai_offset_ns) {
		int64_t o = a->cfg->tai_offset_ns;
		uint64_t m = o < 0 ? (uint64_t)0 - (uint64_t)o : (uint64_t)o;

		fprintf(f, "  timestamps shifted by %s%" PRIu64 ".%09" PRIu64 " s to TAI\n",
			o < 0 ? "-" : "+", m / 1000000000U, m % 1000000000U);
	}
	if (d->rtcp || d->udp_not_rtp || d->not_ip || d->not_udp || d->fragments ||
	    d->malformed || d->truncated)
		fprintf(f, "  skipped: %" PRIu64 " RTCP, %" PRIu64 " UDP not RTP, %" PRIu64
			" not IP, %" PRIu64 " not UDP, %" PRIu64 " IP fragments, %" PRIu64
			" malformed, %" PRIu64 " truncated\n", d->rtcp, d->udp_not_rtp, d->not_ip,
			d->not_udp, d->fragments, d->malformed, d->truncated);
	if (ci->file_truncated)
		fprintf(f, "  WARNING: capture file ends inside a packet: %s\n", ci->file_error);
	if (!strcmp(ci->tstamp, "us"))
		fprintf(f, "  WARNING: microsecond timestamps: CINST and VRX are coarse\n");
	if (ci->live_dropped)
		fprintf(f, "  WARNING: %" PRIu64 " packets dropped by the kernel\n", ci->live_dropped);
	for (i = 0; i < a->nstreams; i++) {
		const struct stream *s = a->streams[i];
		char x[32];

		stream_title(s, title, sizeof(title));
		fprintf(f, "\nstream %d: %s %s\n", s->id, kind_name(s->kind), title);
		if (s->sdp)
			fprintf(f, ROW "%s line %u%s%s\n", "SDP", a->cfg->sdp_path[s->sdp_file],
				s->sdp->line, s->sdp->mid[0] ? ", mid " : "", s->sdp->mid);
		fprintf(f, ROW "%" PRIu64 " (%" PRIu64 " bytes, %s s)\n", "packets", s->packets,
			s->bytes, us3(x, sizeof(x), (int64_t)((s->last_ns - s->first_ns) / 1000000)));
		if (s->non_rtp)
			fprintf(f, ROW "%" PRIu64 "\n", "UDP not RTP, same port", s->non_rtp);
		if (s->video)
			text_video(f, s->video, a->cfg->tai_offset_ns);
		else if (s->audio)
			text_audio(f, s->audio);
		else if (s->oseq)
			fprintf(f, ROW "lost %" PRIu64 ", reordered %" PRIu64 ", duplicates %" PRIu64 "\n",
				"sequence [pkts]", s->oseq->lost, s->oseq->reordered, s->oseq->duplicates);
	}
}

/* ---- JSON ---- */

static void json_mstat(struct jsonw *w, const char *key, const struct mstat *m)
{
	jw_obj_open(w, key);
	jw_u64(w, "samples", m->n);
	if (m->n) {
		jw_i64(w, "min", m->min);
		jw_i64(w, "avg", mstat_avg(m));
		jw_i64(w, "max", m->max);
	} else {
		jw_null(w, "min");
		jw_null(w, "avg");
		jw_null(w, "max");
	}
	jw_obj_close(w);
}

static void json_prs(struct jsonw *w, const char *key, const struct vprs *p)
{
	jw_obj_open(w, key);
	if (p->vrx.any) {
		jw_i64(w, "vrx_min_pkts", p->vrx.min);
		jw_i64(w, "vrx_max_pkts", p->vrx.max);
	} else {
		jw_null(w, "vrx_min_pkts");
		jw_null(w, "vrx_max_pkts");
	}
	jw_u64(w, "late_pkts", p->late_pkts);
	if (p->err_ns.n) {
		jw_i64(w, "sched_err_min_ns", p->err_ns.min);
		jw_i64(w, "sched_err_max_ns", p->err_ns.max);
	} else {
		jw_null(w, "sched_err_min_ns");
		jw_null(w, "sched_err_max_ns");
	}
	jw_u64(w, "beyond_horizon_pkts", p->vrx.beyond_horizon);
	jw_obj_close(w);
}

static void json_list_vrx(struct jsonw *w, const char *key, const struct vlist *l)
{
	jw_obj_open(w, key);
	if (l->vrx.n) {
		jw_i64(w, "vrx_min_pkts", l->vrx.min);
		jw_i64(w, "vrx_max_pkts", l->vrx.max);
	} else {
		jw_null(w, "vrx_min_pkts");
		jw_null(w, "vrx_max_pkts");
	}
	jw_obj_close(w);
}

static void json_video(struct jsonw *w, const struct video *v)
{
	const struct st2110_sched *g = &v->prs[ST2110_PRS_GAPPED].s;
	const struct st2110_sched *l = &v->prs[ST2110_PRS_LINEAR].s;
	char name[64];
	struct verdict vd;
	int t;

	jw_obj_open(w, "video");
	jw_str(w, "format_source", v->fmt_source);
	jw_obj_open(w, "format");
	if (v->fmt.width_px) {
		st2110_vfmt_name(&v->fmt, name, sizeof(name));
		jw_str(w, "name", name);
		jw_u64(w, "width", v->fmt.width_px);
	} else {
		jw_null(w, "name");
		jw_null(w, "width");
	}
	jw_u64(w, "height", v->fmt.height_px);
	jw_str(w, "scan", scan_name(v->fmt.scan));
	jw_u64(w, "rate_num", v->fmt.rate.num);
	jw_u64(w, "rate_den", v->fmt.rate.den);
	jw_obj_close(w);
	if (v->field_pkts) {
		jw_u64(w, "npackets", (uint64_t)v->field_pkts * v->fields);
		jw_u64(w, "marker_spacing_pkts", v->field_pkts);
	} else {
		jw_null(w, "npackets");
		jw_null(w, "marker_spacing_pkts");
	}
	jw_obj_open(w, "sequence");
	jw_u64(w, "lost_pkts", v->seq.lost);
	jw_u64(w, "reordered_pkts", v->seq.reordered);
	jw_u64(w, "duplicate_pkts", v->seq.duplicates);
	jw_u64(w, "restarts", v->seq.restarts);
	jw_bool(w, "esn_valid", !v->unwrap.esn_broken);
	jw_obj_close(w);
	jw_obj_open(w, "frames");
	jw_str(w, "unit", unit_name(v));
	jw_u64(w, "total", v->seg_total);
	jw_u64(w, "complete", v->seg_complete);
	jw_u64(w, "incomplete", v->seg_incomplete);
	jw_obj_close(w);
	jw_obj_open(w, "rtp_step_ticks");
	jw_u64(w, "samples", v->rtp_step.n);
	if (v->rtp_step.n) {
		jw_i64(w, "min", v->rtp_step.min);
		jw_i64(w, "max", v->rtp_step.max);
	} else {
		jw_null(w, "min");
		jw_null(w, "max");
	}
	jw_u64(w, "expected_min", v->step_lo);
	jw_u64(w, "expected_max", v->step_hi);
	jw_u64(w, "out_of_range", v->rtp_step_bad);
	jw_obj_close(w);
	jw_bool(w, "timing", v->timing);
	jw_str(w, "timing_error", v->why_not[0] ? v->why_not : NULL);
	if (!v->timing) {
		jw_obj_close(w);
		return;
	}
	jw_u64(w, "index_errors", v->index_errors);
	jw_obj_open(w, "schedule");
	jw_frac(w, "tframe_ns", g->tframe_d, g->den);
	jw_frac(w, "trs_gapped_ns", g->trs_d, g->den);
	jw_frac(w, "trs_linear_ns", l->trs_d, l->den);
	jw_frac(w, "tdrain_ns", g->tdrain_d, g->den);
	jw_frac(w, "troffset_ns", g->troffset_d, g->den);
	jw_str(w, "troffset_source", v->troff_given ? "troff" : "default");
	jw_obj_close(w);
	jw_u64(w, "troffset_ns", v->troffset_ns);
	json_mstat(w, "fpt_ns", &v->fpt_ns);
	json_mstat(w, "rtp_offset_ticks", &v->rtp_off);
	json_mstat(w, "latency_ns", &v->latency_ns);
	jw_obj_open(w, "limits");
	jw_u64(w, "cmax_n_pkts", g->lim.cmax_n);
	jw_u64(w, "cmax_nl_pkts", g->lim.cmax_nl);
	jw_u64(w, "cmax_w_pkts", g->lim.cmax_w);
	jw_bool(w, "cmax_w_defined", g->lim.cmax_w_defined);
	jw_u64(w, "vrx_full_n_pkts", g->lim.vrx_full_n);
	jw_u64(w, "vrx_full_w_pkts", g->lim.vrx_full_w);
	jw_u64(w, "rnominal_pps", rnominal_pps(v));
	jw_obj_close(w);
	jw_obj_open(w, "strict");
	jw_u64(w, "cinst_peak_pkts", v->c_peak);
	json_prs(w, "gapped", &v->prs[ST2110_PRS_GAPPED]);
	json_prs(w, "linear", &v->prs[ST2110_PRS_LINEAR]);
	jw_obj_close(w);
	jw_obj_open(w, "sched_err_ns");
	jw_str(w, "prs", v->ref_type == ST2110_TYPE_N ? "gapped" : "linear");
	jw_str(w, "method", "exact");
	jw_u64(w, "samples", v->err.n);
	jw_u64(w, "dropped_samples", v->err.dropped);
	if (v->err.n) {
		jw_i64(w, "p50", v->err_p50_ns);
		jw_i64(w, "p99", v->err_p99_ns);
		jw_i64(w, "max", v->prs[v->ref_type == ST2110_TYPE_N ? 0 : 1].err_ns.max);
	} else {
		jw_null(w, "p50");
		jw_null(w, "p99");
		jw_null(w, "max");
	}
	jw_obj_close(w);

	compute_verdict(v, &vd);
	jw_obj_open(w, "list");
	jw_str(w, "schedule", vd.list_linear ? "linear" : "gapped");
	jw_u64(w, "mean_gap_after_marker_ns", v->gap_n ? v->gap_sum_ns / v->gap_n : 0);
	jw_u64(w, "mean_spacing_ns", v->reg_n ? v->reg_sum_ns / v->reg_n : 0);
	jw_i64(w, "cinst_peak_pkts", v->lc_peak);
	if (vd.l->vrx.n) {
		jw_i64(w, "vrx_min_pkts", vd.l->vrx.min);
		jw_i64(w, "vrx_max_pkts", vd.l->vrx.max);
	} else {
		jw_null(w, "vrx_min_pkts");
		jw_null(w, "vrx_max_pkts");
	}
	json_list_vrx(w, "gapped", &v->list[ST2110_PRS_GAPPED]);
	json_list_vrx(w, "linear", &v->list[ST2110_PRS_LINEAR]);
	jw_str(w, "cinst", vd.list_cinst);
	jw_str(w, "vrx", vd.list_vrx);
	jw_str(w, "verdict", vd.list_verdict);
	jw_obj_close(w);

	jw_obj_open(w, "verdict");
	jw_str(w, "best_type", vd.best);
	for (t = 0; t < __ST2110_TYPE_MAX; t++) {
		jw_obj_open(w, t == ST2110_TYPE_N ? "n" : t == ST2110_TYPE_NL ? "nl" : "w");
		jw_str(w, "result", result_name(vd.t[t].result));
		jw_str(w, "reason", vd.t[t].reason[0] ? vd.t[t].reason : NULL);
		jw_obj_close(w);
	}
	jw_str(w, "declared_tp", v->declared_tp >= 0 ? type_name(v->declared_tp) : NULL);
	if (v->declared_tp >= 0) {
		jw_str(w, "declared_result", result_name(vd.t[v->declared_tp].result));
		if (vd.t[v->declared_tp].result == R_UNDEF)
			jw_null(w, "meets_declared_tp");
		else
			jw_bool(w, "meets_declared_tp", vd.t[v->declared_tp].result == R_PASS);
	} else {
		jw_null(w, "declared_result");
		jw_null(w, "meets_declared_tp");
	}
	if (v->declared_cmax >= 0) {
		jw_i64(w, "declared_cmax_pkts", v->declared_cmax);
		jw_bool(w, "meets_declared_cmax", (int64_t)v->c_peak <= v->declared_cmax);
	} else {
		jw_null(w, "declared_cmax_pkts");
		jw_null(w, "meets_declared_cmax");
	}
	jw_obj_close(w);
	jw_obj_close(w);
}

static void json_audio(struct jsonw *w, const struct audio *au)
{
	jw_obj_open(w, "audio");
	jw_u64(w, "rate_hz", au->rate_hz);
	jw_str(w, "rate_source", au->rate_source);
	jw_u64(w, "samples_per_pkt", au->spp);
	jw_str(w, "samples_per_pkt_source", au->spp_source);
	jw_u64(w, "packet_time_ns", audio_ptime_ns(au));
	if (au->channels) {
		jw_u64(w, "channels", au->channels);
		jw_u64(w, "depth_bits", au->depth_bits);
	} else {
		jw_null(w, "channels");
		jw_null(w, "depth_bits");
	}
	jw_obj_open(w, "sequence");
	jw_u64(w, "lost_pkts", au->seq.lost);
	jw_u64(w, "reordered_pkts", au->seq.reordered);
	jw_u64(w, "duplicate_pkts", au->seq.duplicates);
	jw_u64(w, "restarts", au->seq.restarts);
	jw_obj_close(w);
	json_mstat(w, "rtp_step_ticks", &au->step_ticks);
	jw_u64(w, "rtp_step_unexpected", au->step_bad);
	json_mstat(w, "interval_ns", &au->interval_ns);
	json_mstat(w, "latency_ns", &au->latency_ns);
	jw_obj_close(w);
}

void report_json(FILE *f, const struct analyzer *a, const struct capture_info *ci)
{
	const struct decode_stats *d = &a->dec;
	struct jsonw w;
	char buf[64];
	int i;

	jw_init(&w, f);
	jw_obj_open(&w, NULL);
	jw_str(&w, "tool", "st2110-analyze");
	jw_u64(&w, "schema", 1);
	jw_obj_open(&w, "input");
	jw_str(&w, "source", ci->source);
	jw_bool(&w, "live", ci->live);
	jw_str(&w, "link_type", ci->link);
	jw_str(&w, "timestamp_resolution", ci->tstamp);
	jw_str(&w, "timestamp_source", ci->live ? ci->tstamp_type : "file");
	jw_i64(&w, "tai_offset_ns", a->cfg->tai_offset_ns);
	jw_bool(&w, "file_truncated", ci->file_truncated);
	jw_str(&w, "file_error", ci->file_error[0] ? ci->file_error : NULL);
	jw_u64(&w, "kernel_dropped_pkts", ci->live_dropped);
	jw_obj_close(&w);
	jw_obj_open(&w, "packets");
	jw_u64(&w, "total", a->frames);
	jw_u64(&w, "rtp", d->rtp);
	jw_u64(&w, "rtcp", d->rtcp);
	jw_u64(&w, "udp_not_rtp", d->udp_not_rtp);
	jw_u64(&w, "not_ip", d->not_ip);
	jw_u64(&w, "not_udp", d->not_udp);
	jw_u64(&w, "ip_fragments", d->fragments);
	jw_u64(&w, "malformed", d->malformed);
	jw_u64(&w, "truncated", d->truncated);
	jw_u64(&w, "before_epoch", a->before_epoch);
	jw_u64(&w, "streams_overflow", a->streams_dropped);
	jw_obj_close(&w);
	jw_arr_open(&w, "streams");
	for (i = 0; i < a->nstreams; i++) {
		const struct stream *s = a->streams[i];

		jw_obj_open(&w, NULL);
		jw_u64(&w, "id", (uint64_t)s->id);
		jw_str(&w, "kind", kind_name(s->kind));
		addr_str(&s->dst, buf, sizeof(buf));
		jw_str(&w, "dst", buf);
		jw_u64(&w, "dst_port", s->dport);
		addr_str(&s->src, buf, sizeof(buf));
		jw_str(&w, "src", buf);
		jw_u64(&w, "src_port", s->sport);
		jw_u64(&w, "ssrc", s->ssrc);
		jw_u64(&w, "payload_type", s->pt);
		if (s->vlan)
			jw_u64(&w, "vlan", s->vlan - 1u);
		else
			jw_null(&w, "vlan");
		if (s->sdp) {
			jw_obj_open(&w, "sdp");
			jw_str(&w, "file", a->cfg->sdp_path[s->sdp_file]);
			jw_u64(&w, "line", (uint64_t)s->sdp->line);
			jw_str(&w, "mid", s->sdp->mid[0] ? s->sdp->mid : NULL);
			jw_obj_close(&w);
		} else {
			jw_null(&w, "sdp");
		}
		jw_u64(&w, "packets", s->packets);
		jw_u64(&w, "bytes", s->bytes);
		jw_u64(&w, "first_ns", s->first_ns);
		jw_u64(&w, "last_ns", s->last_ns);
		jw_u64(&w, "non_rtp_pkts", s->non_rtp);
		if (s->video)
			json_video(&w, s->video);
		else if (s->audio)
			json_audio(&w, s->audio);
		else if (s->oseq) {
			jw_obj_open(&w, "sequence");
			jw_u64(&w, "lost_pkts", s->oseq->lost);
			jw_u64(&w, "reordered_pkts", s->oseq->reordered);
			jw_u64(&w, "duplicate_pkts", s->oseq->duplicates);
			jw_obj_close(&w);
		}
		jw_obj_close(&w);
	}
	jw_arr_close(&w);
	jw_obj_close(&w);
	jw_finish(&w);
}
