/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * st2110_genl.h - the "st2110" generic netlink family.
 *
 * Live events of the st2110 qdisc (a stream's packet late, a stream's
 * packet dropped at its limit, a video frame over CMAX or VRXFULL at
 * release), multicast to the "events" group of the
 * network namespace the qdisc's device lives in, rate limited per
 * namespace.  "st2110 monitor" listens; any program can (libnl-genl:
 * genl_ctrl_resolve_grp()).  Needs sch_st2110 loaded.
 *
 * Attributes and commands are only ever appended: never renumber or reuse.
 */
#ifndef _UAPI_LINUX_ST2110_GENL_H
#define _UAPI_LINUX_ST2110_GENL_H

#include <linux/types.h>

#define ST2110_GENL_NAME		"st2110"
#define ST2110_GENL_VERSION		1
#define ST2110_GENL_MCGRP_EVENTS	"events"

enum {
	ST2110_CMD_UNSPEC,
	ST2110_CMD_GET_CONFIG,		/* doit: the namespace's event config */
	ST2110_CMD_SET_CONFIG,		/* doit, CAP_NET_ADMIN: change it */
	ST2110_CMD_EVENT,		/* notification on the "events" group */
	__ST2110_CMD_MAX
};

#define ST2110_CMD_MAX (__ST2110_CMD_MAX - 1)

enum {
	ST2110_A_UNSPEC,
	ST2110_A_PAD,
	/* config (GET_CONFIG reply, SET_CONFIG request) */
	ST2110_A_RATE_PER_SEC,		/* u32, events per second per namespace */
	ST2110_A_BURST,			/* u32, events at once (token bucket depth) */
	ST2110_A_SUPPRESSED,		/* u64, events lost to the rate limit (read only) */
	/* event */
	ST2110_A_EVENT_TYPE,		/* u16, enum st2110_event_type */
	ST2110_A_IFINDEX,		/* u32, the qdisc's device */
	ST2110_A_CLASSID,		/* u32, tc handle of the class (stream) */
	ST2110_A_TIME_NS,		/* u64, CLOCK_TAI when it happened */
	ST2110_A_VALUE,			/* u64, see enum st2110_event_type */
	ST2110_A_LIMIT,			/* u64, see enum st2110_event_type */
	ST2110_A_COUNT,			/* u64, occurrences this event stands for */
	__ST2110_A_MAX
};

#define ST2110_A_MAX (__ST2110_A_MAX - 1)

/*
 * An event of one kind is sent at most once per ST2110_EVENT_HOLDOFF_NS per
 * class; ST2110_A_COUNT says how many occurrences it stands for (those held
 * off since the previous one, plus this one).
 */
enum st2110_event_type {
	ST2110_EVENT_UNSPEC,
	ST2110_EVENT_STREAM_LATE,	/* VALUE lateness ns of this one */
	ST2110_EVENT_STREAM_DROP,	/* VALUE class drops so far, LIMIT class limit */
	ST2110_EVENT_FRAME_CMAX,	/* VALUE a frame's peak CINST at release, LIMIT CMAX */
	ST2110_EVENT_FRAME_VRX,		/* VALUE a frame's peak VRX at release, LIMIT VRXFULL */
	__ST2110_EVENT_MAX
};

#define ST2110_EVENT_MAX (__ST2110_EVENT_MAX - 1)

#define ST2110_EVENT_HOLDOFF_NS		100000000ULL	/* 100 ms */
#define ST2110_DEFAULT_RATE_PER_SEC	100
#define ST2110_DEFAULT_BURST		100
#define ST2110_MAX_RATE_PER_SEC		10000
#define ST2110_MAX_BURST		10000

#endif /* _UAPI_LINUX_ST2110_GENL_H */
