// SPDX-License-Identifier: GPL-2.0
/*
 * interval.c - periodic samples and their deltas for "show -i SECS"
 * (see interval.h).  Samples are due at start + k * SECS on
 * CLOCK_MONOTONIC (absolute sleeps: no drift however long a read takes);
 * rates divide by the time that really passed between two reads.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interval.h"
#include "json.h"
#include "numparse.h"
#include "st2110.h"

#define NSEC_PER_SEC	UINT64_C(1000000000)

static volatile sig_atomic_t iv_stop;

static void on_signal(int sig)
{
	(void)sig;
	iv_stop = 1;
}

int st2110_iv_arg(struct st2110_iv *iv, int *argc, char ***argv)
{
	const char *w = **argv;

	if (strcmp(w, "-i") && strcmp(w, "interval") && strcmp(w, "count"))
		return 0;
	if (--*argc <= 0)
		return incomplete_command();
	++*argv;
	if (strcmp(w, "count")) {
		if (st2110_parse_u64(**argv, 3600, &iv->interval_s) || !iv->interval_s)
			return errorf(EXIT_USAGE, "interval \"%s\": expected 1..3600 s", **argv);
	} else if (st2110_parse_u64(**argv, UINT32_MAX, &iv->count) || !iv->count) {
		return errorf(EXIT_USAGE, "count \"%s\": expected a positive integer", **argv);
	}
	return 1;
}

int st2110_iv_check(const struct st2110_iv *iv)
{
	if (iv->count && !iv->interval_s)
		return errorf(EXIT_USAGE, "count needs -i SECS");
	return 0;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

int st2110_iv_start(struct st2110_iv *iv, unsigned int cap)
{
	iv->sample = 0;
	iv->nprev = iv->ncur = 0;
	iv->cap = 0;
	iv->prev = iv->cur = NULL;
	if (!iv->interval_s)
		return 0;
	iv->prev = calloc(cap, sizeof(*iv->prev));
	iv->cur = calloc(cap, sizeof(*iv->cur));
	if (!iv->prev || !iv->cur) {
		st2110_iv_end(iv);
		return errorf(EXIT_RUNTIME, "out of memory");
	}
	iv->cap = cap;
	iv_stop = 0;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	return 0;
}

void st2110_iv_end(struct st2110_iv *iv)
{
	free(iv->prev);
	free(iv->cur);
	iv->prev = iv->cur = NULL;
	iv->cap = 0;
}

void st2110_iv_sample(struct st2110_iv *iv)
{
	struct st2110_iv_entry *t = iv->prev;
	uint64_t now = mono_ns();

	iv->prev = iv->cur;
	iv->cur = t;
	iv->nprev = iv->ncur;
	iv->ncur = 0;
	iv->elapsed_ns = iv->sample ? now - iv->now_ns : 0;
	if (!iv->sample)
		iv->start_ns = now;
	iv->now_ns = now;
	clock_gettime(CLOCK_REALTIME, &iv->wall);
	iv->sample++;
}

void st2110_iv_diff(struct st2110_iv *iv, const char *key, const uint64_t *v, unsigned int n,
		    struct st2110_iv_delta *out)
{
	const struct st2110_iv_entry *p = NULL;
	struct st2110_iv_entry *e;
	unsigned int i;

	if (n > ST2110_IV_MAXF)
		n = ST2110_IV_MAXF;
	/* the order of a dump barely changes: look where it was first */
	if (iv->ncur < iv->nprev && !strcmp(iv->prev[iv->ncur].key, key))
		p = &iv->prev[iv->ncur];
	for (i = 0; !p && i < iv->nprev; i++)
		if (!strcmp(iv->prev[i].key, key))
			p = &iv->prev[i];
	out->reset = !p || p->n != n;
	for (i = 0; i < n && !out->reset; i++)
		out->reset = v[i] < p->v[i];
	for (i = 0; i < n; i++)
		out->d[i] = out->reset ? v[i] : v[i] - p->v[i];
	if (iv->ncur >= iv->cap)
		return;		/* not kept: reset next time, never wrong */
	e = &iv->cur[iv->ncur++];
	snprintf(e->key, sizeof(e->key), "%s", key);
	e->n = n;
	memcpy(e->v, v, n * sizeof(*v));
}

uint64_t st2110_iv_rate(const struct st2110_iv *iv, uint64_t delta)
{
	unsigned __int128 r;

	if (!iv->elapsed_ns)
		return 0;
	r = (unsigned __int128)delta * NSEC_PER_SEC / iv->elapsed_ns;
	return r > UINT64_MAX ? UINT64_MAX : (uint64_t)r;
}

bool st2110_iv_wait(struct st2110_iv *iv)
{
	struct timespec due;
	uint64_t t;

	fflush(stdout);
	if (!iv->interval_s || iv_stop || (iv->count && iv->sample >= iv->count))
		return false;
	t = iv->start_ns + iv->sample * iv->interval_s * NSEC_PER_SEC;
	/* a read that took longer than the interval: the next one now */
	if (t < mono_ns())
		t = mono_ns();
	due.tv_sec = (time_t)(t / NSEC_PER_SEC);
	due.tv_nsec = (long)(t % NSEC_PER_SEC);
	while (!iv_stop && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, NULL) == EINTR)
		;
	return !iv_stop;
}

const char *st2110_iv_time(const struct st2110_iv *iv, char *buf, size_t len)
{
	struct tm tm;
	char s[32];

	gmtime_r(&iv->wall.tv_sec, &tm);
	strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%s.%03ldZ", s, iv->wall.tv_nsec / 1000000);
	return buf;
}

void st2110_iv_print_header(const struct st2110_iv *iv)
{
	char t[48];

	printf("\ntime %s interval %" PRIu64 ".%03" PRIu64 "s\n", st2110_iv_time(iv, t, sizeof(t)),
	       iv->elapsed_ns / NSEC_PER_SEC, iv->elapsed_ns % NSEC_PER_SEC / 1000000);
}

void st2110_iv_json_time(const struct st2110_iv *iv, json_t *o)
{
	char t[48];

	if (!iv->interval_s)
		return;
	st2110_json_set(o, "time", json_string(st2110_iv_time(iv, t, sizeof(t))));
	if (st2110_iv_has_delta(iv))
		st2110_json_set(o, "interval_ns", st2110_json_u64(iv->elapsed_ns));
}

void st2110_iv_field(json_t *d, bool reset, const char *name, uint64_t delta)
{
	if (d)
		st2110_json_set(d, name, st2110_json_u64(delta));
	else
		printf(" %s %s%" PRIu64, name, reset ? "" : "+", delta);
}

void st2110_iv_rates(const struct st2110_iv *iv, json_t *d, uint64_t dpkts, uint64_t dbytes)
{
	uint64_t pps = st2110_iv_rate(iv, dpkts);
	uint64_t bps = dbytes > UINT64_MAX / 8 ? UINT64_MAX : st2110_iv_rate(iv, dbytes * 8);

	if (d) {
		st2110_json_set(d, "rate_pps", st2110_json_u64(pps));
		st2110_json_set(d, "rate_bps", st2110_json_u64(bps));
	} else {
		printf(" %" PRIu64 " pkt/s %" PRIu64 " bit/s", pps, bps);
	}
}
