/* SPDX-License-Identifier: GPL-2.0 */
/*
 * send.h - st2110-send, the ST 2110 test-pattern sender.
 *
 * One process sends one stream: ST 2110-20 video (RFC 4175) or ST 2110-30
 * audio (AES67 PCM).  Every timing formula and every packet layout comes
 * from the timing core in include/st2110/; this tool adds the pixels, the
 * sockets and the clock.
 *
 *   args.c     command line -> struct send_cfg (all validation, no I/O)
 *   pattern.c  colour bars + moving box + frame counter, pgroup encoding
 *   vframe.c   a frame's packets, built once per frame; header writes
 *   audio.c    sine tone payloads
 *   net.c      socket options and the batched send path (GSO, SO_TXTIME)
 *   main.c     the three emission modes, statistics, and the matching SDP
 *              (a struct st2110_sdp handed to the lib's writer)
 */
#ifndef ST2110_SEND_H
#define ST2110_SEND_H

#include <stdint.h>
#include <stdio.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <st2110/st2110.h>
#include "sdp.h"		/* userspace/lib */

#define SEND_PROG		"st2110-send"
#define SEND_EXIT_BADARG	1	/* an invalid value: one line on stderr */
#define SEND_EXIT_USAGE		2	/* unknown option, missing value, conflict */

#define TX_GSO_MAX_SEGS		64	/* per super-packet (UDP_MAX_SEGMENTS: 128) */

enum send_media {
	SEND_VIDEO,
	SEND_AUDIO,
};

enum send_mode {
	SEND_MODE_BURST,
	SEND_MODE_PACED,
	SEND_MODE_TXTIME,
};

enum send_rtp {
	SEND_RTP_EPOCH,		/* floor(N * TFRAME * 90 kHz): ST 2110-10 */
	SEND_RTP_FREE,		/* same steps from a random origin */
};

enum send_refclk {
	SEND_REFCLK_TRACEABLE,
	SEND_REFCLK_LOCALMAC,
	SEND_REFCLK_PTP,	/* ptp=IEEE1588-2008:<GM>:<domain> */
};

struct send_cfg {
	enum send_media media;
	enum send_mode mode;
	enum send_rtp rtp;

	/* video */
	struct st2110_video_fmt vfmt;
	unsigned int type;		/* enum st2110_sender_type */
	uint64_t troffset_ns;		/* ST2110_TROFFSET_DEFAULT or a value */
	unsigned int colorimetry;	/* enum st2110_sdp_colorimetry */

	/* audio */
	struct st2110_audio_fmt afmt;
	uint32_t tone_hz;
	const char *channel_order;	/* NULL: derived from the channel count */

	/* addressing */
	struct sockaddr_storage dst;
	socklen_t dst_len;
	int have_dst;
	uint16_t src_port;
	int ttl;
	int dscp;			/* -1: leave the socket default */
	const char *dev;
	uint32_t ssrc;
	int have_ssrc;
	uint32_t seq;			/* first extended (32-bit) sequence number */
	int have_seq;
	unsigned int pt;

	/* emission */
	int gso;			/* 0, or segments per GSO super-packet */
	uint32_t lead_pkts;
	uint32_t batch;			/* messages per sendmmsg() */
	uint64_t spin_ns;		/* paced: busy-wait this long before a packet */
	int fifo_prio;			/* 0: no SCHED_FIFO */
	int cpu;			/* -1: no affinity */
	uint64_t txtime_advance_ns;	/* txtime: hand a frame over this early */
	uint64_t frames;		/* video frames or audio packets; 0 = no limit */
	uint64_t duration_ns;		/* 0 = no limit */
	int count_only;

	/* output */
	const char *sdp_path;
	enum send_refclk refclk;
	struct st2110_sdp_refclk refclk_ptp;	/* SEND_REFCLK_PTP */
	int json;
	int verbose;
};

struct send_stats {
	uint64_t packets;
	uint64_t frames;		/* video frames, or audio packets */
	uint64_t bytes;			/* UDP payload bytes (RTP header included) */
	uint64_t sendmmsg_calls;
	uint64_t send_errors;
	uint64_t late_frames;		/* first write after TVD (video) / slot (audio) */
	uint64_t max_late_ns;
	uint64_t late_pkts;		/* paced/txtime: written after TPR_j */
	uint64_t max_pkt_late_ns;
	uint64_t skipped_frames;	/* frame indices jumped after falling behind */
	uint64_t txtime_errors;		/* SO_EE_ORIGIN_TXTIME reports */
	int last_errno;			/* of the last counted send error */
	uint64_t first_frame;		/* frame (or packet) index N of the first one */
	uint64_t start_ns;
	uint64_t end_ns;
	uint64_t cpu_ns;		/* user + system CPU time of the process */
};

/* args.c */
int send_parse_args(int argc, char **argv, struct send_cfg *cfg);
void send_usage(FILE *f);
int send_err(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* pattern.c */
struct pattern;
struct pattern *pattern_new(const struct st2110_video_layout *l, uint8_t *pic);
void pattern_draw_static(struct pattern *p);
/* Redraw the moving band for frame counter n; returns its buffer rows. */
void pattern_draw_band(struct pattern *p, uint64_t n, uint32_t *row0, uint32_t *rows);
void pattern_free(struct pattern *p);

/* vframe.c: the packets of one frame, contiguous, headers prefilled */
struct vpkt {
	uint32_t off;			/* in vframe.buf */
	uint16_t len;			/* RTP header .. end of data */
	uint8_t field;
	uint8_t nsrd;
	uint32_t pic_off[ST2110_20_MAX_SRD];
	uint16_t seg_len[ST2110_20_MAX_SRD];
	uint32_t row_lo, row_hi;	/* picture buffer rows the data comes from */
};

struct vframe {
	const struct st2110_video_layout *l;
	uint8_t *pic;			/* picture buffer, rows in picture order */
	size_t pic_bytes;
	uint8_t *buf;			/* all packets back to back */
	size_t buf_bytes;
	struct vpkt *pkt;
	uint32_t npkts;
	struct pattern *pat;
	uint32_t *band_pkts;		/* packets carrying the moving band */
	uint32_t band_npkts;
	uint64_t counter;		/* pattern frame counter in buf */
};

int vframe_init(struct vframe *vf, const struct st2110_video_layout *l,
		const struct send_cfg *cfg, const char **reason);
void vframe_prepare(struct vframe *vf, uint64_t counter);
/* Write sequence, ESN and timestamp of packet j. */
static inline void vframe_stamp(struct vframe *vf, uint32_t j, uint32_t seq, uint32_t ts)
{
	uint8_t *p = vf->buf + vf->pkt[j].off;

	p[ST2110_RTP_OFF_SEQ] = (uint8_t)(seq >> 8);
	p[ST2110_RTP_OFF_SEQ + 1] = (uint8_t)seq;
	p[ST2110_RTP_OFF_TS] = (uint8_t)(ts >> 24);
	p[ST2110_RTP_OFF_TS + 1] = (uint8_t)(ts >> 16);
	p[ST2110_RTP_OFF_TS + 2] = (uint8_t)(ts >> 8);
	p[ST2110_RTP_OFF_TS + 3] = (uint8_t)ts;
	p[ST2110_RTP_HDR_LEN] = (uint8_t)(seq >> 24);
	p[ST2110_RTP_HDR_LEN + 1] = (uint8_t)(seq >> 16);
}
void vframe_free(struct vframe *vf);

/* audio.c */
struct tone;
struct tone *tone_new(const struct st2110_audio_fmt *a, uint32_t tone_hz);
/* Fill the PCM of packet k (samples k*spp..) into out. */
void tone_fill(const struct tone *t, uint64_t k, uint8_t *out);
void tone_free(struct tone *t);

/* net.c */
struct tx_pkt {
	const uint8_t *buf;
	uint32_t len;
	uint64_t txtime_ns;		/* used in txtime mode */
};

struct tx {
	int fd;
	int family;
	int gso;
	int txtime;
	uint32_t batch;
	struct mmsghdr *msg;
	struct iovec *iov;
	uint8_t *ctl;			/* per-message control buffers */
	size_t ctl_len;
};

int tx_open(struct tx *tx, const struct send_cfg *cfg);
/*
 * Send n packets in order, in batches of sendmmsg(); in GSO mode runs of
 * contiguous equal-size packets become one UDP_SEGMENT super-packet.  Each
 * tx_pkt of a run must start where the previous one ended.
 */
int tx_send(struct tx *tx, const struct tx_pkt *p, uint32_t n, struct send_stats *st);
void tx_drain_errqueue(struct tx *tx, struct send_stats *st);
int tx_local_addr(const struct tx *tx, char *buf, size_t len);
void tx_close(struct tx *tx);
int net_is_multicast(const struct sockaddr_storage *ss);
int net_addr_str(const struct sockaddr_storage *ss, char *buf, size_t len);
int net_dev_mac(const char *dev, uint8_t mac[6]);
void net_probe_src(const struct send_cfg *cfg, char *buf, size_t len);

#endif /* ST2110_SEND_H */
