// SPDX-License-Identifier: GPL-2.0
/*
 * vm-tai - set or show the kernel's TAI offset in a test bed guest.
 *
 * A PTP-synchronised host runs with CLOCK_TAI = CLOCK_REALTIME + 37 s
 * (ptp4l/phc2sys set it); a freshly booted kernel has an offset of 0, so
 * CLOCK_TAI would equal UTC and any code mixing the two clocks would pass
 * a test it fails on real hardware.  busybox adjtimex cannot set ADJ_TAI,
 * hence this helper.  It is linked statically because it runs from the
 * initramfs before the host's root (and libc) is mounted.
 *
 *   vm-tai            print the offset: "tai_offset_s=<adjtimex> measured_ns=<TAI-UTC>"
 *   vm-tai -s SECS    set the offset
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timex.h>
#include <time.h>

static int64_t clock_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int show(void)
{
	struct timex tx = { .modes = 0 };
	int64_t utc_ns, tai_ns;

	if (adjtimex(&tx) < 0) {
		fprintf(stderr, "vm-tai: adjtimex: %s\n", strerror(errno));
		return 1;
	}
	/* Read TAI between two UTC reads so the difference is not skewed. */
	utc_ns = clock_ns(CLOCK_REALTIME);
	tai_ns = clock_ns(CLOCK_TAI);
	utc_ns = (utc_ns + clock_ns(CLOCK_REALTIME)) / 2;
	printf("tai_offset_s=%d measured_ns=%lld\n", tx.tai,
	       (long long)(tai_ns - utc_ns));
	return 0;
}

static int set(const char *arg)
{
	struct timex tx = { .modes = ADJ_TAI };
	char *end;
	long secs;

	errno = 0;
	secs = strtol(arg, &end, 10);
	if (errno || *end || secs < 0 || secs > 1000) {
		fprintf(stderr, "vm-tai: bad offset '%s' (seconds, 0..1000)\n", arg);
		return 2;
	}
	tx.constant = secs;
	if (adjtimex(&tx) < 0) {
		fprintf(stderr, "vm-tai: adjtimex(ADJ_TAI, %ld): %s\n", secs,
			strerror(errno));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 1)
		return show();
	if (argc == 3 && !strcmp(argv[1], "-s"))
		return set(argv[2]);
	fprintf(stderr, "usage: vm-tai [-s SECONDS]\n");
	return 2;
}
