/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * video.h - ST 2110-20 video format, pgroups and packetization.
 *
 * A sender fills a struct st2110_video_fmt (what the SDP says), builds a
 * struct st2110_video_layout once with st2110_video_layout_init(), and then
 * asks st2110_video_pkt() for packet j of a frame: field, marker and up to
 * three Sample Row Data (SRD) headers.  NPACKETS, the number that every
 * ST 2110-21 formula depends on, comes out of the same layout.
 *
 * Packing (ST 2110-20 §6.3), as implemented:
 *  - GPM: every row is cut into P = ceil(row_pgroups / max_pgroups) packets
 *    of ceil(row_pgroups / P) pgroups, the last packet of the row takes the
 *    rest (720p 4:2:2/10, 1200 B: 1070/1070/1060 B).  One SRD per packet;
 *    rows are never merged into one packet.
 *  - BPM: the field (or frame) is one byte stream cut into packets of
 *    payload bytes (1260 B = 7 x 180 B), crossing rows with up to 3 SRDs;
 *    the last packet of each field/frame is short (never padded).
 * Interlaced and PsF: two fields (segments) of height/2 rows each, field 1
 * first; SRD row numbers restart at 0 in each field; the marker is set on
 * the last packet of each field/segment (for PsF this is a choice: the
 * standard does not spell the M bit out for PsF).
 */
#ifndef _ST2110_VIDEO_H
#define _ST2110_VIDEO_H

#include "rational.h"
#include "rtp.h"

enum st2110_scan {
	ST2110_SCAN_PROGRESSIVE,
	ST2110_SCAN_INTERLACED,
	ST2110_SCAN_PSF,		/* progressive segmented frame */
	__ST2110_SCAN_MAX
};

/* SDP "sampling" values (ST 2110-20 §7.4.1); 0 is "not set". */
enum st2110_sampling {
	ST2110_SAMPLING_UNSPEC,
	ST2110_SAMPLING_YCBCR_444,
	ST2110_SAMPLING_YCBCR_422,
	ST2110_SAMPLING_YCBCR_420,
	ST2110_SAMPLING_CLYCBCR_444,
	ST2110_SAMPLING_CLYCBCR_422,
	ST2110_SAMPLING_CLYCBCR_420,
	ST2110_SAMPLING_ICTCP_444,
	ST2110_SAMPLING_ICTCP_422,
	ST2110_SAMPLING_ICTCP_420,
	ST2110_SAMPLING_RGB,
	ST2110_SAMPLING_XYZ,
	ST2110_SAMPLING_KEY,
	__ST2110_SAMPLING_MAX
};

/* SDP "depth": bits per sample; 16f is 16-bit floating point. */
#define ST2110_DEPTH_FLOAT	0x80
enum st2110_depth {
	ST2110_DEPTH_8 = 8,
	ST2110_DEPTH_10 = 10,
	ST2110_DEPTH_12 = 12,
	ST2110_DEPTH_16 = 16,
	ST2110_DEPTH_16F = ST2110_DEPTH_FLOAT | 16,
};

enum st2110_packing {
	ST2110_PACKING_GPM,		/* PM=2110GPM, general packing */
	ST2110_PACKING_BPM,		/* PM=2110BPM, block packing */
	__ST2110_PACKING_MAX
};

#define ST2110_GPM_DEFAULT_PAYLOAD	1200	/* 4 packets per 1920-px 4:2:2/10 row */
#define ST2110_BPM_PAYLOAD		1260	/* 7 x 180 B, ST 2110-20 §6.3.3 */
#define ST2110_BPM_BLOCK		180	/* BPM payloads are multiples of this */
#define ST2110_VIDEO_MAX_PKTS_PER_FRAME	(1U << 20)

/* ST 2110-20 §6.2 pgroup: 'bytes' octets carry 'px' pixels of 'rows' lines. */
struct st2110_pgroup {
	__u8 bytes;
	__u8 px;			/* "coverage" in the standard */
	__u8 rows;			/* 2 for 4:2:0, else 1 */
	__u8 cols;			/* px / rows: width granularity */
};

struct st2110_video_fmt {
	__u32 width_px;
	__u32 height_px;		/* lines per frame, both fields */
	struct st2110_rate rate;	/* FRAME rate, also when interlaced */
	__u16 max_payload_bytes;	/* sample data per packet, 0 = default */
	__u8 scan;			/* enum st2110_scan */
	__u8 sampling;			/* enum st2110_sampling */
	__u8 depth;			/* enum st2110_depth */
	__u8 packing;			/* enum st2110_packing */
	__u8 pad[2];
};

struct st2110_video_layout {
	struct st2110_video_fmt fmt;	/* with the default payload filled in */
	struct st2110_frac tframe_ns;	/* TFRAME, reduced */
	struct st2110_pgroup pg;
	__u32 row_pgroups;		/* pgroups in one SRD row */
	__u32 row_bytes;
	__u32 rows_per_field;		/* SRD rows per field (frame if 1 field) */
	__u32 fields;			/* 1, or 2 for interlaced and PsF */
	__u32 payload_bytes;		/* largest packet's sample data */
	__u32 row_pkts;			/* GPM: packets per row */
	__u32 pkt_pgroups;		/* GPM: pgroups in a packet but the row's last */
	__u32 max_srd;			/* SRD headers a packet may need: 1..3 */
	__u32 field_pkts;		/* packets per field (frame if 1 field) */
	__u32 npackets;			/* NPACKETS: packets per frame */
	__u64 field_bytes;
};

struct st2110_srd {
	__u16 length_bytes;
	__u16 row;			/* within the field; 4:2:0: first row of the pair */
	__u16 offset_px;		/* first pixel of the segment in the row */
	__u16 pad;
};

/* What a sender writes for packet j of a frame. */
struct st2110_pkt {
	__u32 field;			/* SRD F bit: 0 = first field */
	__u32 marker;			/* RTP M bit */
	__u32 nsrd;			/* 1..3; the C bit is set on all but the last */
	__u32 data_bytes;		/* sum of the SRD lengths */
	struct st2110_srd srd[ST2110_20_MAX_SRD];
};

static inline const char *st2110_sampling_name(unsigned int s)
{
	switch (s) {
	case ST2110_SAMPLING_YCBCR_444:		return "YCbCr-4:4:4";
	case ST2110_SAMPLING_YCBCR_422:		return "YCbCr-4:2:2";
	case ST2110_SAMPLING_YCBCR_420:		return "YCbCr-4:2:0";
	case ST2110_SAMPLING_CLYCBCR_444:	return "CLYCbCr-4:4:4";
	case ST2110_SAMPLING_CLYCBCR_422:	return "CLYCbCr-4:2:2";
	case ST2110_SAMPLING_CLYCBCR_420:	return "CLYCbCr-4:2:0";
	case ST2110_SAMPLING_ICTCP_444:		return "ICtCp-4:4:4";
	case ST2110_SAMPLING_ICTCP_422:		return "ICtCp-4:2:2";
	case ST2110_SAMPLING_ICTCP_420:		return "ICtCp-4:2:0";
	case ST2110_SAMPLING_RGB:		return "RGB";
	case ST2110_SAMPLING_XYZ:		return "XYZ";
	case ST2110_SAMPLING_KEY:		return "KEY";
	}
	return ST2110_NULL;
}

static inline const char *st2110_depth_name(unsigned int d)
{
	switch (d) {
	case ST2110_DEPTH_8:	return "8";
	case ST2110_DEPTH_10:	return "10";
	case ST2110_DEPTH_12:	return "12";
	case ST2110_DEPTH_16:	return "16";
	case ST2110_DEPTH_16F:	return "16f";
	}
	return ST2110_NULL;
}

/* Sample structures that share a pgroup table row. */
enum {
	ST2110_PG_422 = 1,
	ST2110_PG_444,
	ST2110_PG_420,
	ST2110_PG_XYZ,
	ST2110_PG_KEY,
};

static inline unsigned int st2110_pg_structure(unsigned int sampling)
{
	switch (sampling) {
	case ST2110_SAMPLING_YCBCR_422:
	case ST2110_SAMPLING_CLYCBCR_422:
	case ST2110_SAMPLING_ICTCP_422:
		return ST2110_PG_422;
	case ST2110_SAMPLING_YCBCR_444:
	case ST2110_SAMPLING_CLYCBCR_444:
	case ST2110_SAMPLING_ICTCP_444:
	case ST2110_SAMPLING_RGB:
		return ST2110_PG_444;
	case ST2110_SAMPLING_YCBCR_420:
	case ST2110_SAMPLING_CLYCBCR_420:
	case ST2110_SAMPLING_ICTCP_420:
		return ST2110_PG_420;
	case ST2110_SAMPLING_XYZ:
		return ST2110_PG_XYZ;
	case ST2110_SAMPLING_KEY:
		return ST2110_PG_KEY;
	}
	return 0;
}

#define ST2110_PG(bytes, px)	((bytes) << 8 | (px))
#define ST2110_PG_SEL(structure, bits)	((structure) << 8 | (bits))

/*
 * The ST 2110-20 §6.2 table as ST2110_PG(bytes, pixels), 0 if undefined.
 * A switch rather than a const array: BPF then needs no .rodata map for it.
 */
static inline unsigned int st2110_pg_code(unsigned int structure, unsigned int bits)
{
	switch (ST2110_PG_SEL(structure, bits)) {
	case ST2110_PG_SEL(ST2110_PG_422, 8):	return ST2110_PG(4, 2);
	case ST2110_PG_SEL(ST2110_PG_422, 10):	return ST2110_PG(5, 2);
	case ST2110_PG_SEL(ST2110_PG_422, 12):	return ST2110_PG(6, 2);
	case ST2110_PG_SEL(ST2110_PG_422, 16):	return ST2110_PG(8, 2);
	case ST2110_PG_SEL(ST2110_PG_444, 8):	return ST2110_PG(3, 1);
	case ST2110_PG_SEL(ST2110_PG_444, 10):	return ST2110_PG(15, 4);
	case ST2110_PG_SEL(ST2110_PG_444, 12):	return ST2110_PG(9, 2);
	case ST2110_PG_SEL(ST2110_PG_444, 16):	return ST2110_PG(6, 1);
	case ST2110_PG_SEL(ST2110_PG_420, 8):	return ST2110_PG(6, 4);
	case ST2110_PG_SEL(ST2110_PG_420, 10):	return ST2110_PG(15, 8);
	case ST2110_PG_SEL(ST2110_PG_420, 12):	return ST2110_PG(9, 4);
	case ST2110_PG_SEL(ST2110_PG_XYZ, 12):	return ST2110_PG(9, 2);
	case ST2110_PG_SEL(ST2110_PG_XYZ, 16):	return ST2110_PG(6, 1);
	case ST2110_PG_SEL(ST2110_PG_KEY, 8):	return ST2110_PG(1, 1);
	case ST2110_PG_SEL(ST2110_PG_KEY, 10):	return ST2110_PG(5, 4);
	case ST2110_PG_SEL(ST2110_PG_KEY, 12):	return ST2110_PG(3, 2);
	case ST2110_PG_SEL(ST2110_PG_KEY, 16):	return ST2110_PG(2, 1);
	}
	return 0;
}

/* The pgroup of a sampling and depth (16f as 16); -EINVAL if none. */
static inline int st2110_pgroup(unsigned int sampling, unsigned int depth,
				struct st2110_pgroup *pg)
{
	unsigned int structure = st2110_pg_structure(sampling);
	unsigned int code = st2110_pg_code(structure,
					   depth == ST2110_DEPTH_16F ? 16 : depth);

	if (!code)
		return -EINVAL;
	pg->bytes = (__u8)(code >> 8);
	pg->px = (__u8)code;
	pg->rows = structure == ST2110_PG_420 ? 2 : 1;
	pg->cols = (__u8)(pg->px / pg->rows);
	return 0;
}

static inline __u32 st2110_div_round_up32(__u32 a, __u32 b)
{
	return a / b + (a % b != 0);
}

/* GPM packet limit: UDP 8 + RTP 12 + ESN 2 + one SRD 6 + data <= 1460. */
#define ST2110_GPM_MAX_PAYLOAD \
	(ST2110_UDP_STANDARD_LIMIT - ST2110_UDP_HDR_LEN - ST2110_RTP_HDR_LEN - \
	 ST2110_20_ESN_LEN - ST2110_20_SRD_LEN)

static inline int st2110_video_packing(struct st2110_video_layout *l,
				       const char **reason)
{
	__u32 payload = l->fmt.max_payload_bytes;
	__u32 pg_bytes = l->pg.bytes;
	__u32 max_pg;

	if (l->fmt.packing == ST2110_PACKING_GPM) {
		if (payload < pg_bytes) {
			*reason = "payload is smaller than one pgroup";
			return -EINVAL;
		}
		if (payload > ST2110_GPM_MAX_PAYLOAD) {
			*reason = "payload exceeds the 1460-byte Standard UDP Size Limit (at most 1432 bytes with one SRD)";
			return -EINVAL;
		}
		max_pg = payload / pg_bytes;
		l->row_pkts = st2110_div_round_up32(l->row_pgroups, max_pg);
		l->pkt_pgroups = st2110_div_round_up32(l->row_pgroups, l->row_pkts);
		l->payload_bytes = l->pkt_pgroups * pg_bytes;
		l->max_srd = 1;
		l->field_pkts = l->rows_per_field * l->row_pkts;
		return 0;
	}
	if (payload % ST2110_BPM_BLOCK) {
		*reason = "BPM payload must be a multiple of 180 bytes";
		return -EINVAL;
	}
	if (payload % pg_bytes) {
		*reason = "BPM payload must be a whole number of pgroups (a pgroup is never split across packets)";
		return -EINVAL;
	}
	/*
	 * Worst case: a packet starting on the last pgroup of a row; the rest
	 * of it then spans ceil((payload - pgroup) / row) further rows.
	 */
	l->max_srd = 1 + st2110_div_round_up32(payload - pg_bytes, l->row_bytes);
	if (l->max_srd > ST2110_20_MAX_SRD) {
		*reason = "BPM packets would need more than 3 SRDs (rows shorter than half a packet)";
		return -EINVAL;
	}
	if (payload + ST2110_UDP_HDR_LEN + ST2110_RTP_HDR_LEN + ST2110_20_ESN_LEN +
	    ST2110_20_SRD_LEN * l->max_srd > ST2110_UDP_STANDARD_LIMIT) {
		*reason = "payload exceeds the 1460-byte Standard UDP Size Limit with its SRD headers";
		return -EINVAL;
	}
	l->payload_bytes = payload;
	l->row_pkts = 0;
	l->pkt_pgroups = 0;
	l->field_pkts = (__u32)st2110_div64(l->field_bytes + payload - 1, payload);
	return 0;
}

/*
 * Check a format and derive its layout.  Returns 0, or a negative errno
 * with *reason set to a static string naming the broken rule (for extack
 * and for tool messages).
 */
static inline int st2110_video_layout_init(struct st2110_video_layout *l,
					   const struct st2110_video_fmt *fmt,
					   const char **reason)
{
	int err;

	l->fmt = *fmt;
	if (!fmt->width_px) {
		*reason = "width must not be 0";
		return -EINVAL;
	}
	if (!fmt->height_px) {
		*reason = "height must not be 0";
		return -EINVAL;
	}
	err = st2110_rate_tframe(&fmt->rate, &l->tframe_ns, reason);
	if (err)
		return err;
	if (fmt->scan >= __ST2110_SCAN_MAX) {
		*reason = "unknown scan mode";
		return -EINVAL;
	}
	if (!st2110_sampling_name(fmt->sampling)) {
		*reason = "unknown sampling";
		return -EINVAL;
	}
	if (!st2110_depth_name(fmt->depth)) {
		*reason = "unknown depth (8, 10, 12, 16 or 16f)";
		return -EINVAL;
	}
	if (st2110_pgroup(fmt->sampling, fmt->depth, &l->pg)) {
		*reason = "sampling and depth combination has no ST 2110-20 pgroup";
		return -EINVAL;
	}
	l->fields = fmt->scan == ST2110_SCAN_PROGRESSIVE ? 1 : 2;
	if (l->pg.rows == 2 && l->fields == 2) {
		*reason = "4:2:0 sampling is defined for progressive scan only";
		return -EINVAL;
	}
	if (fmt->width_px % l->pg.cols) {
		*reason = l->pg.cols == 2 ?
			"width must be a multiple of the pgroup width (2 pixels for this sampling and depth)" :
			"width must be a multiple of the pgroup width (4 pixels for this sampling and depth)";
		return -EINVAL;
	}
	if (fmt->height_px % l->pg.rows) {
		*reason = "4:2:0 height must be even (a pgroup spans 2 lines)";
		return -EINVAL;
	}
	if (fmt->height_px % l->fields) {
		*reason = "interlaced and PsF height must be even (two equal fields)";
		return -EINVAL;
	}
	/* SRD offset and row number are 15-bit fields */
	if (fmt->width_px > 0x8000) {
		*reason = "width exceeds the 15-bit SRD offset (32768 pixels)";
		return -EINVAL;
	}
	if (fmt->height_px / l->fields > 0x8000) {
		*reason = "rows per field exceed the 15-bit SRD row number";
		return -EINVAL;
	}
	if (fmt->packing >= __ST2110_PACKING_MAX) {
		*reason = "unknown packing mode";
		return -EINVAL;
	}
	if (!l->fmt.max_payload_bytes)
		l->fmt.max_payload_bytes = fmt->packing == ST2110_PACKING_GPM ?
			ST2110_GPM_DEFAULT_PAYLOAD : ST2110_BPM_PAYLOAD;

	l->row_pgroups = fmt->width_px / l->pg.cols;
	l->row_bytes = l->row_pgroups * l->pg.bytes;	/* < 2^18 */
	l->rows_per_field = fmt->height_px / l->fields / l->pg.rows;
	l->field_bytes = (__u64)l->rows_per_field * l->row_bytes;
	err = st2110_video_packing(l, reason);
	if (err)
		return err;
	if (l->field_pkts > ST2110_VIDEO_MAX_PKTS_PER_FRAME / l->fields) {
		*reason = "too many packets per frame (more than 2^20)";
		return -ERANGE;
	}
	l->npackets = l->field_pkts * l->fields;
	return 0;
}

/* Append one SRD covering bytes [pos, pos + len) of a field's byte stream. */
static inline void st2110_video_srd(const struct st2110_video_layout *l,
				    struct st2110_pkt *p, __u32 row,
				    __u32 in_row_bytes, __u32 len)
{
	struct st2110_srd *srd = &p->srd[p->nsrd++];

	srd->length_bytes = (__u16)len;
	srd->row = (__u16)(row * l->pg.rows);
	srd->offset_px = (__u16)(in_row_bytes / l->pg.bytes * l->pg.cols);
	srd->pad = 0;
	p->data_bytes += len;
}

/*
 * Packet j (0 <= j < npackets, counted per frame as in ST 2110-21) of any
 * frame.  -EINVAL if j is out of range.
 */
static inline int st2110_video_pkt(const struct st2110_video_layout *l,
				   __u32 j, struct st2110_pkt *p)
{
	__u32 jj, row, k, pgs, pos, end, in_row, len;

	if (j >= l->npackets)
		return -EINVAL;
	p->field = j / l->field_pkts;
	jj = j - p->field * l->field_pkts;
	p->marker = jj == l->field_pkts - 1;
	p->nsrd = 0;
	p->data_bytes = 0;

	if (l->fmt.packing == ST2110_PACKING_GPM) {
		row = jj / l->row_pkts;
		k = jj - row * l->row_pkts;
		pgs = l->row_pgroups - k * l->pkt_pgroups;
		if (pgs > l->pkt_pgroups)
			pgs = l->pkt_pgroups;
		st2110_video_srd(l, p, row, k * l->pkt_pgroups * l->pg.bytes,
				 pgs * l->pg.bytes);
		return 0;
	}
	/* BPM: field_bytes < 2^32 since field_pkts <= 2^20 and payload < 2^11 */
	pos = jj * l->payload_bytes;
	end = pos + l->payload_bytes;
	if (end > l->field_bytes)
		end = (__u32)l->field_bytes;
	while (pos < end && p->nsrd < ST2110_20_MAX_SRD) {
		row = pos / l->row_bytes;
		in_row = pos - row * l->row_bytes;
		len = l->row_bytes - in_row;
		if (len > end - pos)
			len = end - pos;
		st2110_video_srd(l, p, row, in_row, len);
		pos += len;
	}
	return 0;
}

/*
 * Byte offset of an SRD's data in a frame buffer holding the pgroups row
 * after row in picture order (fields interleaved, 4:2:0 row pairs).
 */
static inline __u64 st2110_video_srd_frame_offset(const struct st2110_video_layout *l,
						  __u32 field,
						  const struct st2110_srd *srd)
{
	__u64 line = srd->row / l->pg.rows * l->fields + field;

	return line * l->row_bytes + (__u32)srd->offset_px / l->pg.cols * l->pg.bytes;
}

/*
 * SRD headers in one frame, i.e. the sum of st2110_video_pkt()'s nsrd over
 * its packets, in closed form.  GPM: one per packet.  BPM: one per packet
 * plus one per row boundary that falls inside a packet; of the rows - 1
 * boundaries of a field, r * row_bytes is a packet boundary exactly when
 * payload / gcd(payload, row_bytes) divides r.  Not for BPF (Euclid).
 */
static inline __u64 st2110_video_frame_srds(const struct st2110_video_layout *l)
{
	__u64 inner, period;

	if (l->fmt.packing == ST2110_PACKING_GPM)
		return l->npackets;
	period = st2110_div64(l->payload_bytes,
			      st2110_gcd64(l->payload_bytes, l->row_bytes));
	inner = l->rows_per_field - 1 - st2110_div64(l->rows_per_field - 1, period);
	return ((__u64)l->field_pkts + inner) * l->fields;
}

/*
 * Bytes of one frame on the wire when each packet carries hdr_bytes in
 * front of its RFC 4175 payload header: the sample data, the ESN and SRD
 * headers, and npackets * hdr_bytes.  hdr_bytes = RTP 12 gives the UDP
 * payload; add UDP 8 and IPv4 20 / IPv6 40 (and L2) for a link bitrate
 * (bytes * 8 * rate.num / rate.den bit/s).
 */
static inline __u64 st2110_video_frame_bytes(const struct st2110_video_layout *l,
					     __u32 hdr_bytes)
{
	return (__u64)l->npackets * (hdr_bytes + ST2110_20_ESN_LEN) +
	       st2110_video_frame_srds(l) * ST2110_20_SRD_LEN +
	       (__u64)l->fields * l->field_bytes;
}

/*
 * RTP timestamp of frame N (field 0/1 when interlaced): ST 2110-10 floors
 * N*TFRAME*90 kHz; field 2 is half a frame later; both PsF segments share
 * the frame's timestamp.
 */
static inline __u32 st2110_video_rtp_ts(const struct st2110_video_layout *l,
					__u64 frame, __u32 field)
{
	return st2110_rtp_video_ts(&l->fmt.rate, frame,
				   l->fmt.scan == ST2110_SCAN_INTERLACED ? field : 0);
}

#endif /* _ST2110_VIDEO_H */
