/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * rational.h - exact integer helpers of the ST 2110 timing core.
 *
 * The timing core is compiled into the kernel module, the XDP program and
 * the tools, so it is header-only static inline C on the <linux/types.h>
 * integers: no libc, no floating point, no 128-bit type.  Every 64-bit
 * division goes through st2110_div64()/st2110_mod64() so the kernel can
 * map it to div64_u64() (plain '/' elsewhere: BPF has 64-bit BPF_DIV/MOD).
 *
 * Durations are exact rationals of nanoseconds (TFRAME at 59.94 Hz is
 * 50050000/3 ns); a result in integer ns is floored unless the function
 * says otherwise.
 */
#ifndef _ST2110_RATIONAL_H
#define _ST2110_RATIONAL_H

#ifndef __VMLINUX_H__		/* BPF objects built on vmlinux.h have the types */
#include <linux/types.h>
#endif
#include <linux/errno.h>

#if defined(__KERNEL__) && !defined(__bpf__)
#include <linux/math64.h>
#define st2110_div64(a, b)	div64_u64((a), (b))
#else
#define st2110_div64(a, b)	((__u64)(a) / (__u64)(b))
#endif

static inline __u64 __st2110_mod64(__u64 a, __u64 b)
{
	return a - st2110_div64(a, b) * b;
}

#define st2110_mod64(a, b)	__st2110_mod64((a), (b))

#define ST2110_NSEC_PER_SEC	1000000000ULL
#define ST2110_U64_MAX		(~0ULL)
#define ST2110_NULL		((void *)0)	/* no <stddef.h> outside the kernel */

/* An exact frame (or sample) rate in units per second, e.g. 60000/1001. */
struct st2110_rate {
	__u32 num;
	__u32 den;
};

/* An exact non-negative rational; den is never 0 once set. */
struct st2110_frac {
	__u64 num;
	__u64 den;
};

/*
 * Would a * b wrap?  Worked on 32-bit halves: compilers turn the obvious
 * "a > U64_MAX / b" into a 128-bit multiply (__multi3), which BPF lacks.
 */
static inline int st2110_mul_overflows(__u64 a, __u64 b)
{
	__u64 ah = a >> 32, al = a & 0xffffffffULL;
	__u64 bh = b >> 32, bl = b & 0xffffffffULL;
	__u64 mid, low;

	if (ah && bh)
		return 1;
	mid = ah * bl + al * bh;	/* one term is 0: a 32x32-bit product */
	if (mid >> 32)
		return 1;
	low = al * bl;
	return low + (mid << 32) < low;
}

/*
 * Euclid needs at most 92 steps on 64-bit operands (consecutive Fibonacci
 * numbers are the worst case); the explicit bound lets the BPF verifier
 * accept the loop.  gcd(0, b) = b, gcd(0, 0) = 0.
 */
static inline __u64 st2110_gcd64(__u64 a, __u64 b)
{
	__u64 r;
	int i;

	for (i = 0; i < 96 && b; i++) {
		r = st2110_mod64(a, b);
		a = b;
		b = r;
	}
	return a;
}

/* *out = lcm(a, b) for a, b > 0; -EOVERFLOW if it does not fit. */
static inline int st2110_lcm64(__u64 a, __u64 b, __u64 *out)
{
	__u64 x = st2110_div64(a, st2110_gcd64(a, b));

	if (st2110_mul_overflows(x, b))
		return -EOVERFLOW;
	*out = x * b;
	return 0;
}

/*
 * floor(a * b / c) without a 128-bit product, by splitting a = q*c + r:
 * a*b/c = q*b + r*b/c.  Preconditions: c > 0, (c - 1) * b fits in 64 bits
 * (so r*b cannot wrap) and the result fits in 64 bits.  With a = a time in
 * ns (< 2^62 until year 2116) and b/c a reduced ratio of small terms this
 * always holds; the callers check it once when a schedule is built.
 */
static inline __u64 st2110_muldiv_floor(__u64 a, __u64 b, __u64 c)
{
	__u64 q = st2110_div64(a, c);
	__u64 r = a - q * c;

	return q * b + st2110_div64(r * b, c);
}

/* ceil(a * b / c); same preconditions as st2110_muldiv_floor(). */
static inline __u64 st2110_muldiv_ceil(__u64 a, __u64 b, __u64 c)
{
	__u64 q = st2110_div64(a, c);
	__u64 rb = (a - q * c) * b;
	__u64 f = st2110_div64(rb, c);

	return q * b + f + (rb != f * c);
}

/* a * b / c rounded to nearest, halves up; same preconditions. */
static inline __u64 st2110_muldiv_round(__u64 a, __u64 b, __u64 c)
{
	__u64 q = st2110_div64(a, c);
	__u64 rb = (a - q * c) * b;
	__u64 f = st2110_div64(rb, c);
	__u64 rem = rb - f * c;

	/* rem >= c/2 without computing 2*rem, which could wrap */
	return q * b + f + (rem >= c - rem);
}

/* f = num/den reduced to lowest terms. */
static inline int st2110_frac_set(struct st2110_frac *f, __u64 num, __u64 den)
{
	__u64 g;

	if (!den)
		return -EINVAL;
	g = st2110_gcd64(num, den);	/* = den when num == 0: gives 0/1 */
	f->num = st2110_div64(num, g);
	f->den = st2110_div64(den, g);
	return 0;
}

/*
 * *out = a * b, reduced.  Cross-cancelling first keeps the intermediate
 * terms as small as the reduced result; -EOVERFLOW if even that does not
 * fit.  a and b must be reduced.
 */
static inline int st2110_frac_mul(struct st2110_frac *out,
				  const struct st2110_frac *a,
				  const struct st2110_frac *b)
{
	__u64 g1 = st2110_gcd64(a->num, b->den);
	__u64 g2 = st2110_gcd64(b->num, a->den);
	__u64 n1 = st2110_div64(a->num, g1), d2 = st2110_div64(b->den, g1);
	__u64 n2 = st2110_div64(b->num, g2), d1 = st2110_div64(a->den, g2);

	if (st2110_mul_overflows(n1, n2) || st2110_mul_overflows(d1, d2))
		return -EOVERFLOW;
	return st2110_frac_set(out, n1 * n2, d1 * d2);
}

/*
 * The numerator of f over the denominator den, i.e. f * den, which must be
 * an integer (den a multiple of f->den); -EOVERFLOW if it does not fit.
 */
static inline int st2110_frac_scale(const struct st2110_frac *f, __u64 den,
				    __u64 *num)
{
	__u64 m = st2110_div64(den, f->den);

	if (st2110_mul_overflows(f->num, m))
		return -EOVERFLOW;
	*num = f->num * m;
	return 0;
}

/* Frame rates the core accepts: 1..1000 units/s, terms <= 2^20 reduced. */
#define ST2110_RATE_MAX_TERM	(1U << 20)
#define ST2110_RATE_MAX_PER_SEC	1000U

/*
 * Validate a frame rate and give the frame period TFRAME = 1e9 * den / num
 * ns in lowest terms.  Beyond the range checks, tframe->num * tframe->den
 * must stay below 2^62: that is the precondition of every frame-index
 * conversion (st2110_muldiv_floor(t, tframe.den, tframe.num)) and of the
 * RTP conversions, which are then safe for every t below 2^62 ns.
 */
static inline int st2110_rate_tframe(const struct st2110_rate *rate,
				     struct st2110_frac *tframe,
				     const char **reason)
{
	__u64 g;

	if (!rate->num || !rate->den) {
		*reason = "frame rate must be a non-zero num/den (e.g. 60000/1001)";
		return -EINVAL;
	}
	g = st2110_gcd64(rate->num, rate->den);
	if (st2110_div64(rate->num, g) > ST2110_RATE_MAX_TERM ||
	    st2110_div64(rate->den, g) > ST2110_RATE_MAX_TERM) {
		*reason = "frame rate num/den must be at most 2^20 each in lowest terms";
		return -ERANGE;
	}
	if (rate->num < rate->den ||
	    rate->num > (__u64)rate->den * ST2110_RATE_MAX_PER_SEC) {
		*reason = "frame rate must be between 1 and 1000 frames per second";
		return -ERANGE;
	}
	st2110_frac_set(tframe, ST2110_NSEC_PER_SEC * rate->den, rate->num);
	if (st2110_mul_overflows(tframe->num, tframe->den) ||
	    tframe->num * tframe->den >= (1ULL << 62)) {
		*reason = "frame rate fraction too large for exact 64-bit arithmetic";
		return -EOVERFLOW;
	}
	return 0;
}

#endif /* _ST2110_RATIONAL_H */
