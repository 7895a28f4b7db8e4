// SPDX-License-Identifier: GPL-2.0
/*
 * sdp.c - "st2110 sdp": read SDP files with libst2110util's parser.
 *
 *   st2110 sdp show FILE        the streams and their ST 2110-21 numbers
 *   st2110 sdp check FILE...    accept or reject each file (exit 0/1)
 *   st2110 sdp convert FILE     the canonical SDP (the writer's output)
 *
 * Every number comes from the timing core (include/st2110/) through
 * st2110_sdp_video_sched(): NPACKETS for the core's default payload (SDP
 * does not carry the packet size), TRS, TROFFSET, TDRAIN, CMAX, VRXFULL.
 * Text output uses human units (µs with decimals); -j uses integer ns and
 * exact fractions, see Documentation/st2110.8.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "sdp.h"
#include "st2110.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: st2110 sdp show FILE\n"
		"       st2110 sdp check FILE...\n"
		"       st2110 sdp convert FILE\n"
		"       st2110 sdp help\n"
		"FILE may be \"-\" for standard input.\n");
}

/* floor(num/den) with three decimals, e.g. "3707.407" */
static const char *dec3(char *buf, size_t size, uint64_t num, uint64_t den)
{
	uint64_t milli = st2110_muldiv_floor(num, 1000, den);

	snprintf(buf, size, "%" PRIu64 ".%03" PRIu64, milli / 1000, milli % 1000);
	return buf;
}

static void print_warnings(const char *file, const struct st2110_sdp *sdp)
{
	unsigned int i;

	/* "FILE:LINE: warning: ..." as compilers print it */
	for (i = 0; i < sdp->nwarning; i++) {
		if (sdp->warning[i].line)
			fprintf(stderr, "%s:%u: warning: %s\n", file, sdp->warning[i].line,
				sdp->warning[i].msg);
		else
			fprintf(stderr, "%s: warning: %s\n", file, sdp->warning[i].msg);
	}
	if (sdp->warnings_dropped)
		fprintf(stderr, "%s: %u more warnings\n", file, sdp->warnings_dropped);
}

static int load(const char *file, struct st2110_sdp *sdp, bool quiet)
{
	struct st2110_sdp_diag err;
	char buf[512];

	if (st2110_sdp_load(sdp, file, &err)) {
		if (!quiet) {
			print_warnings(file, sdp);
			fprintf(stderr, "%s\n", st2110_sdp_format_diag(buf, sizeof(buf), file, &err));
		}
		return EXIT_RUNTIME;
	}
	if (!quiet)
		print_warnings(file, sdp);
	return EXIT_OK;
}

/* ---- derived numbers --------------------------------------------------- */

struct vtiming {
	struct st2110_video_layout l;
	struct st2110_sched s;
	uint32_t cmax_pkts;		/* of the declared type */
	uint32_t vrx_full_pkts;
	uint64_t frame_ip_bytes;	/* every packet of a frame, IP header up */
};

static int video_timing(const struct st2110_sdp_stream *st, struct vtiming *t)
{
	unsigned int hdr = (st->dst.family == AF_INET6 ? 40 : 20) + ST2110_UDP_HDR_LEN +
			   ST2110_RTP_HDR_LEN;
	const char *reason;

	if (st2110_sdp_video_sched(st, &t->l, &t->s, &reason))
		return -EINVAL;		/* cannot happen for a parsed stream */
	switch (st->video.type) {
	case ST2110_TYPE_N:
		t->cmax_pkts = t->s.lim.cmax_n;
		t->vrx_full_pkts = t->s.lim.vrx_full_n;
		break;
	case ST2110_TYPE_NL:
		t->cmax_pkts = t->s.lim.cmax_nl;
		t->vrx_full_pkts = t->s.lim.vrx_full_n;
		break;
	default:
		t->cmax_pkts = t->s.lim.cmax_w;
		t->vrx_full_pkts = t->s.lim.vrx_full_w;
		break;
	}
	/* the ESN and SRD headers are the timing core's to count */
	t->frame_ip_bytes = st2110_video_frame_bytes(&t->l, hdr);
	return 0;
}

/* bytes per frame (or packet) * 8 * num/den per second */
static uint64_t bps(uint64_t bytes, uint64_t num, uint64_t den)
{
	return st2110_muldiv_floor(bytes * 8, num, den);
}

static uint32_t audio_ip_bytes(const struct st2110_sdp_stream *st)
{
	return (st->dst.family == AF_INET6 ? 40 : 20) + ST2110_UDP_HDR_LEN + ST2110_RTP_HDR_LEN +
	       st2110_audio_payload_bytes(&st->audio.fmt);
}

/* ---- text output ------------------------------------------------------- */

static const char *rate_str(char *buf, size_t size, const struct st2110_rate *r)
{
	char d[32];

	if (r->den == 1)
		snprintf(buf, size, "%u", r->num);
	else
		snprintf(buf, size, "%u/%u (%s)", r->num, r->den,
			 dec3(d, sizeof(d), r->num, r->den));
	return buf;
}

static void print_refclk(const struct st2110_sdp_refclk *rc)
{
	const uint8_t *g = rc->gmid;

	switch (rc->kind) {
	case ST2110_REFCLK_LOCALMAC:
		printf("localmac %02X-%02X-%02X-%02X-%02X-%02X", rc->mac[0], rc->mac[1],
		       rc->mac[2], rc->mac[3], rc->mac[4], rc->mac[5]);
		return;
	case ST2110_REFCLK_PTP_TRACEABLE:
		printf("ptp %s traceable", st2110_sdp_ptp_version_name(rc->version));
		return;
	}
	printf("ptp %s %02X-%02X-%02X-%02X-%02X-%02X-%02X-%02X",
	       st2110_sdp_ptp_version_name(rc->version), g[0], g[1], g[2], g[3], g[4], g[5],
	       g[6], g[7]);
	if (rc->has_domain)
		printf(" domain %u", rc->domain);
}

static void print_video(const struct st2110_sdp_stream *st)
{
	const struct st2110_sdp_video *vd = &st->video;
	const struct st2110_video_fmt *fmt = &vd->fmt;
	const struct st2110_sched *s;
	struct vtiming t;
	char b1[64], b2[64], b3[64];

	printf("    %ux%u %s %s fps, %s %s-bit, %s, %s, %s%s\n", fmt->width_px, fmt->height_px,
	       st2110_sdp_scan_name(fmt->scan), rate_str(b1, sizeof(b1), &fmt->rate),
	       st2110_sampling_name(fmt->sampling), st2110_depth_name(fmt->depth),
	       st2110_sdp_packing_name(fmt->packing), st2110_sdp_colorimetry_name(vd->colorimetry),
	       st2110_sdp_type_name(vd->type), vd->tp_assumed ? " (assumed: no TP)" : "");
	if (video_timing(st, &t))
		return;
	s = &t.s;
	printf("    npackets %u (%u-byte payload) trs %s ns troffset %s ns%s cmax %u vrxfull %u\n",
	       t.l.npackets, t.l.payload_bytes, dec3(b1, sizeof(b1), s->trs_d, s->den),
	       dec3(b2, sizeof(b2), s->troffset_d, s->den),
	       s->troffset_is_default ? " (default)" : " (TROFF)", t.cmax_pkts, t.vrx_full_pkts);
	if (!show_details)
		return;
	printf("    tframe %s ns tdrain %s ns rnominal %s pkt/s prs %s\n",
	       dec3(b1, sizeof(b1), s->tframe_ns.num, s->tframe_ns.den),
	       dec3(b2, sizeof(b2), s->tdrain_ns.num, s->tdrain_ns.den),
	       dec3(b3, sizeof(b3), (uint64_t)t.l.npackets * s->rate.num, s->rate.den),
	       s->prs == ST2110_PRS_GAPPED ? "gapped" : "linear");
	printf("    limits: cmax N %u NL %u W %u%s vrxfull N %u W %u\n", s->lim.cmax_n,
	       s->lim.cmax_nl, s->lim.cmax_w,
	       s->lim.cmax_w_defined ? "" : " (W not defined at >= 900000 pkt/s)",
	       s->lim.vrx_full_n, s->lim.vrx_full_w);
	printf("    troff %" PRIu64 " us, ractive %llu/%llu, %" PRIu64 " bit/s at IP\n",
	       (uint64_t)st2110_sched_troff_us(s), (unsigned long long)s->ractive.num,
	       (unsigned long long)s->ractive.den,
	       bps(t.frame_ip_bytes, fmt->rate.num, fmt->rate.den));
	printf("    SSN %s", st2110_sdp_ssn_name(vd->ssn));
	printf(" TCS %s", vd->tcs ? st2110_sdp_tcs_name(vd->tcs) : "SDR (default)");
	printf(" RANGE %s", vd->range ? st2110_sdp_range_name(vd->range) : "NARROW (default)");
	if (vd->par_w)
		printf(" PAR %u:%u", vd->par_w, vd->par_h);
	if (vd->has_troff)
		printf(" TROFF %u", vd->troff_us);
	if (vd->cmax_pkts)
		printf(" CMAX %u", vd->cmax_pkts);
	if (vd->maxudp_bytes)
		printf(" MAXUDP %u", vd->maxudp_bytes);
	printf("\n");
}

static void print_audio(const struct st2110_sdp_stream *st)
{
	const struct st2110_audio_fmt *a = &st->audio.fmt;
	struct st2110_frac ptime = { 0, 1 };
	char b1[32];

	st2110_audio_ptime(a, &ptime);
	printf("    L%u %u Hz %u ch, ptime %s us (%u samples), %u-byte payload\n", a->depth_bits,
	       a->rate_hz, a->channels, dec3(b1, sizeof(b1), ptime.num, (uint64_t)ptime.den * 1000),
	       a->samples_per_pkt, st2110_audio_payload_bytes(a));
	if (st->audio.channel_order[0])
		printf("    channel-order %s\n", st->audio.channel_order);
	if (show_details)
		printf("    %s pkt/s, %" PRIu64 " bit/s at IP\n",
		       dec3(b1, sizeof(b1), a->rate_hz, a->samples_per_pkt),
		       bps(audio_ip_bytes(st), a->rate_hz, a->samples_per_pkt));
}

static void print_stream(const struct st2110_sdp *sdp, unsigned int i)
{
	const struct st2110_sdp_stream *st = &sdp->stream[i];
	char a[INET6_ADDRSTRLEN];
	unsigned int k;

	printf("stream %u: %s %s port %u", i, st2110_sdp_media_name(st->media),
	       st2110_sdp_addr_str(&st->dst, a, sizeof(a)), st->port);
	if (st->ttl)
		printf(" ttl %u", st->ttl);
	printf(" pt %u", st->pt);
	if (st->mid[0])
		printf(" mid %s", st->mid);
	if (st->dup_group >= 0)
		printf(" dup-group %d", st->dup_group);
	if (st->has_ssrc)
		printf(" ssrc %u", st->ssrc);
	printf("\n");
	if (st->filter.present) {
		printf("    source-filter %s", st->filter.exclude ? "excl" : "incl");
		for (k = 0; k < st->filter.nsrc; k++)
			printf(" %s", st2110_sdp_addr_str(&st->filter.src[k], a, sizeof(a)));
		printf("\n");
	}
	switch (st->media) {
	case ST2110_SDP_VIDEO:
		print_video(st);
		break;
	case ST2110_SDP_AUDIO:
		print_audio(st);
		break;
	case ST2110_SDP_ANC:
		printf("    smpte291 ancillary data (ST 2110-40)");
		for (k = 0; k < st->anc.ndid; k++)
			printf(" DID_SDID 0x%02X,0x%02X", st->anc.did_sdid[k][0], st->anc.did_sdid[k][1]);
		printf("\n");
		break;
	}
	for (k = 0; k < st->nrefclk; k++) {
		printf("    refclk ");
		print_refclk(&st->refclk[k]);
		printf("\n");
	}
}

/* ---- JSON output ------------------------------------------------------- */

static json_t *addr_json(const struct st2110_sdp_addr *addr)
{
	char a[INET6_ADDRSTRLEN];

	return json_string(st2110_sdp_addr_str(addr, a, sizeof(a)));
}

static json_t *refclk_json(const struct st2110_sdp_refclk *rc)
{
	json_t *o = json_object();
	const uint8_t *g = rc->gmid;

	switch (rc->kind) {
	case ST2110_REFCLK_LOCALMAC:
		st2110_json_set(o, "type", json_string("localmac"));
		st2110_json_set(o, "mac", json_sprintf("%02X-%02X-%02X-%02X-%02X-%02X",
				rc->mac[0], rc->mac[1], rc->mac[2], rc->mac[3], rc->mac[4], rc->mac[5]));
		return o;
	case ST2110_REFCLK_PTP_TRACEABLE:
		st2110_json_set(o, "type", json_string("ptp"));
		if (rc->version)
			st2110_json_set(o, "version", json_string(st2110_sdp_ptp_version_name(rc->version)));
		st2110_json_set(o, "traceable", json_true());
		return o;
	}
	st2110_json_set(o, "type", json_string("ptp"));
	st2110_json_set(o, "version", json_string(st2110_sdp_ptp_version_name(rc->version)));
	st2110_json_set(o, "gmid", json_sprintf("%02X-%02X-%02X-%02X-%02X-%02X-%02X-%02X",
			g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7]));
	if (rc->has_domain)
		st2110_json_set(o, "domain", json_integer(rc->domain));
	return o;
}

/* name_ns (floored) and name_ns_frac (exact) */
static void set_ns(json_t *o, const char *name, uint64_t num, uint64_t den)
{
	char key[64];

	st2110_json_set(o, name, st2110_json_u64(num / den));
	snprintf(key, sizeof(key), "%s_frac", name);
	st2110_json_set(o, key, st2110_json_frac(num, den));
}

static json_t *video_json(const struct st2110_sdp_stream *st)
{
	const struct st2110_sdp_video *vd = &st->video;
	const struct st2110_video_fmt *fmt = &vd->fmt;
	json_t *o = json_object(), *tj;
	const struct st2110_sched *s;
	struct vtiming t;

	st2110_json_set(o, "width", json_integer(fmt->width_px));
	st2110_json_set(o, "height", json_integer(fmt->height_px));
	st2110_json_set(o, "exactframerate", st2110_json_frac(fmt->rate.num, fmt->rate.den));
	st2110_json_set(o, "scan", json_string(st2110_sdp_scan_name(fmt->scan)));
	st2110_json_set(o, "sampling", json_string(st2110_sampling_name(fmt->sampling)));
	st2110_json_set(o, "depth", json_string(st2110_depth_name(fmt->depth)));
	st2110_json_set(o, "pm", json_string(st2110_sdp_packing_name(fmt->packing)));
	st2110_json_set(o, "colorimetry", json_string(st2110_sdp_colorimetry_name(vd->colorimetry)));
	st2110_json_set(o, "ssn", json_string(st2110_sdp_ssn_name(vd->ssn)));
	st2110_json_set(o, "tp", json_string(st2110_sdp_type_name(vd->type)));
	st2110_json_set(o, "tp_assumed", json_boolean(vd->tp_assumed));
	if (vd->tcs)
		st2110_json_set(o, "tcs", json_string(st2110_sdp_tcs_name(vd->tcs)));
	if (vd->range)
		st2110_json_set(o, "range", json_string(st2110_sdp_range_name(vd->range)));
	if (vd->par_w)
		st2110_json_set(o, "par", json_sprintf("%u:%u", vd->par_w, vd->par_h));
	if (vd->has_troff)
		st2110_json_set(o, "troff_us", json_integer(vd->troff_us));
	if (vd->cmax_pkts)
		st2110_json_set(o, "cmax_pkts", json_integer(vd->cmax_pkts));
	if (vd->maxudp_bytes)
		st2110_json_set(o, "maxudp_bytes", json_integer(vd->maxudp_bytes));
	if (video_timing(st, &t))
		return o;

	s = &t.s;
	tj = json_object();
	st2110_json_set(tj, "npackets", json_integer(t.l.npackets));
	st2110_json_set(tj, "payload_bytes", json_integer(t.l.payload_bytes));
	st2110_json_set(tj, "prs", json_string(s->prs == ST2110_PRS_GAPPED ? "gapped" : "linear"));
	set_ns(tj, "tframe_ns", s->tframe_ns.num, s->tframe_ns.den);
	set_ns(tj, "trs_ns", s->trs_d, s->den);
	set_ns(tj, "troffset_ns", s->troffset_d, s->den);
	st2110_json_set(tj, "troffset_default", json_boolean(s->troffset_is_default));
	st2110_json_set(tj, "troff_us", st2110_json_u64(st2110_sched_troff_us(s)));
	set_ns(tj, "tdrain_ns", s->tdrain_ns.num, s->tdrain_ns.den);
	st2110_json_set(tj, "rnominal_pps", st2110_json_u64((uint64_t)t.l.npackets * s->rate.num / s->rate.den));
	st2110_json_set(tj, "rnominal_pps_frac", st2110_json_frac((uint64_t)t.l.npackets * s->rate.num, s->rate.den));
	st2110_json_set(tj, "ractive", st2110_json_frac(s->ractive.num, s->ractive.den));
	st2110_json_set(tj, "cmax_pkts", json_integer(t.cmax_pkts));
	st2110_json_set(tj, "vrx_full_pkts", json_integer(t.vrx_full_pkts));
	st2110_json_set(tj, "cmax_n_pkts", json_integer(s->lim.cmax_n));
	st2110_json_set(tj, "cmax_nl_pkts", json_integer(s->lim.cmax_nl));
	st2110_json_set(tj, "cmax_w_pkts", json_integer(s->lim.cmax_w));
	st2110_json_set(tj, "cmax_w_defined", json_boolean(s->lim.cmax_w_defined));
	st2110_json_set(tj, "vrx_full_n_pkts", json_integer(s->lim.vrx_full_n));
	st2110_json_set(tj, "vrx_full_w_pkts", json_integer(s->lim.vrx_full_w));
	st2110_json_set(tj, "ip_bps", st2110_json_u64(bps(t.frame_ip_bytes, fmt->rate.num, fmt->rate.den)));
	st2110_json_set(o, "timing", tj);
	return o;
}

static json_t *audio_json(const struct st2110_sdp_stream *st)
{
	const struct st2110_audio_fmt *a = &st->audio.fmt;
	struct st2110_frac ptime = { 0, 1 };
	json_t *o = json_object();

	st2110_audio_ptime(a, &ptime);
	st2110_json_set(o, "encoding", json_sprintf("L%u", a->depth_bits));
	st2110_json_set(o, "rate_hz", json_integer(a->rate_hz));
	st2110_json_set(o, "channels", json_integer(a->channels));
	st2110_json_set(o, "samples_per_pkt", json_integer(a->samples_per_pkt));
	set_ns(o, "ptime_ns", ptime.num, ptime.den);
	if (st->audio.maxptime_ns)
		st2110_json_set(o, "maxptime_ns", st2110_json_u64(st->audio.maxptime_ns));
	if (st->audio.channel_order[0])
		st2110_json_set(o, "channel_order", json_string(st->audio.channel_order));
	st2110_json_set(o, "payload_bytes", json_integer(st2110_audio_payload_bytes(a)));
	st2110_json_set(o, "ip_bps", st2110_json_u64(bps(audio_ip_bytes(st), a->rate_hz, a->samples_per_pkt)));
	return o;
}

static json_t *stream_json(const struct st2110_sdp *sdp, unsigned int i)
{
	const struct st2110_sdp_stream *st = &sdp->stream[i];
	json_t *o = json_object(), *arr, *f;
	unsigned int k;

	st2110_json_set(o, "index", json_integer(i));
	st2110_json_set(o, "media", json_string(st2110_sdp_media_name(st->media)));
	if (st->mid[0])
		st2110_json_set(o, "mid", json_string(st->mid));
	if (st->dup_group >= 0)
		st2110_json_set(o, "dup_group", json_integer(st->dup_group));
	st2110_json_set(o, "dst", addr_json(&st->dst));
	st2110_json_set(o, "port", json_integer(st->port));
	if (st->ttl)
		st2110_json_set(o, "ttl", json_integer(st->ttl));
	st2110_json_set(o, "pt", json_integer(st->pt));
	st2110_json_set(o, "clock_hz", json_integer(st->clock_hz));
	if (st->has_ssrc)
		st2110_json_set(o, "ssrc", json_integer(st->ssrc));
	if (st->filter.present) {
		f = json_object();
		st2110_json_set(f, "mode", json_string(st->filter.exclude ? "excl" : "incl"));
		st2110_json_set(f, "dst", st->filter.any_dst ? json_string("*") : addr_json(&st->filter.dst));
		arr = json_array();
		for (k = 0; k < st->filter.nsrc; k++)
			json_array_append_new(arr, addr_json(&st->filter.src[k]));
		st2110_json_set(f, "sources", arr);
		st2110_json_set(o, "source_filter", f);
	}
	arr = json_array();
	for (k = 0; k < st->nrefclk; k++)
		json_array_append_new(arr, refclk_json(&st->refclk[k]));
	st2110_json_set(o, "refclk", arr);
	switch (st->media) {
	case ST2110_SDP_VIDEO:
		st2110_json_set(o, "video", video_json(st));
		break;
	case ST2110_SDP_AUDIO:
		st2110_json_set(o, "audio", audio_json(st));
		break;
	case ST2110_SDP_ANC:
		arr = json_array();
		for (k = 0; k < st->anc.ndid; k++)
			json_array_append_new(arr, json_sprintf("0x%02X,0x%02X", st->anc.did_sdid[k][0],
								st->anc.did_sdid[k][1]));
		f = json_object();
		st2110_json_set(f, "did_sdid", arr);
		if (st->anc.has_vpid)
			st2110_json_set(f, "vpid_code", json_integer(st->anc.vpid_code));
		st2110_json_set(o, "anc", f);
		break;
	}
	return o;
}

static json_t *warnings_json(const struct st2110_sdp *sdp)
{
	json_t *arr = json_array(), *w;
	unsigned int i;

	for (i = 0; i < sdp->nwarning; i++) {
		w = json_object();
		st2110_json_set(w, "line", json_integer(sdp->warning[i].line));
		st2110_json_set(w, "message", json_string(sdp->warning[i].msg));
		json_array_append_new(arr, w);
	}
	return arr;
}

static json_t *sdp_json(const char *file, const struct st2110_sdp *sdp)
{
	json_t *o = json_object(), *s = json_object(), *arr, *g, *mids;
	unsigned int i, k;

	st2110_json_set(o, "file", json_string(file));
	st2110_json_set(s, "name", json_string(sdp->name));
	if (sdp->info[0])
		st2110_json_set(s, "info", json_string(sdp->info));
	st2110_json_set(s, "username", json_string(sdp->user));
	st2110_json_set(s, "sess_id", st2110_json_u64(sdp->sess_id));
	st2110_json_set(s, "sess_version", st2110_json_u64(sdp->sess_version));
	st2110_json_set(s, "origin", json_string(sdp->origin_addr));
	st2110_json_set(o, "session", s);
	arr = json_array();
	for (i = 0; i < sdp->nstream; i++)
		json_array_append_new(arr, stream_json(sdp, i));
	st2110_json_set(o, "streams", arr);
	arr = json_array();
	for (i = 0; i < sdp->ngroup; i++) {
		g = json_object();
		mids = json_array();
		st2110_json_set(g, "semantics", json_string("DUP"));
		for (k = 0; k < sdp->group[i].nstream; k++)
			json_array_append_new(mids, json_string(sdp->stream[sdp->group[i].stream[k]].mid));
		st2110_json_set(g, "mids", mids);
		json_array_append_new(arr, g);
	}
	st2110_json_set(o, "groups", arr);
	st2110_json_set(o, "warnings", warnings_json(sdp));
	return o;
}

/* ---- commands ---------------------------------------------------------- */

static int sdp_show(int argc, char **argv)
{
	struct st2110_sdp *sdp;
	unsigned int i;
	int ret;

	if (argc < 1)
		return incomplete_command();
	if (argc > 1)
		return errorf(EXIT_USAGE, "\"sdp show\" takes one FILE, \"%s\" is a garbage", argv[1]);
	sdp = malloc(sizeof(*sdp));
	if (!sdp)
		return errorf(EXIT_RUNTIME, "out of memory");
	ret = load(argv[0], sdp, false);
	if (ret == EXIT_OK) {
		if (json) {
			if (st2110_json_print(stdout, sdp_json(argv[0], sdp), pretty))
				ret = errorf(EXIT_RUNTIME, "cannot write JSON");
		} else {
			printf("session \"%s\"%s%s%s\n", sdp->name, sdp->info[0] ? " (" : "",
			       sdp->info, sdp->info[0] ? ")" : "");
			for (i = 0; i < sdp->nstream; i++)
				print_stream(sdp, i);
			for (i = 0; i < sdp->ngroup; i++)
				printf("dup-group %u: streams %u and %u (ST 2022-7)\n", i,
				       sdp->group[i].stream[0], sdp->group[i].stream[1]);
		}
	}
	free(sdp);
	return ret;
}

static int sdp_check(int argc, char **argv)
{
	struct st2110_sdp *sdp;
	struct st2110_sdp_diag err;
	json_t *arr = json_array(), *o, *e;
	char buf[512];
	int i, ret = EXIT_OK;

	if (argc < 1) {
		json_decref(arr);
		return incomplete_command();
	}
	sdp = malloc(sizeof(*sdp));
	if (!sdp) {
		json_decref(arr);
		return errorf(EXIT_RUNTIME, "out of memory");
	}
	for (i = 0; i < argc; i++) {
		int r = st2110_sdp_load(sdp, argv[i], &err);

		if (r)
			ret = EXIT_RUNTIME;
		if (json) {
			o = json_object();
			st2110_json_set(o, "file", json_string(argv[i]));
			st2110_json_set(o, "ok", json_boolean(!r));
			if (!r) {
				st2110_json_set(o, "streams", json_integer(sdp->nstream));
			} else {
				e = json_object();
				if (err.line)
					st2110_json_set(e, "line", json_integer(err.line));
				st2110_json_set(e, "message", json_string(err.msg));
				st2110_json_set(o, "error", e);
			}
			st2110_json_set(o, "warnings", warnings_json(sdp));
			json_array_append_new(arr, o);
			continue;
		}
		print_warnings(argv[i], sdp);
		if (r)
			fprintf(stderr, "%s\n", st2110_sdp_format_diag(buf, sizeof(buf), argv[i], &err));
		else
			printf("%s: ok, %u stream%s\n", argv[i], sdp->nstream,
			       sdp->nstream == 1 ? "" : "s");
	}
	free(sdp);
	if (json) {
		if (st2110_json_print(stdout, arr, pretty))
			return errorf(EXIT_RUNTIME, "cannot write JSON");
	} else {
		json_decref(arr);
	}
	return ret;
}

static int sdp_convert(int argc, char **argv)
{
	struct st2110_sdp *sdp;
	int ret;

	if (argc < 1)
		return incomplete_command();
	if (argc > 1)
		return errorf(EXIT_USAGE, "\"sdp convert\" takes one FILE, \"%s\" is a garbage", argv[1]);
	sdp = malloc(sizeof(*sdp));
	if (!sdp)
		return errorf(EXIT_RUNTIME, "out of memory");
	ret = load(argv[0], sdp, false);
	if (ret == EXIT_OK && st2110_sdp_write(stdout, sdp))
		ret = errorf(EXIT_RUNTIME, "cannot write the SDP: %s", strerror(errno));
	free(sdp);
	return ret;
}

int do_sdp(int argc, char **argv)
{
	if (argc < 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!matches(*argv, "show") || !matches(*argv, "list"))
		return sdp_show(argc - 1, argv + 1);
	if (!matches(*argv, "check"))
		return sdp_check(argc - 1, argv + 1);
	if (!matches(*argv, "convert"))
		return sdp_convert(argc - 1, argv + 1);
	if (!matches(*argv, "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	return unknown_command("sdp", *argv);
}
