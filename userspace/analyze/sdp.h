/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sdp.h - the small, strict SDP reader of st2110-analyze.
 *
 * It reads only what the analyzer needs: per media section the destination
 * (c= and the m= port), the payload type, the rtpmap encoding and clock,
 * ptime, and for raw video (ST 2110-20) the fmtp parameters width, height,
 * exactframerate, interlace, segmented, sampling, depth, PM, TP, TROFF and
 * CMAX.  Syntax errors are reported as "FILE:LINE: what is wrong"; other
 * attributes and fmtp parameters are accepted and ignored.  A full SDP
 * library belongs elsewhere; this one stays small on purpose.
 */
#ifndef ANALYZE_SDP_H
#define ANALYZE_SDP_H

#include <stddef.h>
#include <stdint.h>

#include "decode.h"
#include "vfmt.h"

#define SDP_MAX_MEDIA	16

enum sdp_kind {
	SDP_VIDEO_RAW,		/* raw/90000: ST 2110-20 */
	SDP_AUDIO_PCM,		/* L16 or L24: ST 2110-30 */
	SDP_OTHER,		/* e.g. smpte291 (ST 2110-40) */
};

struct sdp_media {
	int kind;		/* enum sdp_kind */
	int line;		/* line of the m= line */
	uint16_t port;
	int pt;
	struct addr dst;	/* family 0 if no c= applies */
	char media[16];
	char encoding[32];
	char mid[64];
	uint32_t clock_hz;
	/* raw video */
	struct vfmt fmt;
	int sampling;		/* enum st2110_sampling, 0 if absent */
	int depth;		/* enum st2110_depth, 0 if absent */
	int packing;		/* enum st2110_packing, -1 if absent */
	int tp;			/* enum st2110_sender_type, -1 if absent */
	int64_t troff_us;	/* -1 if absent */
	int64_t cmax_pkts;	/* -1 if absent */
	/* audio */
	uint16_t channels;
	uint8_t depth_bits;
	uint64_t ptime_ns;	/* 0 if absent */
};

struct sdp {
	int nmedia;
	struct sdp_media media[SDP_MAX_MEDIA];
};

/* 0, or -1 with err = "name:line: message". */
int sdp_parse(const char *buf, size_t len, const char *name, struct sdp *sdp,
	      char *err, size_t errlen);
int sdp_parse_file(const char *path, struct sdp *sdp, char *err, size_t errlen);

const char *sdp_tp_name(int tp);	/* "2110TPN" ... or NULL */

#endif /* ANALYZE_SDP_H */
