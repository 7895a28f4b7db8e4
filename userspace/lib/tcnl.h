/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcnl.h - the st2110 qdisc and its stream classes as the tools see them:
 * one option vocabulary (the words of "st2110 stream" and of tc's
 * q_st2110.so), one encoder of TCA_OPTIONS and one decoder of dumps, so
 * that the CLI and the tc plugin can never disagree on the wire format.
 *
 * The option part (st2110_{qdisc,class}_*) is plain C over raw netlink
 * attributes and is also compiled into the tc plugin; the rtnetlink part
 * (st2110_nl_*, below TCNL_NO_LIBNL) uses libnl-3 / libnl-route-3.
 *
 * Option words (tc-st2110(8), st2110(8)):
 *   qdisc: limit PKTS  slack NS  linkrate RATE  offload | nooffload
 *          clockid CLOCK
 *   class: dst|group ADDR  port PORT  src ADDR  limit PKTS
 *          video FMT [sampling S] [depth D] [packing gpm|bpm]
 *                    [payload BYTES] [npackets N]
 *          audio RATE:CHANNELS:L16|L24:PTIME
 *          type N|NL|W  troffset NS|default  lead PKTS|default
 *          rtp follow|restamp  unpaced
 */
#ifndef ST2110_LIB_TCNL_H
#define ST2110_LIB_TCNL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <st2110/st2110.h>
#include <uapi/linux/pkt_sched_st2110.h>

#define ST2110_TC_KIND		"st2110"
#define ST2110_OPT_MAX_BYTES	512	/* encoded TCA_OPTIONS, ample */
#define ST2110_ERR_LEN		160

struct st2110_qdisc_cfg {
	bool has_clockid, has_slack, has_limit, has_rate, has_offload;
	uint32_t clockid;
	uint32_t slack_ns;
	uint32_t limit_pkts;
	uint64_t link_rate_bps;
	uint8_t offload;
	unsigned int unknown_attrs;	/* decode: attributes newer than us */
};

/*
 * A stream class.  has_* say what was given (a change sends only those)
 * or, after a decode, what the kernel dumped.
 */
struct st2110_class_cfg {
	bool has_match, has_src, has_port, has_limit;
	bool has_video, has_audio, has_type, has_troffset, has_lead, has_rtp;
	bool unpaced;
	/* video words given without "video": only valid with it */
	bool has_vsub;
	int family;			/* AF_INET or AF_INET6 */
	uint8_t dst[16], src[16];	/* network order, 4 bytes for IPv4 */
	uint16_t port;			/* host order */
	uint32_t limit_pkts;
	struct st2110_video_fmt video;
	uint32_t npackets;
	struct st2110_audio_fmt audio;
	uint8_t type;			/* enum tc_st2110_sender_type */
	uint64_t troffset_ns;		/* TC_ST2110_TROFFSET_DEFAULT */
	uint32_t lead_pkts;		/* TC_ST2110_LEAD_DEFAULT */
	uint8_t rtp_policy;
	unsigned int unknown_attrs;
};

/* ---- option words ----------------------------------------------------- */

/* The class/qdisc words that take no value. */
bool st2110_class_is_flag(const char *key);
bool st2110_qdisc_is_flag(const char *key);

/*
 * Apply one word (val NULL for a flag).  0; -ENOENT if key is not an
 * option word; -EINVAL with err set for a bad value.  Defaults for a new
 * class: st2110_class_init().
 */
void st2110_class_init(struct st2110_class_cfg *c);
int st2110_class_arg(struct st2110_class_cfg *c, const char *key, const char *val,
		     char *err, size_t errlen);
int st2110_qdisc_arg(struct st2110_qdisc_cfg *q, const char *key, const char *val,
		     char *err, size_t errlen);

/*
 * Whole-set checks (create: a new class, so the match is required), with
 * the format checked by the timing core as the kernel will.  0 or -EINVAL
 * with err set.
 */
int st2110_class_check(const struct st2110_class_cfg *c, bool create, char *err,
		       size_t errlen);

/* ---- names ------------------------------------------------------------ */

const char *st2110_type_word(unsigned int type);	/* "N", "NL", "W" */
int st2110_type_parse(const char *s, uint8_t *type);
const char *st2110_packing_word(unsigned int packing);	/* "gpm", "bpm" */
const char *st2110_rtp_word(unsigned int policy);	/* "follow", "restamp" */
const char *st2110_clock_word(uint32_t clockid);	/* "CLOCK_TAI", NULL */
/* "48000:2:L24:1ms": the audio syntax of st2110-send --audio */
int st2110_audio_spec_parse(const char *s, struct st2110_audio_fmt *a, const char **reason);
void st2110_audio_spec(char *buf, size_t len, const struct st2110_audio_fmt *a);
/* "10gbit" style, exact; parse takes bit, kbit, mbit, gbit, tbit or none */
int st2110_rate_parse(const char *s, uint64_t *bps);
void st2110_rate_word(char *buf, size_t len, uint64_t bps);
/* The match address as text into buf (INET6_ADDRSTRLEN). */
const char *st2110_class_addr(const struct st2110_class_cfg *c, bool src, char *buf,
			      size_t len);

/* ---- wire format ------------------------------------------------------- */

/*
 * The payload of TCA_OPTIONS (send it with NLA_F_NESTED).  Returns its
 * length, or 0 if it does not fit in cap.
 */
size_t st2110_qdisc_encode(const struct st2110_qdisc_cfg *q, void *buf, size_t cap);
size_t st2110_class_encode(const struct st2110_class_cfg *c, void *buf, size_t cap);

/*
 * Decode a dumped TCA_OPTIONS payload; attributes this build does not know
 * are counted in unknown_attrs, not fatal.  0 or -EINVAL (malformed).
 */
int st2110_qdisc_decode(struct st2110_qdisc_cfg *q, const void *buf, size_t len);
int st2110_class_decode(struct st2110_class_cfg *c, const void *buf, size_t len);

/* Copy xstats of any size: the common prefix, the rest zeroed. */
void st2110_xstats_copy(void *dst, size_t dst_len, const void *src, size_t src_len);

#ifndef TCNL_NO_LIBNL
/* ---- rtnetlink over libnl-3 ---------------------------------------------- */

struct nl_sock;

struct st2110_nl {
	struct nl_sock *sk;
	int err;			/* errno of the last request */
	char extack[256];		/* its extack message, "" if none */
};

struct st2110_tc_stats {
	uint64_t bytes, packets;
	uint32_t drops, overlimits, qlen, backlog_bytes, requeues;
};

struct st2110_nl_qdisc {
	int ifindex;
	uint32_t handle, parent;
	char kind[32];
	bool is_st2110, has_opts;
	struct st2110_qdisc_cfg cfg;
	struct st2110_tc_stats stats;
	bool has_xstats;
	struct tc_st2110_xstats xstats;
};

struct st2110_nl_class {
	int ifindex;
	uint32_t classid, parent;
	char kind[32];
	bool is_st2110, has_opts;
	struct st2110_class_cfg cfg;
	struct st2110_tc_stats stats;
	bool has_xstats;
	struct tc_st2110_class_xstats xstats;
};

int st2110_nl_open(struct st2110_nl *n);		/* rtnetlink */
int st2110_nl_open_generic(struct st2110_nl *n);	/* generic netlink */
void st2110_nl_close(struct st2110_nl *n);
struct nl_msg;
/*
 * Send msg and read the answer: valid (if any) sees each reply message.
 * Returns 0 or -errno; n->err and n->extack say what the kernel said.
 */
int st2110_nl_transact(struct st2110_nl *n, struct nl_msg *msg,
		       int (*valid)(struct nl_msg *msg, void *arg), void *arg);
/* ifindex of name, or -ENODEV */
int st2110_nl_ifindex(struct st2110_nl *n, const char *name);
/* Name of ifindex into buf (IFNAMSIZ); "?" if gone. */
const char *st2110_nl_ifname(struct st2110_nl *n, int ifindex, char *buf, size_t len);

/*
 * cmd RTM_NEWQDISC/RTM_DELQDISC, RTM_NEWTCLASS/RTM_DELTCLASS; flags
 * NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE.  cfg NULL: no TCA_OPTIONS.
 * 0 or -errno; n->err and n->extack tell the kernel's answer.
 */
int st2110_nl_qdisc(struct st2110_nl *n, int cmd, int flags, int ifindex,
		    uint32_t parent, uint32_t handle, const char *kind,
		    const struct st2110_qdisc_cfg *cfg);
int st2110_nl_class(struct st2110_nl *n, int cmd, int flags, int ifindex,
		    uint32_t parent, uint32_t classid, const struct st2110_class_cfg *cfg);

/* Dumps (ifindex 0: every device for qdiscs; classes need a device). */
int st2110_nl_dump_qdiscs(struct st2110_nl *n, int ifindex,
			  int (*cb)(const struct st2110_nl_qdisc *q, void *arg), void *arg);
int st2110_nl_dump_classes(struct st2110_nl *n, int ifindex,
			   int (*cb)(const struct st2110_nl_class *c, void *arg), void *arg);
/* The root qdisc of ifindex; -ENOENT if there is none. */
int st2110_nl_root_qdisc(struct st2110_nl *n, int ifindex, struct st2110_nl_qdisc *out);
#endif

#endif /* ST2110_LIB_TCNL_H */
