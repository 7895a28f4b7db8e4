// SPDX-License-Identifier: GPL-2.0
/*
 * vm-sleeplat - wake-up lateness of clock_nanosleep(CLOCK_TAI, TIMER_ABSTIME).
 *
 * The pacing qdisc arms CLOCK_TAI hrtimers; how late such a timer fires in
 * the guest bounds what an in-guest pacing test can resolve.  Each sample
 * sleeps until now + period and records how far past the target it woke.
 *
 *   vm-sleeplat [-n COUNT] [-p PERIOD_NS] [-f]
 *   -f  SCHED_FIFO priority 50 (default: SCHED_OTHER); the timer slack is
 *       always set to 1 ns, so SCHED_OTHER is not rounded up by 50 us.
 *
 * Output, one line: count=N period_ns=P min_ns=.. p50_ns=.. p99_ns=.. max_ns=..
 */
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#define NSEC_PER_SEC	1000000000LL

static int64_t ts_to_ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * NSEC_PER_SEC + ts->tv_nsec;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Nearest-rank percentile of a sorted array. */
static int64_t pct(const int64_t *v, long n, int p)
{
	long rank = (n * p + 99) / 100;

	return v[rank > 0 ? rank - 1 : 0];
}

static long parse_pos(const char *s, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v <= 0) {
		fprintf(stderr, "vm-sleeplat: bad %s '%s'\n", what, s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	long count = 300, period_ns = 100000, i;
	struct sched_param sp = { .sched_priority = 50 };
	struct timespec now, target;
	int fifo = 0, opt;
	int64_t *late_ns;

	while ((opt = getopt(argc, argv, "n:p:f")) != -1) {
		switch (opt) {
		case 'n':
			count = parse_pos(optarg, "count");
			break;
		case 'p':
			period_ns = parse_pos(optarg, "period");
			break;
		case 'f':
			fifo = 1;
			break;
		default:
			fprintf(stderr, "usage: vm-sleeplat [-n COUNT] [-p PERIOD_NS] [-f]\n");
			return 2;
		}
	}
	late_ns = calloc(count, sizeof(*late_ns));
	if (!late_ns)
		return 1;
	if (prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0))
		perror("vm-sleeplat: PR_SET_TIMERSLACK");
	if (fifo && sched_setscheduler(0, SCHED_FIFO, &sp)) {
		fprintf(stderr, "vm-sleeplat: SCHED_FIFO: %s\n", strerror(errno));
		return 1;
	}

	for (i = 0; i < count; i++) {
		int err;

		clock_gettime(CLOCK_TAI, &now);
		target.tv_sec = now.tv_sec + (now.tv_nsec + period_ns) / NSEC_PER_SEC;
		target.tv_nsec = (now.tv_nsec + period_ns) % NSEC_PER_SEC;
		do
			err = clock_nanosleep(CLOCK_TAI, TIMER_ABSTIME, &target, NULL);
		while (err == EINTR);
		if (err) {
			fprintf(stderr, "vm-sleeplat: clock_nanosleep: %s\n", strerror(err));
			return 1;
		}
		clock_gettime(CLOCK_TAI, &now);
		late_ns[i] = ts_to_ns(&now) - ts_to_ns(&target);
	}

	qsort(late_ns, count, sizeof(*late_ns), cmp_i64);
	printf("count=%ld period_ns=%ld min_ns=%lld p50_ns=%lld p99_ns=%lld max_ns=%lld\n",
	       count, period_ns, (long long)late_ns[0],
	       (long long)pct(late_ns, count, 50), (long long)pct(late_ns, count, 99),
	       (long long)late_ns[count - 1]);
	free(late_ns);
	return 0;
}
