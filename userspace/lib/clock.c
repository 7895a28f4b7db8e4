// SPDX-License-Identifier: GPL-2.0
/*
 * clock.c - timestamping capabilities, PHC offset and kernel TAI offset.
 *
 * The PHC is compared with CLOCK_REALTIME, the one system clock every PTP
 * offset ioctl reports, and the kernel's TAI offset is added: that is the
 * very definition of CLOCK_TAI inside the kernel (CLOCK_REALTIME +
 * tai_offset), so no second, differently timed read of CLOCK_TAI is mixed in.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/timex.h>
#include <time.h>
#include <unistd.h>

#include <linux/ethtool.h>
#include <linux/net_tstamp.h>
#include <linux/ptp_clock.h>
#include <linux/sockios.h>

#include "clock.h"

#define NSEC_PER_SEC	1000000000LL
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* the kernel's FD_TO_CLOCKID() for a /dev/ptpN descriptor */
#define FD_TO_CLOCKID(fd)	((clockid_t)((((unsigned int)~(fd)) << 3) | 3))

int st2110_ts_info(const char *ifname, struct st2110_ts_info *ti)
{
	struct ethtool_ts_info info = { .cmd = ETHTOOL_GET_TS_INFO };
	struct ifreq ifr = { 0 };
	int fd, err = 0;

	if (strlen(ifname) >= sizeof(ifr.ifr_name))
		return -ENODEV;
	strcpy(ifr.ifr_name, ifname);
	ifr.ifr_data = (void *)&info;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, SIOCETHTOOL, &ifr) < 0)
		err = -errno;
	close(fd);
	if (err)
		return err;
	ti->so_timestamping = info.so_timestamping;
	ti->tx_types = info.tx_types;
	ti->rx_filters = info.rx_filters;
	ti->phc_index = info.phc_index;
	return 0;
}

const char *st2110_timestamping_name(unsigned int bit)
{
	static const char *const names[] = {
		"hardware-transmit", "software-transmit", "hardware-receive",
		"software-receive", "software-system-clock", "hardware-legacy-clock",
		"hardware-raw-clock", "option-id", "sched-transmit", "ack-transmit",
		"option-cmsg", "option-tsonly", "option-stats", "option-pktinfo",
		"option-tx-swhw", "bind-phc",
	};

	return bit < ARRAY_SIZE(names) ? names[bit] : NULL;
}

const char *st2110_tx_type_name(unsigned int bit)
{
	static const char *const names[] = { "off", "on", "onestep-sync", "onestep-p2p" };

	return bit < ARRAY_SIZE(names) ? names[bit] : NULL;
}

const char *st2110_rx_filter_name(unsigned int bit)
{
	static const char *const names[] = {
		"none", "all", "some", "ptpv1-l4-event", "ptpv1-l4-sync",
		"ptpv1-l4-delay-req", "ptpv2-l4-event", "ptpv2-l4-sync",
		"ptpv2-l4-delay-req", "ptpv2-l2-event", "ptpv2-l2-sync",
		"ptpv2-l2-delay-req", "ptpv2-event", "ptpv2-sync", "ptpv2-delay-req",
		"ntp-all",
	};

	return bit < ARRAY_SIZE(names) ? names[bit] : NULL;
}

static int64_t clock_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

int st2110_tai_status(struct st2110_tai_status *ts)
{
	struct timex tx = { .modes = 0 };
	int64_t utc1, tai, utc2;
	int state;

	state = adjtimex(&tx);
	if (state < 0)
		return -errno;
	ts->state = state;
	ts->status = tx.status;
	ts->tai_offset_s = tx.tai;
	ts->maxerror_us = tx.maxerror;
	ts->esterror_us = tx.esterror;
	ts->synchronised = state != TIME_ERROR && !(tx.status & STA_UNSYNC);
	/* TAI between two UTC reads: the midpoint cancels the read time */
	utc1 = clock_ns(CLOCK_REALTIME);
	tai = clock_ns(CLOCK_TAI);
	utc2 = clock_ns(CLOCK_REALTIME);
	ts->tai_minus_utc_ns = tai - (utc1 + (utc2 - utc1) / 2);
	return 0;
}

static int64_t pct_ns(const struct ptp_clock_time *t)
{
	return t->sec * NSEC_PER_SEC + t->nsec;
}

/* Keep the sample with the narrowest system-time window. */
static void keep_best(struct st2110_phc_offset *o, int64_t sys1, int64_t phc, int64_t sys2)
{
	uint64_t delay = (uint64_t)(sys2 - sys1);

	if (o->samples && delay >= o->delay_ns)
		return;
	o->delay_ns = delay;
	o->phc_ns = (uint64_t)phc;
	o->phc_minus_utc_ns = phc - (sys1 + (sys2 - sys1) / 2);
}

static int read_precise(int fd, struct st2110_phc_offset *o)
{
	struct ptp_sys_offset_precise p;

	memset(&p, 0, sizeof(p));
	if (ioctl(fd, PTP_SYS_OFFSET_PRECISE, &p))
		return -errno;
	o->method = ST2110_PHC_PRECISE;
	o->samples = 1;
	o->delay_ns = 0;
	o->phc_ns = (uint64_t)pct_ns(&p.device);
	o->phc_minus_utc_ns = pct_ns(&p.device) - pct_ns(&p.sys_realtime);
	return 0;
}

static int read_extended(int fd, unsigned int n, struct st2110_phc_offset *o)
{
	struct ptp_sys_offset_extended e;
	unsigned int i;

	memset(&e, 0, sizeof(e));	/* rsv[0] 0: system time is CLOCK_REALTIME */
	e.n_samples = n;
	if (ioctl(fd, PTP_SYS_OFFSET_EXTENDED, &e))
		return -errno;
	o->method = ST2110_PHC_EXTENDED;
	for (o->samples = 0; o->samples < n; o->samples++) {
		i = o->samples;
		keep_best(o, pct_ns(&e.ts[i][0]), pct_ns(&e.ts[i][1]), pct_ns(&e.ts[i][2]));
	}
	return 0;
}

static int read_basic(int fd, unsigned int n, struct st2110_phc_offset *o)
{
	struct ptp_sys_offset b;
	unsigned int i;

	memset(&b, 0, sizeof(b));
	b.n_samples = n;
	if (ioctl(fd, PTP_SYS_OFFSET, &b))
		return -errno;
	o->method = ST2110_PHC_BASIC;
	/* ts[2i] system, ts[2i+1] PHC, ts[2i+2] system */
	for (o->samples = 0; o->samples < n; o->samples++) {
		i = o->samples;
		keep_best(o, pct_ns(&b.ts[2 * i]), pct_ns(&b.ts[2 * i + 1]),
			  pct_ns(&b.ts[2 * i + 2]));
	}
	return 0;
}

static void read_name(int index, char *buf, size_t size)
{
	char path[64];
	FILE *f;
	size_t n;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "/sys/class/ptp/ptp%d/clock_name", index);
	f = fopen(path, "re");
	if (!f)
		return;
	if (fgets(buf, (int)size, f)) {
		n = strcspn(buf, "\n");
		buf[n] = '\0';
	}
	fclose(f);
}

int st2110_phc_offset(int index, unsigned int samples, struct st2110_phc_offset *o,
		      const char **what)
{
	struct timex tx = { .modes = 0 };
	char dev[32];
	int fd, err;

	memset(o, 0, sizeof(*o));
	if (samples < 1)
		samples = 1;
	if (samples > PTP_MAX_SAMPLES)
		samples = PTP_MAX_SAMPLES;
	snprintf(dev, sizeof(dev), "/dev/ptp%d", index);
	read_name(index, o->name, sizeof(o->name));
	*what = "open";
	/* clock_adjtime(), even to read, wants a writable descriptor */
	fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd < 0 && errno == EACCES)
		fd = open(dev, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	*what = "PTP_SYS_OFFSET_PRECISE";
	err = read_precise(fd, o);
	if (err == -EOPNOTSUPP || err == -ENOTTY || err == -EINVAL) {
		*what = "PTP_SYS_OFFSET_EXTENDED";
		err = read_extended(fd, samples, o);
	}
	if (err == -EOPNOTSUPP || err == -ENOTTY || err == -EINVAL) {
		*what = "PTP_SYS_OFFSET";
		err = read_basic(fd, samples, o);
	}
	if (!err && clock_adjtime(FD_TO_CLOCKID(fd), &tx) >= 0) {
		/* timex.freq is scaled ppm: ppm * 2^16 */
		o->has_freq = true;
		o->freq_ppb = (int64_t)tx.freq * 1000 / 65536;
	}
	close(fd);
	if (err)
		return err;
	/* read right after the PHC: the TAI offset only changes at a leap second */
	memset(&tx, 0, sizeof(tx));
	*what = "adjtimex";
	if (adjtimex(&tx) < 0)
		return -errno;
	o->tai_offset_s = tx.tai;
	o->phc_minus_tai_ns = o->phc_minus_utc_ns - (int64_t)tx.tai * NSEC_PER_SEC;
	return 0;
}

const char *st2110_phc_method_name(int method)
{
	switch (method) {
	case ST2110_PHC_PRECISE:	return "PTP_SYS_OFFSET_PRECISE";
	case ST2110_PHC_EXTENDED:	return "PTP_SYS_OFFSET_EXTENDED";
	case ST2110_PHC_BASIC:		return "PTP_SYS_OFFSET";
	}
	return "?";
}
