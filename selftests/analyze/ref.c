// SPDX-License-Identifier: GPL-2.0
/*
 * ref.c - the tests' independent ST 2110-21 model (see ref.h).
 *
 * Deliberately the plain way: VRX by counting, for every arrival, the read
 * times not later than it in a sorted array; no incremental tricks.
 */
#include <stdlib.h>
#include <string.h>

#include "ref.h"

static i128 floor_div(i128 a, i128 b)
{
	i128 q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

static i128 ceil_div(i128 a, i128 b)
{
	return -floor_div(-a, b);
}

int tfmt_init(struct tfmt *f)
{
	uint32_t ra_n, ra_d, tro_n, tro_d;
	i128 np = f->npackets, per_s_num, per_s_den;

	/* ST 2110-21 §6.3.2 and Table 1 */
	if (!f->interlaced) {
		ra_n = 1080;
		ra_d = 1125;
		tro_n = f->height >= 1080 ? 43 : 28;
		tro_d = f->height >= 1080 ? 1125 : 750;
	} else if (f->height == 576) {
		ra_n = 576; ra_d = 625; tro_n = 26; tro_d = 625;
	} else if (f->height == 480 || f->height == 486) {
		ra_n = 487; ra_d = 525; tro_n = 20; tro_d = 525;
	} else {
		ra_n = 1080; ra_d = 1125; tro_n = 22; tro_d = 1125;
	}
	f->field_pkts = f->interlaced ? f->npackets / 2 : f->npackets;
	/* a common multiple of every denominator below */
	f->D = (i128)f->rate_num * ra_d * tro_d * np * 22;
	f->tframe = (i128)1000000000 * f->rate_den * f->D / f->rate_num;
	if (f->tframe * f->rate_num != (i128)1000000000 * f->rate_den * f->D)
		return -1;
	f->half = f->tframe / 2;
	f->trs_g = f->tframe * ra_n / (ra_d * np);		/* TFRAME * RACTIVE / NPACKETS */
	f->trs_l = f->tframe / np;				/* TFRAME / NPACKETS */
	f->tdrain = f->tframe * 10 / (11 * np);			/* (TFRAME / NPACKETS) / 1.1 */
	f->tro_default = f->tframe * tro_n / tro_d;
	f->tro = f->troffset_ns < 0 ? f->tro_default : (i128)f->troffset_ns * f->D;
	if (f->trs_g * ra_d * np != f->tframe * ra_n || f->tdrain * 11 * np != f->tframe * 10 ||
	    f->tro_default * tro_d != f->tframe * tro_n || f->half * 2 != f->tframe)
		return -1;

	/* §7.1, with RNOMINAL = NPACKETS / TFRAME = np * num / den per second */
	per_s_num = np * f->rate_num;
	per_s_den = f->rate_den;
#define MAXI(min, v) ((v) > (min) ? (uint32_t)(v) : (uint32_t)(min))
	f->cmax_n = MAXI(4, per_s_num * ra_d / (43200 * per_s_den * ra_n));
	f->cmax_nl = MAXI(4, per_s_num / (43200 * per_s_den));
	f->cmax_w = MAXI(16, per_s_num / (21600 * per_s_den));
	f->vrx_n = MAXI(1500 * 8 / 1500, per_s_num / (27000 * per_s_den));
	f->vrx_w = MAXI(1500 * 720 / 1500, per_s_num / (300 * per_s_den));
#undef MAXI
	return 0;
}

static i128 tpr(const struct tfmt *f, bool linear, uint64_t frame, uint32_t j, i128 tro)
{
	i128 trs = linear ? f->trs_l : f->trs_g, t = (i128)frame * f->tframe + tro;

	if (f->interlaced && j >= f->field_pkts)
		return t + f->half + (i128)(j - f->field_pkts) * trs;
	return t + (i128)j * trs;
}

i128 tfmt_tpr(const struct tfmt *f, bool linear, uint64_t frame, uint32_t j)
{
	return tpr(f, linear, frame, j, f->tro);
}

i128 tfmt_tpr_default(const struct tfmt *f, bool linear, uint64_t frame, uint32_t j)
{
	return tpr(f, linear, frame, j, f->tro_default);
}

static int cmp_i128(const void *a, const void *b)
{
	i128 x = *(const i128 *)a, y = *(const i128 *)b;

	return x < y ? -1 : x > y;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* number of v[0..n) <= x, v sorted */
static size_t count_le(const i128 *v, size_t n, i128 x)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (v[mid] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int ref_run(const struct tfmt *f, const struct tpkt *p, size_t n, struct ref_result *r)
{
	i128 *reads = malloc(n * sizeof(*reads)), t0 = 0, k, kprev = 0, cl, clprev = 0;
	int64_t *errs = malloc(n * sizeof(*errs)), c = 0, lc = 0;
	size_t i, m, nerr = 0;
	int lin;

	if (!reads || !errs)
		return -1;
	memset(r, 0, sizeof(*r));

	/* CINST: every packet, duplicates included (they use the link) */
	for (i = 0; i < n; i++) {
		i128 t = (i128)p[i].t_ns * f->D;

		k = floor_div(t, f->tdrain);		/* epoch grid */
		if (!i) {
			c = 1;
			t0 = t;
			lc = 0;
		} else {
			i128 d = k - kprev;

			c = (int64_t)(c - d > 0 ? c - d : 0) + 1;
			cl = floor_div(t - t0, f->tdrain);	/* LIST: first packet */
			lc = (int64_t)(lc + 1 - (cl - clprev));
			if (lc < 0)
				lc = 0;
			clprev = cl;
		}
		kprev = k;
		if ((uint64_t)c > r->cinst_strict)
			r->cinst_strict = (uint64_t)c;
		if ((uint64_t)lc > r->cinst_list)
			r->cinst_list = (uint64_t)lc;
	}

	/* strict VRX: arrived - read, sampled after each arrival; no duplicates */
	for (lin = 0; lin < 2; lin++) {
		struct ref_prs *q = &r->prs[lin];
		size_t arrived = 0;
		bool first = true;

		for (i = 0, m = 0; i < n; i++)
			if (!p[i].dup)
				reads[m++] = tfmt_tpr(f, lin, p[i].frame, p[i].j);
		qsort(reads, m, sizeof(*reads), cmp_i128);
		for (i = 0; i < n; i++) {
			i128 t = (i128)p[i].t_ns * f->D, tp;
			int64_t occ, e;

			if (p[i].dup)
				continue;
			arrived++;
			occ = (int64_t)arrived - (int64_t)count_le(reads, m, t);
			tp = tfmt_tpr(f, lin, p[i].frame, p[i].j);
			e = (int64_t)ceil_div(t - tp, f->D);
			if (t > tp)
				q->late++;
			if (first || occ < q->vrx_min)
				q->vrx_min = occ;
			if (first || occ > q->vrx_max)
				q->vrx_max = occ;
			if (first || e > q->err_max_ns)
				q->err_max_ns = e;
			if (first || e < q->err_min_ns)
				q->err_min_ns = e;
			first = false;
			if (!lin)
				errs[nerr++] = e;
		}
	}
	qsort(errs, nerr, sizeof(*errs), cmp_i64);
	if (nerr) {
		r->p50_ns = errs[(nerr * 50 + 99) / 100 - 1];
		r->p99_ns = errs[(nerr * 99 + 99) / 100 - 1];
	}

	/* LIST VRX: reset at the packet after each marker, arrival order, all packets */
	for (lin = 0; lin < 2; lin++) {
		i128 trs = lin ? f->trs_l : f->trs_g, tpic = f->interlaced ? f->half : f->tframe;
		i128 tvd = 0, drained_prev = 0;
		int64_t vrx = 0;
		bool started = false, after_marker = false, any = false;

		for (i = 0; i < n; i++) {
			i128 t = (i128)p[i].t_ns * f->D, drained;

			if (after_marker) {
				/* N = floor(t / Tpicture), TVD = N * Tpicture + TRODEFAULT */
				tvd = floor_div(t, tpic) * tpic + f->tro_default;
				vrx = 0;
				drained_prev = 0;
				started = true;
			}
			if (started) {
				drained = (t - tvd + trs) / trs;	/* C truncation toward zero */
				vrx = (int64_t)(vrx + 1 - (drained - drained_prev));
				drained_prev = drained;
				if (!any || vrx < r->list_vrx_min[lin])
					r->list_vrx_min[lin] = vrx;
				if (!any || vrx > r->list_vrx_max[lin])
					r->list_vrx_max[lin] = vrx;
				any = true;
			}
			after_marker = p[i].marker;
		}
	}
	free(reads);
	free(errs);
	return 0;
}
