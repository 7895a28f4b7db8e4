// SPDX-License-Identifier: GPL-2.0
/*
 * stream.c - stream table, per-packet records and the learning phase.
 *
 * A stream is (destination address, destination port, SSRC).  Its first
 * packets are held in a learning buffer until what the timing needs is
 * known: the kind (video, audio, other), NPACKETS from the spacing of
 * marker packets (seen twice in a row, so one lost marker cannot fool it),
 * and, without an SDP or --video, the frame rate from RTP timestamp steps,
 * the scan from the SRD F bit and the height from SRD row numbers.  Then
 * the buffer is replayed through the analyzers, which see every packet
 * exactly once and in capture order either way.
 */
#include <stdlib.h>
#include <string.h>

#include "analyze.h"

#define CLASSIFY_PKTS	16		/* packets before deciding the kind */
#define LEARN_MAX_PKTS	(1U << 21)	/* give up learning past this */
#define AUDIO_LEARN_NS	20000000ULL	/* 20 ms of audio to estimate the rate */
#define MAX_STEP_TICKS	(1U << 20)

const char *kind_name(int kind)
{
	switch (kind) {
	case KIND_VIDEO:	return "video";
	case KIND_AUDIO:	return "audio";
	case KIND_OTHER:	return "other";
	}
	return "unknown";
}

int analyzer_init(struct analyzer *a, const struct config *cfg)
{
	memset(a, 0, sizeof(*a));
	a->cfg = cfg;
	a->table_mask = 2 * MAX_STREAMS - 1;
	a->table = calloc(a->table_mask + 1, sizeof(*a->table));
	return a->table ? 0 : -1;
}

static uint32_t key_hash(const struct addr *dst, uint16_t port, uint32_t ssrc)
{
	uint32_t h = 2166136261U;
	int i, n = dst->family == 6 ? 16 : 4;

	for (i = 0; i < n; i++)
		h = (h ^ dst->a[i]) * 16777619U;
	h = (h ^ port) * 16777619U;
	h = (h ^ ssrc) * 16777619U;
	return h ^ (h >> 15);
}

static bool key_eq(const struct stream *s, const struct addr *dst, uint16_t port,
		   uint32_t ssrc)
{
	return s->dport == port && s->ssrc == ssrc && s->dst.family == dst->family &&
	       !memcmp(s->dst.a, dst->a, sizeof(dst->a));
}

/* An SDP c= address in the decoder's form (family 4 or 6). */
static struct addr sdp_addr(const struct st2110_sdp_addr *a)
{
	struct addr r = { 0 };

	if (a->family == AF_INET) {
		r.family = 4;
		memcpy(r.a, &a->u.v4, sizeof(a->u.v4));
	} else if (a->family == AF_INET6) {
		r.family = 6;
		memcpy(r.a, &a->u.v6, sizeof(a->u.v6));
	}
	return r;
}

/* The SDP media section for a destination: address and port, else port. */
static const struct st2110_sdp_stream *sdp_match(const struct config *cfg,
						 const struct addr *dst,
						 uint16_t port, int *file)
{
	const struct st2110_sdp_stream *by_port = NULL;
	int f, by_port_file = -1, nport = 0;
	unsigned int i;

	for (f = 0; f < cfg->nsdp; f++) {
		for (i = 0; i < cfg->sdp[f].nstream; i++) {
			const struct st2110_sdp_stream *m = &cfg->sdp[f].stream[i];
			struct addr a = sdp_addr(&m->dst);

			if (m->port != port)
				continue;
			if (a.family == dst->family && !memcmp(a.a, dst->a, sizeof(dst->a))) {
				*file = f;
				return m;
			}
			if (!by_port) {
				by_port = m;
				by_port_file = f;
			}
			nport++;
		}
	}
	/* a port shared by several sections is ambiguous without the address */
	if (nport == 1) {
		*file = by_port_file;
		return by_port;
	}
	return NULL;
}

static struct stream *stream_get(struct analyzer *a, const struct rtp_pkt *p)
{
	uint32_t i = key_hash(&p->dst, p->dport, p->ssrc) & a->table_mask;
	struct stream *s;

	if (a->last && key_eq(a->last, &p->dst, p->dport, p->ssrc))
		return a->last;
	for (; a->table[i]; i = (i + 1) & a->table_mask) {
		s = a->streams[a->table[i] - 1];
		if (key_eq(s, &p->dst, p->dport, p->ssrc))
			return a->last = s;
	}
	if (a->nstreams == MAX_STREAMS)
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->id = a->nstreams;
	s->dst = p->dst;
	s->src = p->src;
	s->dport = p->dport;
	s->sport = p->sport;
	s->vlan = p->vlan;
	s->ssrc = p->ssrc;
	s->pt = p->pt;
	s->sdp_file = -1;
	s->sdp = sdp_match(a->cfg, &p->dst, p->dport, &s->sdp_file);
	s->learning = true;
	a->streams[a->nstreams++] = s;
	a->table[i] = (uint32_t)a->nstreams;
	return a->last = s;
}

static inline uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* ST 2110-20 payload header: ESN, then up to three SRD headers. */
static void read_srd(const struct rtp_pkt *p, struct rec *r)
{
	uint32_t off = 2, i;

	if (p->payload_caplen < 2)
		return;
	r->esn = rd16(p->payload);
	for (i = 0; i < ST2110_20_MAX_SRD && off + ST2110_20_SRD_LEN <= p->payload_caplen; i++) {
		uint16_t row = rd16(p->payload + off + 2), offs = rd16(p->payload + off + 4);
		uint16_t rown = row & ST2110_20_SRD_ROW_MASK;

		if (!i) {
			r->flags |= REC_SRD;
			if (row & ST2110_20_SRD_F)
				r->flags |= REC_F;
		}
		if (rown > r->row_max)
			r->row_max = rown;
		if (rown & 1)
			r->flags |= REC_ODD_ROW;
		off += ST2110_20_SRD_LEN;
		if (!(offs & ST2110_20_SRD_C))
			break;
	}
}

static void dispatch(struct stream *s, const struct rec *r)
{
	switch (s->kind) {
	case KIND_VIDEO:
		video_pkt(s->video, r);
		break;
	case KIND_AUDIO:
		audio_pkt(s->audio, r);
		break;
	default:
		if (s->oseq)
			seq_update(s->oseq, seq_unwrap(&s->ounwrap, 0, r->seq));
		break;
	}
}

static void learn_observe(struct learn *l, const struct rec *r)
{
	uint32_t ext32 = r->flags & REC_SRD ? st2110_seq_ext(r->esn, r->seq) : r->seq, sp;
	int32_t step;

	if (l->n == 1) {
		l->first_ext32 = ext32;
		l->first_seq = r->seq;
		l->last_ts = r->ts;
	} else if (r->ts != l->last_ts) {
		l->ts_changes++;
		step = (int32_t)(r->ts - l->last_ts);
		/* reordered packets step back: only forward steps count */
		if (step > 0) {
			if (l->nsteps < sizeof(l->steps) / sizeof(l->steps[0]) &&
			    step < (int32_t)MAX_STEP_TICKS)
				l->steps[l->nsteps++] = (uint32_t)step;
			l->last_ts = r->ts;
		}
	}
	if (r->flags & REC_SRD)
		l->srd_pkts++;
	if (r->flags & REC_F) {
		l->f1_seen = true;
		if (!l->prev_f1) {
			if (r->ts == l->f0_ts)
				l->psf_votes++;
			else
				l->interlace_votes++;
		}
		l->prev_f1 = true;
	} else {
		l->f0_ts = r->ts;
		l->prev_f1 = false;
	}
	if (r->row_max > l->row_max)
		l->row_max = r->row_max;
	if (r->flags & REC_ODD_ROW)
		l->odd_row = true;
	if (!(r->flags & REC_MARKER))
		return;
	l->marker_pkts++;
	if (!l->nmarkers) {
		sp = ext32 - l->first_ext32;
		if (sp >= 1U << 21)
			sp = (uint16_t)(r->seq - l->first_seq);
		l->first_marker_delta = sp < 0x8000 ? sp : 0;
	} else {
		sp = ext32 - l->last_marker_ext32;
		/* an ESN stuck at one value: fall back to the 16-bit sequence */
		if (sp >= 1U << 21)
			sp = (uint16_t)(r->seq - l->last_marker_seq);
		if (sp && sp == l->spacing)
			l->spacing_ok = sp;
		l->spacing = sp;
	}
	l->last_marker_ext32 = ext32;
	l->last_marker_seq = r->seq;
	l->nmarkers++;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static uint32_t median_step(const struct learn *l)
{
	uint32_t v[64];

	if (!l->nsteps)
		return 0;
	memcpy(v, l->steps, l->nsteps * sizeof(v[0]));
	qsort(v, l->nsteps, sizeof(v[0]), cmp_u32);
	return v[l->nsteps / 2];
}

static int classify(const struct analyzer *a, const struct stream *s)
{
	const struct learn *l = &s->learn;

	if (s->sdp)
		return s->sdp->media == ST2110_SDP_VIDEO ? KIND_VIDEO :
		       s->sdp->media == ST2110_SDP_AUDIO ? KIND_AUDIO : KIND_OTHER;
	if (l->n < 2)
		return KIND_OTHER;
	/* a new timestamp on (nearly) every packet: audio, or ANC */
	if (l->ts_changes * 4 >= (l->n - 1) * 3) {
		/* ST 2110-40 marks the last packet of each frame: nearly all */
		if (l->marker_pkts * 2 > l->n)
			return KIND_OTHER;
		return median_step(l) <= 1000 ? KIND_AUDIO : KIND_OTHER;
	}
	if (a->cfg->have_video || l->srd_pkts * 2 >= l->n)
		return KIND_VIDEO;
	return KIND_OTHER;
}

/* Picture rates an RTP step can name; interlaced halves them afterwards. */
static const struct st2110_rate picture_rates[] = {
	{ 24000, 1001 }, { 24, 1 }, { 25, 1 }, { 30000, 1001 }, { 30, 1 },
	{ 48000, 1001 }, { 48, 1 }, { 50, 1 }, { 60000, 1001 }, { 60, 1 },
	{ 100, 1 }, { 120000, 1001 }, { 120, 1 },
};

/*
 * Steps are whole ticks of a possibly fractional period (1501.5 at 59.94):
 * sum T ticks over P pictures (a step of k periods counts k) and take the
 * standard rate whose P-picture span is nearest to T.  T < 2^26: P pictures
 * of any candidate rate fit the 32-bit RTP timestamp without wrapping.
 */
static int learn_rate(const struct learn *l, struct st2110_rate *r)
{
	uint64_t T = 0, P = 0, best_err = UINT64_MAX;
	uint32_t m = UINT32_MAX, i;
	int best = -1;

	for (i = 0; i < l->nsteps; i++)
		if (l->steps[i] < m)
			m = l->steps[i];
	if (!l->nsteps || !m)
		return -1;
	for (i = 0; i < l->nsteps; i++) {
		T += l->steps[i];
		P += (l->steps[i] + m / 2) / m;
	}
	for (i = 0; i < sizeof(picture_rates) / sizeof(picture_rates[0]); i++) {
		/* ticks of P pictures at this rate, from the timing core */
		uint64_t e = st2110_rtp_video_ts(&picture_rates[i], P, 0);
		uint64_t err = T > e ? T - e : e - T;

		if (err < best_err) {
			best_err = err;
			best = (int)i;
		}
	}
	/* within half a tick per picture, plus the floor of the last one */
	if (best < 0 || best_err * 2 > P + 2)
		return -1;
	*r = picture_rates[best];
	return 0;
}

static void learn_video(const struct analyzer *a, struct stream *s, struct video *v)
{
	const struct learn *l = &s->learn;
	uint32_t rows;

	if (s->sdp && s->sdp->media == ST2110_SDP_VIDEO) {
		v->fmt = s->sdp->video.fmt;
		v->fmt_source = "sdp";
	} else if (a->cfg->have_video) {
		v->fmt = a->cfg->video;
		v->fmt_source = "cli";
	} else {
		v->fmt_source = "learned";
		v->fmt.scan = !l->f1_seen ? ST2110_SCAN_PROGRESSIVE :
			      l->psf_votes > l->interlace_votes ? ST2110_SCAN_PSF :
			      ST2110_SCAN_INTERLACED;
		if (learn_rate(l, &v->fmt.rate)) {
			snprintf(v->why_not, sizeof(v->why_not),
				 "frame rate not recognized from RTP timestamp steps (median %u ticks): give --sdp or --video",
				 median_step(l));
		} else if (v->fmt.scan == ST2110_SCAN_INTERLACED) {
			if (v->fmt.rate.num % 2)
				v->fmt.rate.den *= 2;
			else
				v->fmt.rate.num /= 2;
		}
		/* 4:2:0 numbers row pairs, so only even rows ever appear */
		rows = l->row_max + (l->odd_row || !l->row_max ? 1 : 2);
		v->fmt.height_px = rows * (v->fmt.scan == ST2110_SCAN_PROGRESSIVE ? 1 : 2);
		if (!l->srd_pkts && !v->why_not[0])
			snprintf(v->why_not, sizeof(v->why_not),
				 "no ST 2110-20 payload header captured (snap length?): height unknown, give --sdp or --video");
	}
	v->fields = v->fmt.scan == ST2110_SCAN_PROGRESSIVE ? 1 : 2;
	v->field_pkts = l->spacing_ok ? l->spacing_ok : l->spacing;
	v->first_marker_delta = l->first_marker_delta;
	if (!v->field_pkts && !v->why_not[0])
		snprintf(v->why_not, sizeof(v->why_not),
			 "fewer than two marker packets: NPACKETS unknown");
	video_setup(v, a->cfg, s->sdp);
}

static void learn_audio(struct stream *s, struct audio *au)
{
	const struct learn *l = &s->learn;
	const struct st2110_sdp_stream *m =
		s->sdp && s->sdp->media == ST2110_SDP_AUDIO ? s->sdp : NULL;
	static const uint32_t rates[] = { 44100, 48000, 96000 };
	uint64_t span_ns, span_ticks, hz, best = UINT64_MAX, d;
	size_t i;

	if (m) {
		/* the library has turned a=ptime into samples per packet */
		au->rate_hz = m->audio.fmt.rate_hz;
		au->rate_source = "sdp";
		au->channels = m->audio.fmt.channels;
		au->depth_bits = m->audio.fmt.depth_bits;
		if (m->audio.fmt.samples_per_pkt) {
			au->spp = m->audio.fmt.samples_per_pkt;
			au->spp_source = "sdp";
		}
	} else {
		au->rate_hz = 48000;
		au->rate_source = "assumed";
		span_ns = l->n > 1 ? l->buf[l->n - 1].t_ns - l->buf[0].t_ns : 0;
		span_ticks = l->n > 1 ? (uint32_t)(l->buf[l->n - 1].ts - l->buf[0].ts) : 0;
		if (span_ns >= AUDIO_LEARN_NS && l->buf[l->n - 1].t_ns > l->buf[0].t_ns) {
			hz = span_ticks * 1000 / (span_ns / 1000000);
			for (i = 0; i < sizeof(rates) / sizeof(rates[0]); i++) {
				d = hz > rates[i] ? hz - rates[i] : rates[i] - hz;
				if (d < best) {
					best = d;
					au->rate_hz = rates[i];
				}
			}
			au->rate_source = "learned";
		}
	}
	if (!au->spp) {
		au->spp = median_step(l);
		au->spp_source = au->spp ? "learned" : NULL;
	}
}

/* Everything needed is known (or never will be): set up and replay. */
static void learn_finish(struct analyzer *a, struct stream *s)
{
	struct learn *l = &s->learn;
	size_t i;

	s->kind = classify(a, s);
	switch (s->kind) {
	case KIND_VIDEO:
		s->video = calloc(1, sizeof(*s->video));
		if (s->video)
			learn_video(a, s, s->video);
		break;
	case KIND_AUDIO:
		s->audio = calloc(1, sizeof(*s->audio));
		if (s->audio)
			learn_audio(s, s->audio);
		break;
	default:
		s->oseq = calloc(1, sizeof(*s->oseq));
		break;
	}
	if ((s->kind == KIND_VIDEO && !s->video) || (s->kind == KIND_AUDIO && !s->audio)) {
		fprintf(stderr, "st2110-analyze: out of memory for stream %d\n", s->id);
		s->kind = KIND_OTHER;
	}
	s->learning = false;
	for (i = 0; i < l->n; i++)
		dispatch(s, &l->buf[i]);
	free(l->buf);
	l->buf = NULL;
	l->n = l->cap = 0;
}

static bool learn_done(const struct analyzer *a, const struct stream *s)
{
	const struct learn *l = &s->learn;
	int kind;

	if (l->n >= LEARN_MAX_PKTS)
		return true;
	if (l->n < CLASSIFY_PKTS)
		return false;
	kind = classify(a, s);
	if (kind == KIND_VIDEO) {
		if (!l->spacing_ok)
			return false;
		if ((s->sdp && s->sdp->media == ST2110_SDP_VIDEO) || a->cfg->have_video)
			return true;
		return l->nsteps >= 3 && l->nmarkers >= 3;
	}
	if (kind == KIND_AUDIO) {
		if (s->sdp)
			return true;
		return l->buf[l->n - 1].t_ns - l->buf[0].t_ns >= AUDIO_LEARN_NS ||
		       l->n >= 4096;
	}
	return true;
}

static void learn_add(struct analyzer *a, struct stream *s, const struct rec *r)
{
	struct learn *l = &s->learn;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		struct rec *nb = realloc(l->buf, cap * sizeof(*nb));

		if (!nb) {
			learn_finish(a, s);
			dispatch(s, r);
			return;
		}
		l->buf = nb;
		l->cap = cap;
	}
	l->buf[l->n++] = *r;
	learn_observe(l, r);
	if (learn_done(a, s))
		learn_finish(a, s);
}

void analyzer_packet(struct analyzer *a, const struct rtp_pkt *p, uint64_t t_ns,
		     uint32_t wire_len)
{
	struct stream *s = stream_get(a, p);
	struct rec r;

	if (!s) {
		a->streams_dropped++;
		return;
	}
	memset(&r, 0, sizeof(r));
	r.t_ns = t_ns;
	r.ts = p->ts;
	r.len = wire_len;
	r.seq = p->seq;
	r.pt = p->pt;
	if (p->marker)
		r.flags |= REC_MARKER;
	read_srd(p, &r);
	if (!s->packets)
		s->first_ns = t_ns;
	s->last_ns = t_ns;
	s->packets++;
	s->bytes += wire_len;
	if (s->learning)
		learn_add(a, s, &r);
	else
		dispatch(s, &r);
}

void analyzer_non_rtp(struct analyzer *a, const struct rtp_pkt *p)
{
	int i;

	for (i = 0; i < a->nstreams; i++) {
		struct stream *s = a->streams[i];

		if (s->dport == p->dport && s->dst.family == p->dst.family &&
		    !memcmp(s->dst.a, p->dst.a, sizeof(p->dst.a))) {
			s->non_rtp++;
			return;
		}
	}
}

void analyzer_finish(struct analyzer *a)
{
	int i;

	for (i = 0; i < a->nstreams; i++) {
		struct stream *s = a->streams[i];

		if (s->learning)
			learn_finish(a, s);
		if (s->video)
			video_finish(s->video);
	}
}

void analyzer_free(struct analyzer *a)
{
	int i;

	for (i = 0; i < a->nstreams; i++) {
		struct stream *s = a->streams[i];

		free(s->learn.buf);
		if (s->video)
			video_free(s->video);
		free(s->video);
		free(s->audio);
		free(s->oseq);
		free(s);
	}
	free(a->table);
	a->nstreams = 0;
}
