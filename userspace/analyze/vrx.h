/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vrx.h - the strict ST 2110-21 §6.6.2 virtual receiver buffer.
 *
 * One bucket for the whole stream (not reset per frame): a packet enters
 * when it is captured and leaves at its read time TPR_j.  The occupancy
 * sampled just after each arrival is
 *
 *     VRX(t) = packets arrived by t - packets with TPR_j <= t
 *
 * counting captured packets only (a lost packet is neither arrived nor
 * read, so it does not shift the others), duplicates excluded by the
 * caller.  A packet that arrives after its TPR_j was read "before it
 * existed": every sample taken in [TPR_j, arrival) is one too high.  Those
 * samples are kept for a horizon (two frames) and corrected when the late
 * packet shows up; a packet later than the horizon is counted in
 * beyond_horizon and its correction only reaches the samples still held.
 *
 * A packet landing exactly on its read instant is read first (occupancy
 * unchanged), as in the ST 2110-21 examples.  Times are integer ns and the
 * caller passes ceil(TPR_j), which makes "TPR_j <= t" exact for integer t.
 */
#ifndef ANALYZE_VRX_H
#define ANALYZE_VRX_H

#include <stdbool.h>
#include <stdint.h>

struct vrx_point {
	uint64_t t_ns;
	int64_t occ;		/* provisional occupancy */
	int64_t delta;		/* correction applying to this and later points */
};

struct vrx {
	uint64_t horizon_ns;
	/* read times of arrived packets not yet read, sorted, in a ring */
	uint64_t *pend;
	uint32_t pend_head;
	uint32_t pend_n;
	uint32_t pend_cap;
	uint64_t arrived;
	uint64_t read;
	/* samples not final yet, oldest first, in a ring */
	struct vrx_point *ring;
	uint32_t ring_head;
	uint32_t ring_n;
	uint32_t ring_cap;
	int64_t run;		/* sum of the deltas of finalized points */
	int64_t cancel;		/* delta for the next point (ends a correction) */
	uint64_t last_final_ns;	/* time of the newest finalized sample */
	/* results */
	bool any;
	int64_t min;
	int64_t max;
	uint64_t beyond_horizon;
	bool oom;
};

void vrx_init(struct vrx *v, uint64_t horizon_ns);
/* a packet arrived at t_ns and is read at tpr_ns = ceil(TPR_j) */
void vrx_add(struct vrx *v, uint64_t t_ns, uint64_t tpr_ns);
void vrx_flush(struct vrx *v);	/* finalize all samples (end of capture) */
void vrx_free(struct vrx *v);

#endif /* ANALYZE_VRX_H */
