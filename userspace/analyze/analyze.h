/* SPDX-License-Identifier: GPL-2.0 */
/*
 * analyze.h - st2110-analyze: streams, their records and per-kind state.
 *
 * Data flow:  capture (main.c) -> decode.c -> stream.c: stream lookup and
 * one struct rec per RTP packet -> while the stream's format is not known
 * yet the records wait in a learning buffer (NPACKETS from marker spacing,
 * rate from RTP timestamp steps, scan from the SRD F bit) -> video.c or
 * audio.c consume records one by one -> report.c prints text or JSON.
 *
 * Every time is an integer count of ns since 1970 on the capture clock plus
 * --tai-offset; every ST 2110-21 quantity comes from the timing core
 * (include/st2110/), never from a formula of its own here.
 */
#ifndef ANALYZE_ANALYZE_H
#define ANALYZE_ANALYZE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/types.h>
#include <st2110/st2110.h>

#include "decode.h"
#include "sdp.h"		/* userspace/lib: the project's SDP parser */
#include "seq.h"
#include "stats.h"
#include "vfmt.h"		/* userspace/lib: the --video syntax */
#include "vrx.h"

#define MAX_SDP_FILES	8
#define MAX_STREAMS	4096

/* One RTP packet as the analyzers see it (24 bytes). */
struct rec {
	uint64_t t_ns;
	uint32_t ts;
	uint32_t len;		/* bytes on the wire (frame length in the capture) */
	uint16_t seq;
	uint16_t esn;		/* ST 2110-20 extended sequence (high half) */
	uint16_t row_max;	/* highest SRD row number in the packet */
	uint8_t flags;
	uint8_t pt;
};

#define REC_MARKER	0x01
#define REC_F		0x02	/* SRD F bit: second field or segment */
#define REC_SRD		0x04	/* an ST 2110-20 payload header was read */
#define REC_ODD_ROW	0x08	/* some SRD row number is odd */

struct config {
	struct st2110_sdp sdp[MAX_SDP_FILES];
	const char *sdp_path[MAX_SDP_FILES];
	int nsdp;
	bool have_video;
	struct st2110_video_fmt video;
	int type;		/* --type: enum st2110_sender_type, -1 = SDP TP or N */
	int64_t troff_us;	/* --troff, -1 = SDP TROFF or TRODEFAULT */
	size_t max_samples;
	int64_t tai_offset_ns;
};

enum stream_kind {
	KIND_UNKNOWN,
	KIND_VIDEO,
	KIND_AUDIO,
	KIND_OTHER,
};

/* The packets of one field (interlaced), segment (PsF) or frame. */
struct vseg {
	bool valid;
	bool counted;		/* began inside the capture: counts in frame totals */
	bool marker_seen;
	uint8_t field;
	uint32_t ts;
	uint32_t received;	/* unique packets */
	uint64_t start_ext;	/* extended sequence of its packet 0 */
	uint64_t marker_ext;
	uint64_t frame;		/* N: TVD = N * TFRAME + TROFFSET */
};

/* One packet read schedule: gapped (Type N) or linear (NL and W). */
struct vprs {
	struct st2110_sched s;
	struct vrx vrx;
	struct st2110_tpr_iter it;	/* TPR of the next packet in order */
	bool it_valid;
	uint64_t late_pkts;	/* t > TPR_j */
	struct mstat err_ns;	/* t - TPR_j */
};

/* EBU LIST's per-frame VRX (§7.4 of the timing brief) for one TRS. */
struct vlist {
	struct st2110_sched s;	/* TRODEFAULT always: LIST ignores TROFF */
	uint64_t base_ns;	/* alignment point of the current frame/field */
	__int128 tvd_d;		/* TVD - base_ns, in 1/s.den ns */
	uint64_t fast_ns;	/* |t - base_ns| below this: 64-bit arithmetic */
	int64_t vrx_prev;
	int64_t drained_prev;
	struct mstat vrx;
};

struct video {
	struct st2110_video_fmt fmt;	/* width 0 when learned and unknown */
	const char *fmt_source;	/* "sdp", "cli" or "learned" */
	uint32_t npackets;	/* NPACKETS, both fields */
	uint32_t field_pkts;	/* marker spacing */
	uint32_t fields;
	uint64_t first_marker_delta;	/* first marker - first packet (sequence) */
	bool timing;		/* schedules set up */
	char why_not[160];	/* why there is no timing analysis */

	int declared_tp;	/* SDP TP, -1 = none */
	int64_t declared_cmax;	/* SDP CMAX, -1 = none */
	int ref_type;		/* PRS of the schedule-error percentiles */
	bool troff_given;
	uint64_t troffset_ns;	/* what was used, floor */
	struct vprs prs[2];	/* ST2110_PRS_GAPPED, ST2110_PRS_LINEAR */
	struct vlist list[2];
	struct samples err;	/* t - TPR_j on the reference PRS */
	int64_t err_p50_ns, err_p99_ns;	/* filled by video_finish() */

	/* strict CINST: epoch drain grid, k counted from an aligned base */
	bool c_started;
	struct st2110_base c_base;
	uint64_t c_k_prev;
	uint64_t c_cur;
	uint64_t c_peak;
	/* LIST CINST: grid anchored on the first packet */
	bool lc_started;
	uint64_t lc_t0;
	uint64_t lc_cleared_prev;
	int64_t lc_cur;
	int64_t lc_peak;
	/* LIST frame starts (arrival order) and gapped/linear detection */
	bool l_started;
	bool l_after_marker;
	bool l_have_prev;
	uint64_t l_prev_t;
	uint64_t gap_sum_ns, gap_n, reg_sum_ns, reg_n;

	struct seqstat seq;
	struct sequnwrap unwrap;
	bool seq_started;
	uint64_t first_ext;
	struct vseg cur, prev;
	uint64_t seg_total, seg_complete, seg_incomplete;
	uint64_t index_errors;	/* packet index outside the frame: NPACKETS wrong? */

	bool have_ts;
	uint32_t last_ts;
	struct mstat rtp_step;	/* ticks between consecutive frames/fields */
	uint32_t step_lo, step_hi;	/* expected range */
	uint64_t rtp_step_bad;
	struct mstat fpt_ns;	/* first packet time vs the frame/field alignment point */
	struct mstat rtp_off;	/* RTP timestamp - RTP(N * TFRAME), ticks */
	struct mstat latency_ns;	/* first packet time - RTP time */
};

struct audio {
	uint32_t rate_hz;
	const char *rate_source;	/* "sdp", "learned" or "assumed" */
	uint32_t spp;		/* samples per packet, 0 = unknown */
	const char *spp_source;
	uint16_t channels;	/* 0 = unknown */
	uint8_t depth_bits;
	struct seqstat seq;
	struct sequnwrap unwrap;
	bool have_prev;
	uint64_t prev_ext;
	uint32_t prev_ts;
	uint64_t prev_t;
	struct mstat step_ticks;
	uint64_t step_bad;
	struct mstat interval_ns;
	struct mstat latency_ns;
};

/* What the learning phase has seen so far. */
struct learn {
	struct rec *buf;
	size_t n, cap;
	uint64_t ts_changes;
	uint64_t srd_pkts;
	uint64_t marker_pkts;
	uint32_t last_ts;
	uint32_t steps[64];	/* RTP timestamp steps between pictures */
	uint32_t nsteps;
	uint32_t nmarkers;
	uint32_t last_marker_ext32;
	uint32_t last_marker_seq;
	uint32_t spacing;	/* last marker spacing */
	uint32_t spacing_ok;	/* a spacing seen twice in a row */
	uint32_t first_marker_delta;
	uint32_t first_ext32;
	uint16_t first_seq;
	bool f1_seen;
	uint32_t psf_votes, interlace_votes;
	uint32_t f0_ts;
	bool prev_f1;
	uint16_t row_max;
	bool odd_row;
	bool failed;		/* gave up: buffer limit */
};

struct stream {
	int id;
	struct addr dst, src;
	uint16_t dport, sport;
	uint16_t vlan;		/* outer VLAN id + 1, 0 = untagged */
	uint32_t ssrc;
	uint8_t pt;
	int kind;
	const struct st2110_sdp_stream *sdp;
	int sdp_file;
	uint64_t packets;
	uint64_t bytes;
	uint64_t non_rtp;	/* UDP to the same address and port, not RTP */
	uint64_t first_ns, last_ns;
	bool learning;
	struct learn learn;
	struct seqstat *oseq;	/* KIND_OTHER */
	struct sequnwrap ounwrap;
	struct video *video;
	struct audio *audio;
};

struct analyzer {
	const struct config *cfg;
	struct stream *streams[MAX_STREAMS];
	int nstreams;
	uint64_t streams_dropped;	/* packets of streams past MAX_STREAMS */
	uint32_t *table;		/* open addressing: index + 1, 0 = empty */
	uint32_t table_mask;
	struct stream *last;
	struct decode_stats dec;
	uint64_t frames;		/* link-layer frames read */
	uint64_t before_epoch;		/* timestamps pushed below 0 by the offset */
};

int analyzer_init(struct analyzer *a, const struct config *cfg);
void analyzer_packet(struct analyzer *a, const struct rtp_pkt *p, uint64_t t_ns,
		     uint32_t wire_len);
void analyzer_non_rtp(struct analyzer *a, const struct rtp_pkt *p);
void analyzer_finish(struct analyzer *a);
void analyzer_free(struct analyzer *a);

/* video.c */
int video_setup(struct video *v, const struct config *cfg,
		const struct st2110_sdp_stream *m);
void video_pkt(struct video *v, const struct rec *r);
void video_finish(struct video *v);
void video_free(struct video *v);
/* audio.c */
void audio_pkt(struct audio *a, const struct rec *r);
/* stream.c */
const char *kind_name(int kind);

/* report.c */
struct capture_info {
	const char *source;
	bool live;
	const char *link;
	const char *tstamp;		/* "ns", "us" or "ns (pcapng)" */
	const char *tstamp_type;	/* live: "host" or "adapter" */
	bool file_truncated;
	char file_error[256];
	uint64_t live_dropped;		/* pcap_stats */
	uint64_t elapsed_ns;		/* processing time */
};
void report_text(FILE *f, const struct analyzer *a, const struct capture_info *ci);
void report_json(FILE *f, const struct analyzer *a, const struct capture_info *ci);

#endif /* ANALYZE_ANALYZE_H */
