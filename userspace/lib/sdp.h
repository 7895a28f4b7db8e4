/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sdp.h - a strict SDP (RFC 4566) reader and writer for ST 2110 streams.
 *
 * st2110_sdp_parse() reads one session description into a fixed-size
 * struct st2110_sdp (no allocation survives the call) holding one entry per
 * media description, with the session-level defaults (c=, source-filter,
 * ts-refclk, mediaclk) already applied.  Each video stream is checked with
 * the timing core (include/st2110/): what the parser accepts, the sender,
 * the qdisc and the analyzer can schedule.
 *
 * Errors name the line and the offending text ("sdp:7: fmtp: unknown
 * sampling 'YCbCr-4:2:3'"); the first error stops the parse.  A handful of
 * known real-world deviations are accepted with a warning instead (no TP,
 * a PTP grandmaster id written with spaces, ...); Documentation/sdp.md lists
 * every decision.  st2110_sdp_write() produces the canonical form, which
 * parses back to an equal struct (st2110_sdp_diff()).
 */
#ifndef ST2110_LIB_SDP_H
#define ST2110_LIB_SDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <netinet/in.h>

#include <st2110/st2110.h>

#define ST2110_SDP_MAX_STREAMS		8
#define ST2110_SDP_MAX_GROUPS		4
#define ST2110_SDP_MAX_SOURCES		4	/* source-filter addresses */
#define ST2110_SDP_MAX_REFCLKS		2	/* e.g. two PTP domains */
#define ST2110_SDP_MAX_WARNINGS		16
#define ST2110_SDP_MAX_ANC		8	/* DID_SDID pairs */
#define ST2110_SDP_MAX_BYTES		(64 * 1024)	/* st2110_sdp_load() */
#define ST2110_SDP_TOKEN_LEN		64	/* mid, user, channel-order, ... */
#define ST2110_SDP_TEXT_LEN		256	/* s=, i= */
#define ST2110_SDP_MSG_LEN		224

enum st2110_sdp_media {
	ST2110_SDP_VIDEO,		/* m=video raw/90000: ST 2110-20 */
	ST2110_SDP_AUDIO,		/* m=audio L16/L24: ST 2110-30 */
	ST2110_SDP_ANC,			/* m=video smpte291/90000: ST 2110-40 */
};

/* A numeric IPv4 or IPv6 address; family 0 means "none". */
struct st2110_sdp_addr {
	int family;			/* AF_INET, AF_INET6 or 0 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} u;
};

/* a=source-filter (RFC 4570), one destination. */
struct st2110_sdp_filter {
	bool present;
	bool exclude;			/* "excl" rather than "incl" */
	bool any_dst;			/* destination "*" */
	unsigned int nsrc;
	struct st2110_sdp_addr dst;
	struct st2110_sdp_addr src[ST2110_SDP_MAX_SOURCES];
};

enum st2110_sdp_refclk_kind {
	ST2110_REFCLK_PTP,		/* ptp=<version>:<gmid>[:<domain>] */
	ST2110_REFCLK_PTP_TRACEABLE,	/* ptp=<version>:traceable, ptp=traceable */
	ST2110_REFCLK_LOCALMAC,		/* localmac=<mac> */
};

enum st2110_sdp_ptp_version {
	ST2110_PTP_VERSION_NONE,	/* "ptp=traceable" */
	ST2110_PTP_IEEE1588_2002,
	ST2110_PTP_IEEE1588_2008,
	ST2110_PTP_IEEE1588_2019,
	ST2110_PTP_IEEE802_1AS_2011,
};

/* a=ts-refclk (RFC 7273, ST 2110-10 §8.2). */
struct st2110_sdp_refclk {
	uint8_t kind;			/* enum st2110_sdp_refclk_kind */
	uint8_t version;		/* enum st2110_sdp_ptp_version */
	bool has_domain;
	uint8_t domain;			/* 0..127 */
	uint8_t gmid[8];		/* PTP grandmaster EUI-64 */
	uint8_t mac[6];			/* localmac */
};

/* Optional ST 2110-20 parameters: 0 means "absent" (the default applies). */
enum st2110_sdp_colorimetry {
	ST2110_COLORIMETRY_BT601 = 1, ST2110_COLORIMETRY_BT709,
	ST2110_COLORIMETRY_BT2020, ST2110_COLORIMETRY_BT2100,
	ST2110_COLORIMETRY_ST2065_1, ST2110_COLORIMETRY_ST2065_3,
	ST2110_COLORIMETRY_UNSPECIFIED, ST2110_COLORIMETRY_XYZ,
	ST2110_COLORIMETRY_ALPHA, __ST2110_COLORIMETRY_MAX
};

enum st2110_sdp_tcs {
	ST2110_TCS_SDR = 1, ST2110_TCS_PQ, ST2110_TCS_HLG, ST2110_TCS_LINEAR,
	ST2110_TCS_BT2100LINPQ, ST2110_TCS_BT2100LINHLG, ST2110_TCS_ST2065_1,
	ST2110_TCS_ST428_1, ST2110_TCS_DENSITY, ST2110_TCS_ST2115LOGS3,
	ST2110_TCS_UNSPECIFIED, __ST2110_TCS_MAX
};

enum st2110_sdp_range {
	ST2110_RANGE_NARROW = 1, ST2110_RANGE_FULLPROTECT, ST2110_RANGE_FULL,
	__ST2110_RANGE_MAX
};

enum st2110_sdp_ssn {
	ST2110_SSN_2017 = 1,		/* ST2110-20:2017 */
	ST2110_SSN_2022,		/* ST2110-20:2022 */
	__ST2110_SSN_MAX
};

/* ST 2110-20 raw video: the a=fmtp parameters. */
struct st2110_sdp_video {
	struct st2110_video_fmt fmt;	/* max_payload_bytes 0: the core's default */
	uint8_t type;			/* enum st2110_sender_type (TP) */
	bool tp_assumed;		/* no TP in the SDP: type N assumed */
	uint8_t colorimetry;		/* enum st2110_sdp_colorimetry */
	uint8_t ssn;			/* enum st2110_sdp_ssn */
	uint8_t tcs;			/* enum st2110_sdp_tcs, 0 = absent (SDR) */
	uint8_t range;			/* enum st2110_sdp_range, 0 = absent (NARROW) */
	bool has_troff;
	uint16_t par_w, par_h;		/* 0:0 = absent (1:1) */
	uint32_t troff_us;		/* TROFF, if has_troff */
	uint32_t cmax_pkts;		/* CMAX, 0 = absent (the class CMAX) */
	uint32_t maxudp_bytes;		/* MAXUDP, 0 = absent (1460) */
};

/* ST 2110-30 PCM audio. */
struct st2110_sdp_audio {
	struct st2110_audio_fmt fmt;	/* samples_per_pkt from a=ptime */
	uint64_t maxptime_ns;		/* a=maxptime, 0 = absent */
	char channel_order[ST2110_SDP_TOKEN_LEN];	/* "" = absent */
};

/* ST 2110-40 ancillary data. */
struct st2110_sdp_anc {
	unsigned int ndid;
	uint8_t did_sdid[ST2110_SDP_MAX_ANC][2];
	bool has_vpid;
	uint32_t vpid_code;
};

struct st2110_sdp_stream {
	uint8_t media;			/* enum st2110_sdp_media */
	uint8_t pt;			/* RTP payload type, 96..127 */
	uint16_t port;			/* destination UDP port */
	uint16_t port_count;		/* m=<media> <port>/<count>, 1 if absent */
	uint8_t ttl;			/* IPv4 multicast only, else 0 */
	uint16_t addr_count;		/* c=<addr>[/ttl]/<count>, 1 if absent */
	struct st2110_sdp_addr dst;	/* c= */
	struct st2110_sdp_filter filter;
	unsigned int nrefclk;
	struct st2110_sdp_refclk refclk[ST2110_SDP_MAX_REFCLKS];
	uint32_t clock_hz;		/* a=rtpmap clock rate = media clock */
	bool has_ssrc;
	uint32_t ssrc;			/* first a=ssrc */
	char ssrc_attr[ST2110_SDP_TOKEN_LEN];	/* its attribute, e.g. "cname:x" */
	char mid[ST2110_SDP_TOKEN_LEN];	/* a=mid, "" if absent */
	int dup_group;			/* index in st2110_sdp.group, -1 if none */
	struct st2110_sdp_video video;	/* ST2110_SDP_VIDEO */
	struct st2110_sdp_audio audio;	/* ST2110_SDP_AUDIO */
	struct st2110_sdp_anc anc;	/* ST2110_SDP_ANC */
	unsigned int line;		/* of the m= line: for reports, not compared */
};

/* a=group:DUP (ST 2022-7 via RFC 7104): the streams sent twice. */
struct st2110_sdp_group {
	unsigned int nstream;
	unsigned int stream[ST2110_SDP_MAX_STREAMS];
};

struct st2110_sdp_diag {
	unsigned int line;		/* 1-based; 0 = the whole description */
	char msg[ST2110_SDP_MSG_LEN];
};

struct st2110_sdp {
	/* o= */
	char user[ST2110_SDP_TOKEN_LEN];
	uint64_t sess_id;
	uint64_t sess_version;
	int origin_family;		/* AF_INET or AF_INET6 (IP4/IP6) */
	char origin_addr[ST2110_SDP_TOKEN_LEN];	/* address or FQDN, as written */
	/* s=, i=, t= */
	char name[ST2110_SDP_TEXT_LEN];
	char info[ST2110_SDP_TEXT_LEN];	/* "" if absent */
	uint64_t t_start, t_stop;

	unsigned int nstream;
	struct st2110_sdp_stream stream[ST2110_SDP_MAX_STREAMS];
	unsigned int ngroup;
	struct st2110_sdp_group group[ST2110_SDP_MAX_GROUPS];

	/* accepted with a doubt: not part of the description (not written) */
	unsigned int nwarning;
	unsigned int warnings_dropped;
	struct st2110_sdp_diag warning[ST2110_SDP_MAX_WARNINGS];
};

/*
 * Parse len bytes (LF or CRLF lines, final newline optional).  Returns 0,
 * or -EINVAL with *err set (err->line 0 if no line is to blame).  *sdp is
 * always initialised; after an error only its warnings are meaningful.
 */
int st2110_sdp_parse(struct st2110_sdp *sdp, const char *buf, size_t len,
		     struct st2110_sdp_diag *err);

/* Read and parse a file ("-" is stdin); I/O errors are reported in *err. */
int st2110_sdp_load(struct st2110_sdp *sdp, const char *path,
		    struct st2110_sdp_diag *err);

/* "NAME:LINE: message" (or "NAME: message" for line 0) into buf. */
const char *st2110_sdp_format_diag(char *buf, size_t size, const char *name,
				   const struct st2110_sdp_diag *d);

/*
 * Each warning as "PREFIXNAME:LINE: warning: message" (compiler style), then
 * how many were dropped; prefix is e.g. "st2110-analyze: " or "".
 */
void st2110_sdp_print_warnings(FILE *f, const char *prefix, const char *name,
			       const struct st2110_sdp *sdp);

/*
 * Write the canonical description: CRLF line ends, every media attribute at
 * media level.  0, or -errno if the stream cannot be written or a stream
 * holds something the writer cannot express (-EINVAL).
 */
int st2110_sdp_write(FILE *f, const struct st2110_sdp *sdp);

/*
 * A complete single-stream description around *st (what a sender writes):
 * o=- 0 0 with the first source-filter source (or 0.0.0.0), s=name.
 */
int st2110_sdp_write_stream(FILE *f, const struct st2110_sdp_stream *st,
			    const char *name);

/* NULL if equal (warnings aside), else the name of the first field that differs. */
const char *st2110_sdp_diff(const struct st2110_sdp *a, const struct st2110_sdp *b);
const char *st2110_sdp_stream_diff(const struct st2110_sdp_stream *a,
				   const struct st2110_sdp_stream *b);

/*
 * The layout (NPACKETS) and ST 2110-21 schedule of a video stream, with the
 * core's default payload size (SDP does not carry it).  TROFF is TROFFSET
 * in µs; when it equals the rounded TRODEFAULT the exact TRODEFAULT is used,
 * else TROFF * 1000 ns.  0 or -errno with *reason from the core.
 */
int st2110_sdp_video_sched(const struct st2110_sdp_stream *st,
			   struct st2110_video_layout *l, struct st2110_sched *s,
			   const char **reason);

/* Names for output; each returns "?" for an out-of-range value. */
const char *st2110_sdp_media_name(unsigned int media);
const char *st2110_sdp_type_name(unsigned int type);		/* "2110TPN" */
const char *st2110_sdp_packing_name(unsigned int packing);	/* "2110GPM" */
const char *st2110_sdp_scan_name(unsigned int scan);		/* "progressive" */
const char *st2110_sdp_colorimetry_name(unsigned int c);
const char *st2110_sdp_tcs_name(unsigned int tcs);
const char *st2110_sdp_range_name(unsigned int range);
const char *st2110_sdp_ssn_name(unsigned int ssn);
const char *st2110_sdp_ptp_version_name(unsigned int v);

/* The enum st2110_sdp_colorimetry of an SDP token ("BT709"), 0 if unknown. */
unsigned int st2110_sdp_colorimetry_lookup(const char *name);

/*
 * One a=ts-refclk value as SDP writes it ("ptp=IEEE1588-2008:GM[:DOMAIN]",
 * "ptp=traceable", "localmac=MAC"), e.g. from a command line.  0, or
 * -EINVAL with err->msg set (err->line 0); the parser's warnings (an
 * all-zero grandmaster) are not reported.
 */
int st2110_sdp_refclk_parse(const char *value, struct st2110_sdp_refclk *rc,
			    struct st2110_sdp_diag *err);

/* The address as text; buf must hold INET6_ADDRSTRLEN bytes. */
const char *st2110_sdp_addr_str(const struct st2110_sdp_addr *a, char *buf, size_t size);
bool st2110_sdp_addr_equal(const struct st2110_sdp_addr *a, const struct st2110_sdp_addr *b);

#endif /* ST2110_LIB_SDP_H */
