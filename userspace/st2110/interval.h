/* SPDX-License-Identifier: GPL-2.0 */
/*
 * interval.h - "show -i SECS [count N]": periodic samples with deltas,
 * shared by "stream show" (qdisc class counters) and "flow show" (XDP flow
 * counters), in the way of iproute2's ifstat/nstat.
 *
 * Each sample is read, then compared entry by entry (a key string the
 * caller builds: device and classid, or device and flow tuple) with the
 * previous sample: the delta of every counter, and rates over the time
 * that really passed (CLOCK_MONOTONIC between the two reads, not the
 * nominal interval).  A counter that went backwards (class re-created,
 * module reloaded, flow flushed) or an entry not seen before marks the
 * entry "reset": its delta is then its new total, never a wrapped value.
 */
#ifndef ST2110_CLI_INTERVAL_H
#define ST2110_CLI_INTERVAL_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

#define ST2110_IV_MAXF	24		/* counters per entry */
#define ST2110_IV_KEYLEN 96

struct st2110_iv_entry {
	char key[ST2110_IV_KEYLEN];
	unsigned int n;
	uint64_t v[ST2110_IV_MAXF];
};

struct st2110_iv {
	uint64_t interval_s;		/* 0: no -i, one show */
	uint64_t count;			/* 0: until SIGINT/SIGTERM */
	uint64_t sample;		/* samples taken so far */
	uint64_t start_ns, now_ns, elapsed_ns;	/* CLOCK_MONOTONIC */
	struct timespec wall;		/* CLOCK_REALTIME of this sample */
	struct st2110_iv_entry *prev, *cur;
	unsigned int nprev, ncur, cap;
};

/* The delta of one entry against the previous sample. */
struct st2110_iv_delta {
	bool reset;			/* new entry or a counter went backwards */
	uint64_t d[ST2110_IV_MAXF];
};

/*
 * Parses "-i SECS" / "interval SECS" / "count N" at *argv: 1 if it took
 * the words (argc/argv moved past the last one taken), 0 if *argv is not
 * one of them, or EXIT_USAGE after printing the error.
 */
int st2110_iv_arg(struct st2110_iv *iv, int *argc, char ***argv);

/* After the arguments: count without -i is EXIT_USAGE, else 0. */
int st2110_iv_check(const struct st2110_iv *iv);

/* Allocates room for cap entries a sample; installs SIGINT/SIGTERM. */
int st2110_iv_start(struct st2110_iv *iv, unsigned int cap);
void st2110_iv_end(struct st2110_iv *iv);

/* Before reading a sample: clocks, and this sample becomes current. */
void st2110_iv_sample(struct st2110_iv *iv);

/* True for the samples that have deltas (all but the first). */
static inline bool st2110_iv_has_delta(const struct st2110_iv *iv)
{
	return iv->interval_s && iv->sample > 1;
}

/* Records entry key's n counters in this sample and computes its delta. */
void st2110_iv_diff(struct st2110_iv *iv, const char *key, const uint64_t *v, unsigned int n,
		    struct st2110_iv_delta *out);

/* delta per second over the sample's elapsed time (0 if none passed). */
uint64_t st2110_iv_rate(const struct st2110_iv *iv, uint64_t delta);

/* Sleeps until the next sample is due; false when done (count, signal). */
bool st2110_iv_wait(struct st2110_iv *iv);

/* "2026-12-08T00:45:01.123Z": the sample's UTC wall clock time. */
const char *st2110_iv_time(const struct st2110_iv *iv, char *buf, size_t len);

/* The text line that opens a sample with deltas. */
void st2110_iv_print_header(const struct st2110_iv *iv);

/* Adds "time" (every sample) and "interval_ns" (with deltas) to o. */
void st2110_iv_json_time(const struct st2110_iv *iv, json_t *o);

/*
 * One counter of a delta: with d (JSON) d[name] = D, else text " NAME +D"
 * (" NAME D" when reset: D is then a total).
 */
void st2110_iv_field(json_t *d, bool reset, const char *name, uint64_t delta);

/* The rates: JSON "rate_pps", "rate_bps"; text " N pkt/s N bit/s". */
void st2110_iv_rates(const struct st2110_iv *iv, json_t *d, uint64_t dpkts, uint64_t dbytes);

#endif /* ST2110_CLI_INTERVAL_H */
