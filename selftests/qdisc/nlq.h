/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nlq.h - rtnetlink helpers of the st2110 qdisc tests: send RTM_*QDISC and
 * RTM_*TCLASS requests with exactly the attributes a test wants (valid or
 * not), collect the errno and the extack message, and read back a qdisc or a
 * class from a dump.  Built on libnl-3 and libnl-route-3.
 */
#ifndef ST2110_SELFTESTS_NLQ_H
#define ST2110_SELFTESTS_NLQ_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/pkt_sched_st2110.h>

struct nl_sock;

/*
 * One attribute of TCA_OPTIONS, in request order.  len is the payload size;
 * NLQ_NEST_START opens a nested attribute (with NLA_F_NESTED) and
 * NLQ_NEST_END closes the innermost one.
 */
#define NLQ_NEST_START	0xfffe
#define NLQ_NEST_END	0xffff

struct nlq_attr {
	uint16_t	type;
	uint16_t	len;
	union {
		uint8_t		u8;
		uint16_t	u16;
		uint32_t	u32;
		uint64_t	u64;
		unsigned char	bytes[16];
	} v;
};

#define NLQ_U8(t, x)	{ .type = (t), .len = 1, .v.u8 = (x) }
#define NLQ_U16(t, x)	{ .type = (t), .len = 2, .v.u16 = (x) }
#define NLQ_U32(t, x)	{ .type = (t), .len = 4, .v.u32 = (x) }
#define NLQ_U64(t, x)	{ .type = (t), .len = 8, .v.u64 = (x) }
#define NLQ_NEST(t)	{ .type = (t), .len = NLQ_NEST_START }
#define NLQ_END		{ .len = NLQ_NEST_END }

/* Request flags */
#define NLQ_NO_OPTIONS		0x1	/* no TCA_OPTIONS at all */
#define NLQ_OPTIONS_NOT_NESTED	0x2	/* TCA_OPTIONS without NLA_F_NESTED */

struct nlq {
	struct nl_sock	*sk;
	int		err;		/* errno of the last request, 0 = ok */
	char		extack[256];	/* its extack message, "" if none */
};

int nlq_open(struct nlq *n);
void nlq_close(struct nlq *n);
int nlq_ifindex(struct nlq *n, const char *ifname);

/*
 * cmd: RTM_NEWQDISC / RTM_DELQDISC; nlflags: NLM_F_CREATE, NLM_F_EXCL,
 * NLM_F_REPLACE.  Returns 0 or -errno (also in n->err, positive).
 */
int nlq_qdisc(struct nlq *n, int cmd, int nlflags, int ifindex,
	      uint32_t parent, uint32_t handle, const char *kind,
	      const struct nlq_attr *a, int na, unsigned int flags);

/* cmd: RTM_NEWTCLASS / RTM_DELTCLASS */
int nlq_class(struct nlq *n, int cmd, int nlflags, int ifindex,
	      uint32_t parent, uint32_t classid,
	      const struct nlq_attr *a, int na, unsigned int flags);

struct nlq_stats {
	uint64_t	bytes;
	uint64_t	packets;
	uint32_t	drops;
	uint32_t	qlen;
	uint32_t	backlog;
	uint32_t	overlimits;
};

struct nlq_qdisc_info {
	bool		found;
	char		kind[32];
	uint32_t	handle;
	uint32_t	parent;
	bool		has_options;
	bool		options_nested;		/* NLA_F_NESTED on TCA_OPTIONS */
	bool		has[TCA_ST2110_MAX + 1];
	int		unexpected;		/* attributes we do not know */
	uint32_t	clockid;
	uint32_t	timer_slack_ns;
	uint32_t	limit_pkts;
	uint64_t	link_rate_bps;
	uint8_t		offload;
	struct nlq_stats stats;
	bool		has_xstats;
	struct tc_st2110_xstats xstats;
};

struct nlq_class_info {
	bool		found;
	uint32_t	classid;
	uint32_t	parent;
	bool		has_match;
	int		family;			/* AF_INET, AF_INET6 */
	unsigned char	dst[16];		/* 4 bytes for AF_INET */
	unsigned char	src[16];
	bool		has_src;
	bool		has_port;
	uint16_t	port;			/* host order */
	bool		has_limit;
	uint32_t	limit_pkts;
	/* format: has[] tells which TCA_ST2110_CLASS_* were dumped */
	bool		has[TCA_ST2110_CLASS_MAX + 1];
	uint8_t		type;
	uint8_t		rtp_policy;
	uint64_t	troffset_ns;
	uint32_t	lead_pkts;
	/* nested values by attribute type, widened; vhas/ahas: present */
	uint32_t	video[TCA_ST2110_VIDEO_MAX + 1];
	bool		vhas[TCA_ST2110_VIDEO_MAX + 1];
	uint32_t	audio[TCA_ST2110_AUDIO_MAX + 1];
	bool		ahas[TCA_ST2110_AUDIO_MAX + 1];
	int		unexpected;
	struct nlq_stats stats;
	bool		has_xstats;
	struct tc_st2110_class_xstats xstats;
};

/* The qdisc with @handle on @ifindex (handle 0: the root qdisc). */
int nlq_get_qdisc(struct nlq *n, int ifindex, uint32_t handle,
		  struct nlq_qdisc_info *out);
/* The class @classid on @ifindex; *count gets the number of st2110 classes. */
int nlq_get_class(struct nlq *n, int ifindex, uint32_t classid,
		  struct nlq_class_info *out, int *count);

#endif
