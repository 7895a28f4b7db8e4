/* SPDX-License-Identifier: GPL-2.0 */
/*
 * st2110_genl.h - the qdisc's side of the "st2110" generic netlink family
 * (include/uapi/linux/st2110_genl.h): events out of the data path.
 */
#ifndef _ST2110_GENL_H
#define _ST2110_GENL_H

#include <linux/types.h>
#include <net/sch_generic.h>
#include <uapi/linux/st2110_genl.h>

/* Per class and event type: the hold-off state; zeroed with the class. */
struct st2110_ev_state {
	u64	last_ns;	/* when the last event of this kind was sent */
	u64	held;		/* occurrences held off since then */
};

/*
 * Note one occurrence of @type on class @classid of @sch at @now_ns
 * (CLOCK_TAI).  Called under the qdisc lock, in any context: it neither
 * allocates nor sleeps; the message is built and multicast later from a
 * work item.  Held off per class (ST2110_EVENT_HOLDOFF_NS) and rate
 * limited per network namespace.
 */
void st2110_event(struct Qdisc *sch, u32 classid, struct st2110_ev_state *st,
		  enum st2110_event_type type, u64 now_ns, u64 value, u64 limit);

int st2110_genl_init(void);
void st2110_genl_exit(void);

#endif /* _ST2110_GENL_H */
