// SPDX-License-Identifier: GPL-2.0
/*
 * ptp.c - "st2110 ptp": is this host's time fit for ST 2110?
 *
 *   st2110 ptp show [ dev DEV ]
 *
 * For the system: the kernel TAI offset (adjtimex) and whether the system
 * clock is synchronised.  For each device: its timestamping capabilities
 * and PHC (ETHTOOL_GET_TS_INFO), and the PHC's offset from CLOCK_TAI with
 * the read delay of the measurement.  A WARNING line names each thing that
 * would make a sender's timestamps wrong: a TAI offset of 0 (CLOCK_TAI then
 * equals UTC, 37 s off), an unsynchronised system clock, a PHC more than a
 * second away from CLOCK_TAI.  Warnings do not change the exit status: the
 * command reports, 'st2110 ptp show' fails only if it cannot look.
 */
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timex.h>

#include "clock.h"
#include "json.h"
#include "st2110.h"

#define PHC_SAMPLES		9
#define PHC_SYNC_LIMIT_NS	1000000000LL	/* beyond 1 s: not synchronised */
#define TAI_UTC_NOW_S		37		/* since 2017-01-01 */
#define MAX_WARNINGS		32

struct report {
	json_t *warnings;		/* strings, printed last in text mode */
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: st2110 ptp show [ dev DEV ]\n"
		"       st2110 ptp help\n");
}

__attribute__((format(printf, 2, 3)))
static void warning(struct report *r, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	json_array_append_new(r->warnings, json_string(buf));
}

static const char *state_name(int state)
{
	switch (state) {
	case TIME_OK:	return "TIME_OK";
	case TIME_INS:	return "TIME_INS";
	case TIME_DEL:	return "TIME_DEL";
	case TIME_OOP:	return "TIME_OOP";
	case TIME_WAIT:	return "TIME_WAIT";
	case TIME_ERROR: return "TIME_ERROR";
	}
	return "?";
}

/* ---- the system clock -------------------------------------------------- */

static json_t *system_clock(struct report *r, const struct st2110_tai_status *ts)
{
	json_t *o;

	if (ts->tai_offset_s == 0)
		warning(r, "CLOCK_TAI equals CLOCK_REALTIME: the kernel TAI offset is 0; a PTP-locked sender will be %d s off; run phc2sys -a -r or set it",
			TAI_UTC_NOW_S);
	else if (ts->tai_offset_s != TAI_UTC_NOW_S)
		warning(r, "the kernel TAI offset is %d s, TAI - UTC has been %d s since 2017",
			ts->tai_offset_s, TAI_UTC_NOW_S);
	if (!ts->synchronised)
		warning(r, "the system clock is not synchronised (adjtimex: %s%s): CLOCK_TAI is free-running; discipline it from the PHC (ptp4l + phc2sys)",
			state_name(ts->state), (ts->status & STA_UNSYNC) ? ", STA_UNSYNC" : "");
	if (!json) {
		printf("system: tai-offset %d s (CLOCK_TAI - CLOCK_REALTIME %" PRId64 " ns) %s %s",
		       ts->tai_offset_s, ts->tai_minus_utc_ns,
		       ts->synchronised ? "synchronised" : "unsynchronised", state_name(ts->state));
		if (show_details)
			printf(" status 0x%x maxerror %ld us esterror %ld us", (unsigned int)ts->status,
			       ts->maxerror_us, ts->esterror_us);
		printf("\n");
		return NULL;
	}
	o = json_object();
	st2110_json_set(o, "tai_offset_s", json_integer(ts->tai_offset_s));
	st2110_json_set(o, "tai_minus_utc_ns", json_integer(ts->tai_minus_utc_ns));
	st2110_json_set(o, "synchronised", json_boolean(ts->synchronised));
	st2110_json_set(o, "state", json_string(state_name(ts->state)));
	st2110_json_set(o, "status", json_integer(ts->status));
	st2110_json_set(o, "maxerror_us", json_integer(ts->maxerror_us));
	st2110_json_set(o, "esterror_us", json_integer(ts->esterror_us));
	return o;
}

/* ---- one device -------------------------------------------------------- */

typedef const char *(*bit_name_fn)(unsigned int bit);

static json_t *bits_json(uint32_t bits, bit_name_fn name)
{
	json_t *arr = json_array();
	unsigned int b;

	for (b = 0; b < 32; b++)
		if (bits & (1U << b))
			json_array_append_new(arr, name(b) ? json_string(name(b)) :
					      json_sprintf("bit%u", b));
	return arr;
}

static void print_bits(const char *label, uint32_t bits, bit_name_fn name)
{
	unsigned int b;

	printf(" %s", label);
	if (!bits)
		printf(" none");
	for (b = 0; b < 32; b++)
		if (bits & (1U << b)) {
			if (name(b))
				printf(" %s", name(b));
			else
				printf(" bit%u", b);
		}
}

static json_t *phc_json(const struct st2110_phc_offset *o, int index, bool synced)
{
	json_t *p = json_object();

	st2110_json_set(p, "index", json_integer(index));
	st2110_json_set(p, "device", json_sprintf("/dev/ptp%d", index));
	if (o->name[0])
		st2110_json_set(p, "name", json_string(o->name));
	st2110_json_set(p, "method", json_string(st2110_phc_method_name(o->method)));
	st2110_json_set(p, "samples", json_integer(o->samples));
	st2110_json_set(p, "offset_ns", json_integer(o->phc_minus_tai_ns));
	st2110_json_set(p, "offset_utc_ns", json_integer(o->phc_minus_utc_ns));
	st2110_json_set(p, "delay_ns", st2110_json_u64(o->delay_ns));
	st2110_json_set(p, "time_ns", st2110_json_u64(o->phc_ns));
	if (o->has_freq)
		st2110_json_set(p, "freq_ppb", json_integer(o->freq_ppb));
	st2110_json_set(p, "synchronised", json_boolean(synced));
	return p;
}

/* Offsets are printed in s beyond a second, else in ns. */
static void print_offset(int64_t ns)
{
	uint64_t a = (uint64_t)(ns < 0 ? -ns : ns);

	if (a >= 1000000000U)
		printf("%s%" PRIu64 ".%09" PRIu64 " s", ns < 0 ? "-" : "", a / 1000000000U,
		       a % 1000000000U);
	else
		printf("%" PRId64 " ns", ns);
}

static json_t *device(struct report *r, unsigned int ifindex, const char *ifname, int *status)
{
	struct st2110_ts_info ti;
	struct st2110_phc_offset po;
	const char *what = "";
	json_t *o = NULL;
	bool synced;
	int err;

	if (json) {
		o = json_object();
		st2110_json_set(o, "ifindex", json_integer(ifindex));
		st2110_json_set(o, "ifname", json_string(ifname));
	} else {
		printf("%u: %s:", ifindex, ifname);
	}
	err = st2110_ts_info(ifname, &ti);
	if (err) {
		if (json)
			st2110_json_set(o, "error", json_sprintf("ETHTOOL_GET_TS_INFO: %s", strerror(-err)));
		else
			printf(" timestamping information unavailable (ETHTOOL_GET_TS_INFO: %s)\n",
			       strerror(-err));
		if (err != -EOPNOTSUPP)
			*status = EXIT_RUNTIME;
		return o;
	}
	if (json) {
		st2110_json_set(o, "phc_index", json_integer(ti.phc_index));
		st2110_json_set(o, "timestamping", bits_json(ti.so_timestamping, st2110_timestamping_name));
		st2110_json_set(o, "tx_types", bits_json(ti.tx_types, st2110_tx_type_name));
		st2110_json_set(o, "rx_filters", bits_json(ti.rx_filters, st2110_rx_filter_name));
	} else {
		if (ti.phc_index < 0)
			printf(" phc none (no PTP hardware clock)");
		else
			printf(" phc /dev/ptp%d", ti.phc_index);
		printf("\n   ");
		print_bits("timestamping", ti.so_timestamping, st2110_timestamping_name);
		printf("\n");
		if (show_details) {
			printf("   ");
			print_bits("hw-tx-types", ti.tx_types, st2110_tx_type_name);
			print_bits(" hw-rx-filters", ti.rx_filters, st2110_rx_filter_name);
			printf("\n");
		}
	}
	if (ti.phc_index < 0)
		return o;

	err = st2110_phc_offset(ti.phc_index, PHC_SAMPLES, &po, &what);
	if (err) {
		*status = EXIT_RUNTIME;
		if (json)
			st2110_json_set(o, "error", json_sprintf("/dev/ptp%d: %s: %s", ti.phc_index,
								 what, strerror(-err)));
		else
			printf("    /dev/ptp%d: %s: %s\n", ti.phc_index, what, strerror(-err));
		warning(r, "%s: cannot read /dev/ptp%d (%s: %s)", ifname, ti.phc_index, what,
			strerror(-err));
		return o;
	}
	synced = po.phc_minus_tai_ns <= PHC_SYNC_LIMIT_NS && po.phc_minus_tai_ns >= -PHC_SYNC_LIMIT_NS;
	if (!synced)
		warning(r, "%s: the PHC /dev/ptp%d is %" PRId64 " ms from CLOCK_TAI: it is not synchronised to the system clock (run ptp4l -i %s and phc2sys -a -r)",
			ifname, ti.phc_index, po.phc_minus_tai_ns / 1000000, ifname);
	if (json) {
		st2110_json_set(o, "phc", phc_json(&po, ti.phc_index, synced));
		return o;
	}
	printf("    ptp%d%s%s%s: offset ", ti.phc_index, po.name[0] ? " \"" : "", po.name,
	       po.name[0] ? "\"" : "");
	print_offset(po.phc_minus_tai_ns);
	printf(" from CLOCK_TAI, read delay %" PRIu64 " ns (%s, best of %u)\n", po.delay_ns,
	       st2110_phc_method_name(po.method), po.samples);
	if (show_details && po.has_freq)
		printf("    freq %+" PRId64 " ppb, PHC time %" PRIu64 " ns\n", po.freq_ppb, po.phc_ns);
	return o;
}

static int ptp_show(int argc, char **argv)
{
	struct report r = { .warnings = json_array() };
	struct st2110_tai_status ts;
	struct if_nameindex *ifs = NULL, one[2];
	const char *dev = NULL;
	json_t *top = NULL, *devs = NULL, *d, *w;
	int status = EXIT_OK, err;
	size_t i;

	while (argc > 0) {
		if (!strcmp(*argv, "dev")) {
			NEXT_ARG();
			if (dev) {
				json_decref(r.warnings);
				return errorf(EXIT_USAGE, "duplicate \"dev\"");
			}
			dev = *argv;
		} else if (!matches(*argv, "help")) {
			json_decref(r.warnings);
			usage(stdout);
			return EXIT_OK;
		} else {
			/* a bare name is the device, as in "ip link show eth0" */
			if (dev) {
				json_decref(r.warnings);
				return errorf(EXIT_USAGE, "either \"dev\" is duplicate, or \"%s\" is a garbage", *argv);
			}
			dev = *argv;
		}
		argc--;
		argv++;
	}

	if (dev) {
		one[0].if_index = if_nametoindex(dev);
		one[0].if_name = (char *)dev;
		one[1].if_index = 0;
		one[1].if_name = NULL;
		if (!one[0].if_index) {
			json_decref(r.warnings);
			fprintf(stderr, "Device \"%s\" does not exist.\n", dev);
			return EXIT_RUNTIME;
		}
	} else {
		ifs = if_nameindex();
		if (!ifs) {
			json_decref(r.warnings);
			return errorf(EXIT_RUNTIME, "cannot list network devices: %s", strerror(errno));
		}
	}

	err = st2110_tai_status(&ts);
	if (err) {
		json_decref(r.warnings);
		if (ifs)
			if_freenameindex(ifs);
		return errorf(EXIT_RUNTIME, "adjtimex: %s", strerror(-err));
	}
	if (json) {
		top = json_object();
		devs = json_array();
	}
	d = system_clock(&r, &ts);
	if (json)
		st2110_json_set(top, "system", d);
	for (i = 0; (ifs ? ifs : one)[i].if_index; i++) {
		d = device(&r, (ifs ? ifs : one)[i].if_index, (ifs ? ifs : one)[i].if_name, &status);
		if (json)
			json_array_append_new(devs, d);
	}
	if (ifs)
		if_freenameindex(ifs);

	if (json) {
		st2110_json_set(top, "devices", devs);
		st2110_json_set(top, "warnings", r.warnings);
		if (st2110_json_print(stdout, top, pretty))
			return errorf(EXIT_RUNTIME, "cannot write JSON");
		return status;
	}
	for (i = 0; i < json_array_size(r.warnings); i++) {
		w = json_array_get(r.warnings, i);
		printf("WARNING: %s\n", json_string_value(w));
	}
	json_decref(r.warnings);
	return status;
}

int do_ptp(int argc, char **argv)
{
	if (argc < 1)
		return ptp_show(0, NULL);
	if (!matches(*argv, "show") || !matches(*argv, "list"))
		return ptp_show(argc - 1, argv + 1);
	if (!matches(*argv, "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	return unknown_command("ptp", *argv);
}
