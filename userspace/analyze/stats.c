// SPDX-License-Identifier: GPL-2.0
/* stats.c - accumulators and exact percentiles (see stats.h). */
#include <stdlib.h>

#include "stats.h"

int64_t mstat_avg(const struct mstat *m)
{
	int64_t q;

	if (!m->n)
		return 0;
	q = m->sum / (int64_t)m->n;
	if (m->sum % (int64_t)m->n < 0)
		q--;
	return q;
}

void samples_init(struct samples *s, size_t limit)
{
	s->v = NULL;
	s->n = 0;
	s->cap = 0;
	s->limit = limit;
	s->dropped = 0;
	s->oom = false;
}

void samples_add(struct samples *s, int64_t v)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 4096;
		int64_t *nv;

		if (cap > s->limit)
			cap = s->limit;
		if (cap <= s->n) {
			s->dropped++;
			return;
		}
		nv = realloc(s->v, cap * sizeof(*nv));
		if (!nv) {
			s->oom = true;
			s->dropped++;
			return;
		}
		s->v = nv;
		s->cap = cap;
	}
	s->v[s->n++] = v;
}

static void swap64(int64_t *a, int64_t *b)
{
	int64_t t = *a;

	*a = *b;
	*b = t;
}

/* k-th smallest (0-based) of v[0..n): Hoare quickselect, median-of-3 pivot */
static int64_t select_kth(int64_t *v, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2, i, j;
		int64_t pivot;

		if (v[mid] < v[lo])
			swap64(&v[mid], &v[lo]);
		if (v[hi] < v[lo])
			swap64(&v[hi], &v[lo]);
		if (v[hi] < v[mid])
			swap64(&v[hi], &v[mid]);
		pivot = v[mid];
		i = lo;
		j = hi;
		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				swap64(&v[i], &v[j]);
				i++;
				if (!j)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return v[k];
	}
	return v[k];
}

int64_t samples_pct(struct samples *s, unsigned int pct)
{
	size_t rank;

	if (!s->n)
		return 0;
	if (pct > 100)
		pct = 100;
	rank = (s->n * pct + 99) / 100;	/* ceil(p/100 * n), 1-based */
	if (!rank)
		rank = 1;
	return select_kth(s->v, s->n, rank - 1);
}

void samples_free(struct samples *s)
{
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}
