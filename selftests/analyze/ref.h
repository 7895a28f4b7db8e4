/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ref.h - the tests' own ST 2110-21 model, written out from the standard's
 * formulas (timing brief §1.2-1.7, §7.3-7.4) with exact 128-bit rationals.
 *
 * It shares no code with the analyzer or the timing core: every expected
 * value the tests compare against comes from here or from the brief's
 * tables.  Times are held in units of 1/D ns, D chosen so that TFRAME,
 * TRS, TROFFSET and TDRAIN are all whole numbers of units.
 */
#ifndef ANALYZE_TEST_REF_H
#define ANALYZE_TEST_REF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef __int128 i128;

struct tfmt {
	/* inputs */
	uint32_t rate_num, rate_den;	/* frame rate */
	uint32_t height;
	bool interlaced;
	uint32_t npackets;		/* per frame, both fields */
	int64_t troffset_ns;		/* -1: TRODEFAULT */
	/* derived, in 1/D ns */
	i128 D, tframe, half, trs_g, trs_l, tro, tro_default, tdrain;
	uint32_t field_pkts;
	/* §7.1 limits */
	uint32_t cmax_n, cmax_nl, cmax_w, vrx_n, vrx_w;
};

int tfmt_init(struct tfmt *f);
/* TPR_j of frame N, gapped or linear, in 1/D ns (TROFFSET as configured). */
i128 tfmt_tpr(const struct tfmt *f, bool linear, uint64_t frame, uint32_t j);
/* Same with TRODEFAULT, as EBU LIST assumes. */
i128 tfmt_tpr_default(const struct tfmt *f, bool linear, uint64_t frame, uint32_t j);

/* One packet as written to a test capture. */
struct tpkt {
	uint64_t t_ns;		/* as stored in the file */
	uint64_t frame;		/* N */
	uint32_t j;		/* index in the frame */
	bool marker;
	bool dup;		/* a repeated copy */
	/* what the writer puts in the packet; the model does not look */
	uint32_t seq32;		/* ESN << 16 | sequence number */
	uint32_t ts;
	uint16_t row;
	uint8_t field;
};

struct ref_prs {
	int64_t vrx_min, vrx_max;
	uint64_t late;
	int64_t err_max_ns, err_min_ns;	/* ceil(t - TPR_j) */
};

struct ref_result {
	uint64_t cinst_strict, cinst_list;
	struct ref_prs prs[2];		/* 0 gapped, 1 linear */
	int64_t list_vrx_min[2], list_vrx_max[2];
	int64_t p50_ns, p99_ns;		/* gapped PRS, nearest rank */
};

int ref_run(const struct tfmt *f, const struct tpkt *p, size_t n, struct ref_result *r);

#endif /* ANALYZE_TEST_REF_H */
