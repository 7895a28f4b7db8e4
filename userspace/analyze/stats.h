/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stats.h - min/avg/max accumulators and exact percentiles.
 *
 * Percentiles are exact: every sample is kept (8 bytes each) and the
 * nearest-rank value (rank ceil(p/100 * n), 1-based) is selected in O(n)
 * with quickselect at report time.  Past the per-stream sample limit the
 * later samples only update min/max and the count of dropped samples.
 */
#ifndef ANALYZE_STATS_H
#define ANALYZE_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mstat {
	uint64_t n;
	int64_t min;
	int64_t max;
	int64_t sum;		/* saturates; avg is then approximate */
};

static inline void mstat_add(struct mstat *m, int64_t v)
{
	if (!m->n || v < m->min)
		m->min = v;
	if (!m->n || v > m->max)
		m->max = v;
	if (__builtin_add_overflow(m->sum, v, &m->sum))
		m->sum = v < 0 ? INT64_MIN : INT64_MAX;
	m->n++;
}

/* floor of the mean (toward -inf), 0 if empty */
int64_t mstat_avg(const struct mstat *m);

struct samples {
	int64_t *v;
	size_t n;
	size_t cap;
	size_t limit;
	uint64_t dropped;
	bool oom;
};

void samples_init(struct samples *s, size_t limit);
void samples_add(struct samples *s, int64_t v);
/* nearest-rank percentile pct (1..100) of the kept samples; reorders them */
int64_t samples_pct(struct samples *s, unsigned int pct);
void samples_free(struct samples *s);

#endif /* ANALYZE_STATS_H */
