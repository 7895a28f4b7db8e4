// SPDX-License-Identifier: GPL-2.0
/* vrx.c - continuous strict VRX bucket (see vrx.h). */
#include <stdlib.h>
#include <string.h>

#include "vrx.h"

void vrx_init(struct vrx *v, uint64_t horizon_ns)
{
	memset(v, 0, sizeof(*v));
	v->horizon_ns = horizon_ns;
}

void vrx_free(struct vrx *v)
{
	free(v->pend);
	free(v->ring);
	v->pend = NULL;
	v->ring = NULL;
}

/*
 * Pending read times, kept sorted in a ring: they come nearly in order
 * (TPR_j grows with j), so a push is an append and a pop takes the front;
 * only reordered packets shift a few entries.
 */
static inline uint64_t *pend_at(struct vrx *v, uint32_t i)
{
	return &v->pend[(v->pend_head + i) & (v->pend_cap - 1)];
}

static bool pend_push(struct vrx *v, uint64_t x)
{
	uint32_t i;

	if (v->pend_n == v->pend_cap) {
		uint32_t cap = v->pend_cap ? v->pend_cap * 2 : 256;
		uint64_t *p = malloc(cap * sizeof(*p));

		if (!p)
			return false;
		for (i = 0; i < v->pend_n; i++)
			p[i] = *pend_at(v, i);
		free(v->pend);
		v->pend = p;
		v->pend_cap = cap;
		v->pend_head = 0;
	}
	for (i = v->pend_n++; i && *pend_at(v, i - 1) > x; i--)
		*pend_at(v, i) = *pend_at(v, i - 1);
	*pend_at(v, i) = x;
	return true;
}

static inline struct vrx_point *ring_at(struct vrx *v, uint32_t i)
{
	return &v->ring[(v->ring_head + i) & (v->ring_cap - 1)];
}

static void finalize_front(struct vrx *v)
{
	struct vrx_point *p = ring_at(v, 0);
	int64_t occ;

	v->run += p->delta;
	occ = p->occ + v->run;
	if (!v->any || occ < v->min)
		v->min = occ;
	if (!v->any || occ > v->max)
		v->max = occ;
	v->any = true;
	v->last_final_ns = p->t_ns;
	v->ring_head = (v->ring_head + 1) & (v->ring_cap - 1);
	v->ring_n--;
	if (!v->ring_n) {
		/* nothing left to correct: pending cancels are moot */
		v->run += v->cancel;
		v->cancel = 0;
	}
}

static bool ring_grow(struct vrx *v)
{
	uint32_t cap = v->ring_cap ? v->ring_cap * 2 : 1024, i;
	struct vrx_point *r = malloc(cap * sizeof(*r));

	if (!r)
		return false;
	for (i = 0; i < v->ring_n; i++)
		r[i] = *ring_at(v, i);
	free(v->ring);
	v->ring = r;
	v->ring_cap = cap;
	v->ring_head = 0;
	return true;
}

/* Subtract one from every held sample taken at or after tpr_ns. */
static void correct_late(struct vrx *v, uint64_t tpr_ns)
{
	uint32_t lo = 0, hi = v->ring_n;

	/* samples in [tpr_ns, oldest held) are final already: too late to fix */
	if (v->any && v->last_final_ns >= tpr_ns)
		v->beyond_horizon++;
	if (!v->ring_n)
		return;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (ring_at(v, mid)->t_ns >= tpr_ns)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (lo == v->ring_n)
		return;
	ring_at(v, lo)->delta -= 1;
	v->cancel += 1;
}

void vrx_add(struct vrx *v, uint64_t t_ns, uint64_t tpr_ns)
{
	struct vrx_point *p;

	if (v->oom)
		return;
	while (v->pend_n && *pend_at(v, 0) <= t_ns) {
		v->pend_head = (v->pend_head + 1) & (v->pend_cap - 1);
		v->pend_n--;
		v->read++;
	}
	v->arrived++;
	if (tpr_ns <= t_ns) {
		v->read++;
		correct_late(v, tpr_ns);
	} else if (!pend_push(v, tpr_ns)) {
		v->oom = true;
		return;
	}
	while (v->ring_n && ring_at(v, 0)->t_ns + v->horizon_ns < t_ns)
		finalize_front(v);
	if (v->ring_n == v->ring_cap && !ring_grow(v)) {
		v->oom = true;
		return;
	}
	p = ring_at(v, v->ring_n++);
	p->t_ns = t_ns;
	p->occ = (int64_t)(v->arrived - v->read);
	p->delta = v->cancel;
	v->cancel = 0;
}

void vrx_flush(struct vrx *v)
{
	while (v->ring_n)
		finalize_front(v);
}
