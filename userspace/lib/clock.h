/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clock.h - what a ST 2110 host needs to know about its clocks.
 *
 * ST 2110 times are TAI (the PTP timescale).  A sender paces on CLOCK_TAI
 * and stamps RTP from it, so three things must hold: the NIC's PTP hardware
 * clock (PHC) follows the grandmaster (ptp4l), CLOCK_REALTIME follows the
 * PHC (phc2sys), and the kernel's TAI offset is set (phc2sys -a -r, or
 * adjtimex ADJ_TAI), or CLOCK_TAI equals UTC and every timestamp is 37 s off.
 * These functions read each of those facts from the kernel; they never
 * change a clock.
 */
#ifndef ST2110_LIB_CLOCK_H
#define ST2110_LIB_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

/* ETHTOOL_GET_TS_INFO of one interface (in the current network namespace). */
struct st2110_ts_info {
	uint32_t so_timestamping;	/* SOF_TIMESTAMPING_* capabilities */
	uint32_t tx_types;		/* 1 << HWTSTAMP_TX_* */
	uint32_t rx_filters;		/* 1 << HWTSTAMP_FILTER_* */
	int phc_index;			/* /dev/ptpN, -1 if none */
};

/* 0, or -errno (-ENODEV: no such interface, -EOPNOTSUPP: no ethtool op). */
int st2110_ts_info(const char *ifname, struct st2110_ts_info *ti);

/* Names as ethtool -T prints them; NULL for a bit without a name. */
const char *st2110_timestamping_name(unsigned int bit);
const char *st2110_tx_type_name(unsigned int bit);
const char *st2110_rx_filter_name(unsigned int bit);

/* The kernel's view of the system clock (adjtimex, read only). */
struct st2110_tai_status {
	int tai_offset_s;		/* the kernel's TAI - UTC */
	int state;			/* adjtimex() result: TIME_OK .. TIME_ERROR */
	int status;			/* STA_* flags */
	long maxerror_us;
	long esterror_us;
	bool synchronised;		/* not TIME_ERROR and not STA_UNSYNC */
	int64_t tai_minus_utc_ns;	/* measured CLOCK_TAI - CLOCK_REALTIME */
};

int st2110_tai_status(struct st2110_tai_status *ts);

enum st2110_phc_method {
	ST2110_PHC_PRECISE,		/* PTP_SYS_OFFSET_PRECISE: device cross-timestamp */
	ST2110_PHC_EXTENDED,		/* PTP_SYS_OFFSET_EXTENDED: sys, phc, sys */
	ST2110_PHC_BASIC,		/* PTP_SYS_OFFSET: interleaved reads */
};

/* One comparison of a PHC with the system clock. */
struct st2110_phc_offset {
	int method;			/* enum st2110_phc_method */
	unsigned int samples;		/* reads taken; the fastest one is kept */
	int64_t phc_minus_tai_ns;	/* PHC - CLOCK_TAI */
	int64_t phc_minus_utc_ns;	/* PHC - CLOCK_REALTIME */
	uint64_t delay_ns;		/* the kept read's system-time window (0: PRECISE) */
	uint64_t phc_ns;		/* the PHC time read */
	int tai_offset_s;		/* kernel TAI offset used for the TAI figure */
	bool has_freq;
	int64_t freq_ppb;		/* the frequency the PHC was last dialed to */
	char name[64];			/* /sys/class/ptp/ptpN/clock_name */
};

/*
 * Compare /dev/ptp<index> with CLOCK_TAI: PRECISE if the driver has device
 * cross-timestamps, else EXTENDED, else BASIC, each with 'samples' reads
 * (1..25).  0 or -errno; *what names the step that failed.
 */
int st2110_phc_offset(int index, unsigned int samples, struct st2110_phc_offset *o,
		      const char **what);

const char *st2110_phc_method_name(int method);

#endif /* ST2110_LIB_CLOCK_H */
