// SPDX-License-Identifier: GPL-2.0
/*
 * test_vfmt.c - unit tests of the --video FMT parser (userspace/lib/vfmt.c)
 * that st2110-send and st2110-analyze share, and of the number parsers
 * under it (userspace/lib/numparse.c).
 *
 *  - accepted names: bare heights and their usual widths, WxH, p/i/psf in
 *    either case, integer, N/D and decimal rates (1000/1001 or exact), the
 *    field rate after 'i'; the FRAME rate comes back reduced;
 *  - rejected names, each with the reason it must give, and *f untouched;
 *  - st2110_vfmt_name(): the usual spelling, which parses back equal;
 *  - the strict integer and decimal parsers.
 *
 * usage: test_vfmt [--plan]
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <kselftest.h>

#include "numparse.h"
#include "vfmt.h"

#define NTESTS	5

static unsigned int fails;

#define CHECK(cond, fmt, ...) do {						\
	if (!(cond)) {								\
		if (fails++ < 12)						\
			ksft_print_msg("%s:%d: " fmt "\n", __func__, __LINE__, ##__VA_ARGS__); \
	}									\
} while (0)

#define RESULT(fmt, ...) do {							\
	if (fails)								\
		ksft_test_result_fail(fmt "\n", ##__VA_ARGS__);			\
	else									\
		ksft_test_result_pass(fmt "\n", ##__VA_ARGS__);			\
	fails = 0;								\
} while (0)

static const struct good {
	const char *s;
	uint32_t w, h;
	uint8_t scan;
	uint32_t num, den;		/* frame rate, reduced */
	const char *name;		/* st2110_vfmt_name() */
} good[] = {
	{ "1080p59.94", 1920, 1080, ST2110_SCAN_PROGRESSIVE, 60000, 1001, "1920x1080p59.94" },
	{ "1080p50", 1920, 1080, ST2110_SCAN_PROGRESSIVE, 50, 1, "1920x1080p50" },
	{ "1080i50", 1920, 1080, ST2110_SCAN_INTERLACED, 25, 1, "1920x1080i50" },
	{ "1080i59.94", 1920, 1080, ST2110_SCAN_INTERLACED, 30000, 1001, "1920x1080i59.94" },
	{ "1080psf25", 1920, 1080, ST2110_SCAN_PSF, 25, 1, "1920x1080psf25" },
	{ "1080PsF25", 1920, 1080, ST2110_SCAN_PSF, 25, 1, "1920x1080psf25" },
	{ "1080P50", 1920, 1080, ST2110_SCAN_PROGRESSIVE, 50, 1, "1920x1080p50" },
	{ "1080I50", 1920, 1080, ST2110_SCAN_INTERLACED, 25, 1, "1920x1080i50" },
	{ "576i50", 720, 576, ST2110_SCAN_INTERLACED, 25, 1, "720x576i50" },
	{ "486i59.94", 720, 486, ST2110_SCAN_INTERLACED, 30000, 1001, "720x486i59.94" },
	{ "480p60", 720, 480, ST2110_SCAN_PROGRESSIVE, 60, 1, "720x480p60" },
	{ "720p50", 1280, 720, ST2110_SCAN_PROGRESSIVE, 50, 1, "1280x720p50" },
	{ "2160p59.94", 3840, 2160, ST2110_SCAN_PROGRESSIVE, 60000, 1001, "3840x2160p59.94" },
	{ "4320p50", 7680, 4320, ST2110_SCAN_PROGRESSIVE, 50, 1, "7680x4320p50" },
	{ "1280x720p60000/1001", 1280, 720, ST2110_SCAN_PROGRESSIVE, 60000, 1001, "1280x720p59.94" },
	{ "640X360p50", 640, 360, ST2110_SCAN_PROGRESSIVE, 50, 1, "640x360p50" },
	{ "1440x1080p25", 1440, 1080, ST2110_SCAN_PROGRESSIVE, 25, 1, "1440x1080p25" },
	{ "1080p23.98", 1920, 1080, ST2110_SCAN_PROGRESSIVE, 24000, 1001, "1920x1080p23.98" },
	{ "1080p29.97", 1920, 1080, ST2110_SCAN_PROGRESSIVE, 30000, 1001, "1920x1080p29.97" },
	{ "1080p119.88", 1920, 1080, ST2110_SCAN_PROGRESSIVE, 120000, 1001, "1920x1080p119.88" },
	{ "1080p23.976", 1920, 1080, ST2110_SCAN_PROGRESSIVE, 24000, 1001, "1920x1080p23.98" },
	{ "256x144p12.5", 256, 144, ST2110_SCAN_PROGRESSIVE, 25, 2, "256x144p25/2" },
	{ "1080p100/2", 1920, 1080, ST2110_SCAN_PROGRESSIVE, 50, 1, "1920x1080p50" },
	{ "1080p25.0", 1920, 1080, ST2110_SCAN_PROGRESSIVE, 25, 1, "1920x1080p25" },
	{ "1080i25", 1920, 1080, ST2110_SCAN_INTERLACED, 25, 2, "1920x1080i25" },
};

static const struct bad {
	const char *s;
	const char *reason;		/* a part of the reason given */
} bad[] = {
	{ "", "expected a height" },
	{ "p50", "expected a height" },
	{ "x1080p50", "width must be a number of pixels" },
	{ "0x1080p50", "width must not be 0" },
	{ "40000x1080p50", "width must be a number of pixels" },
	{ "1920x0p50", "height must not be 0" },
	{ "0p50", "height must not be 0" },
	{ "1920xp50", "expected a height" },
	{ "99999999999999999999999p50", "expected a height" },
	{ "1080x59", "expected 'p', 'i' or 'psf'" },
	{ "1080q50", "expected 'p', 'i' or 'psf'" },
	{ "1080 p50", "expected 'p', 'i' or 'psf'" },
	{ "1080p", "frame rate" },
	{ "1080p0", "frame rate" },
	{ "1080p0.0", "frame rate" },
	{ "1080p-50", "frame rate" },
	{ "1080p+50", "frame rate" },
	{ "1080p50x", "frame rate" },
	{ "1080p 50", "frame rate" },
	{ "1080p50/0", "frame rate" },
	{ "1080p/1001", "frame rate" },
	{ "1080p1e3", "frame rate" },
	{ "1080p59.", "frame rate" },
	{ "1080p59.9400000001", "frame rate" },
	{ "1080i", "frame rate" },
	{ "1000p50", "no usual width for this height" },
	{ "1081i50", "no usual width for this height" },
};

static void test_good(void)
{
	struct st2110_video_fmt f;
	const char *reason;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(good); i++) {
		const struct good *g = &good[i];

		memset(&f, 0, sizeof(f));
		/* fields the parser does not own keep the caller's defaults */
		f.sampling = ST2110_SAMPLING_YCBCR_422;
		f.depth = ST2110_DEPTH_10;
		f.max_payload_bytes = 1200;
		reason = NULL;
		if (st2110_vfmt_parse(g->s, &f, &reason)) {
			CHECK(0, "'%s' rejected: %s", g->s, reason ? reason : "(no reason)");
			continue;
		}
		CHECK(f.width_px == g->w && f.height_px == g->h,
		      "'%s': %ux%u, want %ux%u", g->s, f.width_px, f.height_px, g->w, g->h);
		CHECK(f.scan == g->scan, "'%s': scan %u, want %u", g->s, f.scan, g->scan);
		CHECK(f.rate.num == g->num && f.rate.den == g->den,
		      "'%s': frame rate %u/%u, want %u/%u", g->s, f.rate.num, f.rate.den,
		      g->num, g->den);
		CHECK(f.sampling == ST2110_SAMPLING_YCBCR_422 && f.depth == ST2110_DEPTH_10 &&
		      f.max_payload_bytes == 1200, "'%s': a field it does not own changed", g->s);
	}
	RESULT("vfmt: %zu accepted formats: width, height, scan, reduced frame rate",
	       ARRAY_SIZE(good));
}

static void test_bad(void)
{
	struct st2110_video_fmt f, before;
	const char *reason;
	size_t i;

	memset(&before, 0x5a, sizeof(before));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		f = before;
		reason = NULL;
		if (!st2110_vfmt_parse(bad[i].s, &f, &reason)) {
			CHECK(0, "'%s' accepted: %ux%u rate %u/%u", bad[i].s, f.width_px,
			      f.height_px, f.rate.num, f.rate.den);
			continue;
		}
		CHECK(reason && strstr(reason, bad[i].reason),
		      "'%s': reason '%s', want '%s'", bad[i].s, reason ? reason : "(null)",
		      bad[i].reason);
		CHECK(!memcmp(&f, &before, sizeof(f)), "'%s': *f changed on error", bad[i].s);
	}
	RESULT("vfmt: %zu rejected formats, each with its reason, *f untouched",
	       ARRAY_SIZE(bad));
}

static void test_name(void)
{
	struct st2110_video_fmt f, g;
	const char *reason;
	char name[64];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(good); i++) {
		memset(&f, 0, sizeof(f));
		memset(&g, 0, sizeof(g));
		if (st2110_vfmt_parse(good[i].s, &f, &reason))
			continue;	/* test_good says why */
		st2110_vfmt_name(&f, name, sizeof(name));
		CHECK(!strcmp(name, good[i].name), "'%s' named '%s', want '%s'",
		      good[i].s, name, good[i].name);
		if (st2110_vfmt_parse(name, &g, &reason)) {
			CHECK(0, "name '%s' does not parse: %s", name, reason);
			continue;
		}
		CHECK(!memcmp(&f, &g, sizeof(f)), "'%s' -> '%s' parses back different",
		      good[i].s, name);
	}
	/* a short buffer is truncated, not overrun */
	memset(name, 'X', sizeof(name));
	st2110_vfmt_parse("1080p59.94", &f, &reason);
	st2110_vfmt_name(&f, name, 8);
	CHECK(!strcmp(name, "1920x10") && name[8] == 'X', "short buffer: '%.8s'", name);
	RESULT("vfmt: st2110_vfmt_name() spells each format as written and parses back equal");
}

static void test_fraction(void)
{
	static const struct { const char *s; uint32_t num, den; } ok[] = {
		{ "50", 50, 1 }, { "60000/1001", 60000, 1001 }, { "50/2", 25, 1 },
		{ "30000/1001", 30000, 1001 }, { "25/1", 25, 1 },
	};
	static const char *const no[] = {
		"", "0", "0/1", "1/0", "50/", "/2", "59.94", "-50", "50 ", "5x",
		"99999999999999999999",
	};
	struct st2110_rate r;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		memset(&r, 0, sizeof(r));
		CHECK(!st2110_vfmt_parse_fraction(ok[i].s, strlen(ok[i].s), &r) &&
		      r.num == ok[i].num && r.den == ok[i].den,
		      "'%s': %u/%u, want %u/%u", ok[i].s, r.num, r.den, ok[i].num, ok[i].den);
	}
	for (i = 0; i < ARRAY_SIZE(no); i++)
		CHECK(st2110_vfmt_parse_fraction(no[i], strlen(no[i]), &r) == -EINVAL,
		      "'%s' accepted as a fraction", no[i]);
	/* only len bytes are read: "50/2" inside a longer fmtp value */
	CHECK(!st2110_vfmt_parse_fraction("50/2; depth=10", 4, &r) && r.num == 25 && r.den == 1,
	      "bounded read: %u/%u", r.num, r.den);
	RESULT("vfmt: exactframerate-style fractions N or N/D, reduced; bad ones -EINVAL");
}

static void test_numparse(void)
{
	uint64_t u = 0;
	int64_t d = 0;

	CHECK(!st2110_parse_u64("0", 0, &u) && u == 0, "'0'");
	CHECK(!st2110_parse_u64("18446744073709551615", UINT64_MAX, &u) && u == UINT64_MAX,
	      "UINT64_MAX");
	CHECK(st2110_parse_u64("18446744073709551616", UINT64_MAX, &u) == -ERANGE, "2^64");
	CHECK(st2110_parse_u64("101", 100, &u) == -ERANGE, "above max");
	CHECK(st2110_parse_u64("", 100, &u) == -EINVAL, "empty");
	CHECK(st2110_parse_u64("-1", 100, &u) == -EINVAL, "'-1'");
	CHECK(st2110_parse_u64("+1", 100, &u) == -EINVAL, "'+1'");
	CHECK(st2110_parse_u64("12abc", 100, &u) == -EINVAL, "'12abc'");
	CHECK(st2110_parse_u64("0x10", 100, &u) == -EINVAL, "'0x10'");
	CHECK(!st2110_parse_u64_n("123456", 3, 1000, &u) && u == 123, "bounded: %llu",
	      (unsigned long long)u);

	CHECK(!st2110_parse_decimal_e9("1.5", 3, false, &d) && d == 1500000000, "1.5");
	CHECK(!st2110_parse_decimal_e9(".25", 3, false, &d) && d == 250000000, ".25");
	CHECK(!st2110_parse_decimal_e9("-37", 3, true, &d) && d == -37000000000LL, "-37");
	CHECK(!st2110_parse_decimal_e9("0.000000001", 11, false, &d) && d == 1, "1e-9");
	CHECK(st2110_parse_decimal_e9("-37", 3, false, &d) == -EINVAL, "sign not allowed");
	CHECK(st2110_parse_decimal_e9("0.0000000001", 12, false, &d) == -EINVAL, "10 decimals");
	CHECK(st2110_parse_decimal_e9("1.", 2, false, &d) == -EINVAL, "'1.'");
	CHECK(st2110_parse_decimal_e9(".", 1, false, &d) == -EINVAL, "'.'");
	CHECK(st2110_parse_decimal_e9("", 0, false, &d) == -EINVAL, "empty");
	CHECK(st2110_parse_decimal_e9("1.2.3", 5, false, &d) == -EINVAL, "'1.2.3'");
	CHECK(st2110_parse_decimal_e9("4611686019", 10, false, &d) == -ERANGE,
	      "above 2^62 units");
	RESULT("numparse: strict integers and 1e-9 decimals (signs, overflow, garbage)");
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--plan")) {
		printf("%d\n", NTESTS);
		return 0;
	}
	ksft_print_header();
	ksft_set_plan(NTESTS);
	test_good();
	test_bad();
	test_name();
	test_fraction();
	test_numparse();
	ksft_finished();
}
