// SPDX-License-Identifier: GPL-2.0
/* vfmt.c - parse and print --video formats (see vfmt.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "numparse.h"
#include "vfmt.h"

/* Width of the usual raster for a height given alone. */
static uint32_t default_width(uint32_t height)
{
	switch (height) {
	case 480:
	case 486:
	case 576:
		return 720;
	case 720:
		return 1280;
	case 1080:
		return 1920;
	case 2160:
		return 3840;
	case 4320:
		return 7680;
	}
	return 0;
}

static void rate_reduce(struct st2110_rate *r)
{
	uint64_t g = st2110_gcd64(r->num, r->den);

	r->num /= g;
	r->den /= g;
}

int st2110_vfmt_parse_fraction(const char *s, size_t len, struct st2110_rate *r)
{
	const char *slash = memchr(s, '/', len);
	uint64_t num, den = 1;

	if (slash) {
		if (st2110_parse_u64_n(s, (size_t)(slash - s), ST2110_RATE_MAX_TERM * 1000ULL, &num) ||
		    st2110_parse_u64_n(slash + 1, len - (size_t)(slash - s) - 1,
				ST2110_RATE_MAX_TERM * 1000ULL, &den))
			return -EINVAL;
	} else if (st2110_parse_u64_n(s, len, ST2110_RATE_MAX_TERM, &num)) {
		return -EINVAL;
	}
	if (!num || !den)
		return -EINVAL;
	r->num = (__u32)num;
	r->den = (__u32)den;
	if (num != r->num || den != r->den)
		return -EINVAL;
	rate_reduce(r);
	return 0;
}

/*
 * An integer, N/D, or a decimal: a 1000/1001 rate when within 0.005 of
 * n*1000/1001 (23.98 is 23.976..., 59.94 is 59.9400599...), else the exact
 * decimal (12.5 is 25/2), as st2110-send reads it.
 */
static int parse_rate(const char *s, size_t len, struct st2110_rate *r)
{
	int64_t v;	/* units of 1e-9 per second */
	uint64_t n, exact, diff, g;

	if (memchr(s, '/', len) || !memchr(s, '.', len))
		return st2110_vfmt_parse_fraction(s, len, r);
	if (st2110_parse_decimal_e9(s, len, false, &v) || v <= 0)
		return -EINVAL;
	if (v % 1000000000 == 0) {
		r->num = (__u32)(v / 1000000000);
		r->den = 1;
		return 0;
	}
	/* n = round(v * 1001 / 1000); v < 2^62 so v / 1000 * 1001 fits */
	n = ((uint64_t)v / 1000 * 1001 + 500000000ULL) / 1000000000ULL;
	exact = n * 1000000000000ULL / 1001;
	diff = exact > (uint64_t)v ? exact - (uint64_t)v : (uint64_t)v - exact;
	if (n && n <= ST2110_RATE_MAX_TERM && diff <= 5000000) {
		r->num = (__u32)(n * 1000);
		r->den = 1001;
		rate_reduce(r);
		return 0;
	}
	g = st2110_gcd64((uint64_t)v, 1000000000ULL);
	if ((uint64_t)v / g > ST2110_RATE_MAX_TERM)
		return -EINVAL;
	r->num = (__u32)((uint64_t)v / g);
	r->den = (__u32)(1000000000ULL / g);
	return 0;
}

int st2110_vfmt_parse(const char *s, struct st2110_video_fmt *out, const char **reason)
{
	const char *p = s, *x, *scan;
	struct st2110_rate rate;
	uint64_t w = 0, h;
	uint8_t scan_type;

	for (scan = s; *scan >= '0' && *scan <= '9'; scan++)
		;
	x = *scan == 'x' || *scan == 'X' ? scan : NULL;
	if (x) {
		if (st2110_parse_u64_n(s, (size_t)(x - s), 0x8000, &w)) {
			*reason = "width must be a number of pixels (1..32768) before 'x'";
			return -EINVAL;
		}
		if (!w) {
			*reason = "width must not be 0";
			return -EINVAL;
		}
		p = x + 1;
		for (scan = p; *scan >= '0' && *scan <= '9'; scan++)
			;
	}
	if (st2110_parse_u64_n(p, (size_t)(scan - p), 0x10000, &h)) {
		*reason = "expected a height in lines, e.g. 1080p59.94 or 1920x1080p50";
		return -EINVAL;
	}
	if (!h) {
		*reason = "height must not be 0";
		return -EINVAL;
	}
	if (!strncasecmp(scan, "psf", 3)) {
		scan_type = ST2110_SCAN_PSF;
		scan += 3;
	} else if (*scan == 'p' || *scan == 'P') {
		scan_type = ST2110_SCAN_PROGRESSIVE;
		scan++;
	} else if (*scan == 'i' || *scan == 'I') {
		scan_type = ST2110_SCAN_INTERLACED;
		scan++;
	} else {
		*reason = "expected 'p', 'i' or 'psf' after the height";
		return -EINVAL;
	}
	if (parse_rate(scan, strlen(scan), &rate)) {
		*reason = "frame rate (field rate after 'i') must be a positive integer, N/D or a decimal such as 59.94 (= 60000/1001)";
		return -EINVAL;
	}
	if (scan_type == ST2110_SCAN_INTERLACED) {
		/* the name carries the field rate: 1080i50 is 25 frames/s */
		if (rate.num % 2 == 0) {
			rate.num /= 2;
		} else if (rate.den <= ST2110_RATE_MAX_TERM) {
			rate.den *= 2;
		} else {
			*reason = "field rate fraction too large";
			return -EINVAL;
		}
		rate_reduce(&rate);
	}
	if (!w)
		w = default_width((uint32_t)h);
	if (!w) {
		*reason = "no usual width for this height: write WIDTHxHEIGHT, e.g. 1440x1080p25";
		return -EINVAL;
	}
	out->width_px = (uint32_t)w;
	out->height_px = (uint32_t)h;
	out->scan = scan_type;
	out->rate = rate;
	return 0;
}

void st2110_vfmt_name(const struct st2110_video_fmt *f, char *buf, size_t len)
{
	const char *scan = f->scan == ST2110_SCAN_PSF ? "psf" :
			   f->scan == ST2110_SCAN_INTERLACED ? "i" : "p";
	struct st2110_rate r = f->rate;

	if (f->scan == ST2110_SCAN_INTERLACED) {
		r.num *= 2;
		rate_reduce(&r);
	}
	if (r.den == 1)
		snprintf(buf, len, "%ux%u%s%u", f->width_px, f->height_px, scan, r.num);
	else if (r.den == 1001 && r.num % 1000 == 0)
		/* 1000/1001 rates print with two decimals, as people write them */
		snprintf(buf, len, "%ux%u%s%u.%02u", f->width_px, f->height_px, scan,
			 r.num / 1001, (r.num % 1001 * 100 + 500) / 1001 % 100);
	else
		snprintf(buf, len, "%ux%u%s%u/%u", f->width_px, f->height_px, scan,
			 r.num, r.den);
}
