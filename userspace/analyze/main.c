// SPDX-License-Identifier: GPL-2.0
/*
 * st2110-analyze - ST 2110-21 compliance of the RTP streams in a capture.
 *
 * Reads a pcap/pcapng file or a live interface with nanosecond timestamps,
 * groups RTP packets into streams (destination address, port, SSRC) and
 * reports per stream: sequence loss/reorder/duplicates, frames, RTP
 * timestamp steps, FPT, RTP offset and latency, and for video the
 * ST 2110-21 network (CINST) and receiver (VRX) models in their strict
 * form and in the form EBU LIST reports, with a verdict per sender type.
 * See st2110-analyze(1).
 *
 * Exit status: 0 analyzed, 1 input or runtime error, 2 usage error.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pcap/pcap.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "analyze.h"
#include "mapread.h"
#include "numparse.h"

#define LIVE_SNAPLEN		512		/* headers and the SRDs are enough */
#define LIVE_BUFFER_BYTES	(64 << 20)
#define LIVE_TIMEOUT_MS		100
#define DEFAULT_MAX_SAMPLES	(1U << 24)	/* 128 MiB of schedule errors per stream */
#define UTC_TAI_OFFSET_S	37		/* TAI - UTC since 2017-01-01 */
#define FILE_BUFFER_BYTES	(1 << 20)

enum {
	OPT_HW = 256, OPT_SDP, OPT_VIDEO, OPT_TYPE, OPT_TROFF, OPT_TAI, OPT_UTC,
	OPT_MAX_SAMPLES, OPT_PERF,
};

static const struct option long_opts[] = {
	{ "interface",	 required_argument, NULL, 'i' },
	{ "hw",		 no_argument,	    NULL, OPT_HW },
	{ "count",	 required_argument, NULL, 'c' },
	{ "duration",	 required_argument, NULL, 'd' },
	{ "filter",	 required_argument, NULL, 'f' },
	{ "sdp",	 required_argument, NULL, OPT_SDP },
	{ "video",	 required_argument, NULL, OPT_VIDEO },
	{ "type",	 required_argument, NULL, OPT_TYPE },
	{ "troff",	 required_argument, NULL, OPT_TROFF },
	{ "tai-offset",	 required_argument, NULL, OPT_TAI },
	{ "utc",	 no_argument,	    NULL, OPT_UTC },
	{ "json",	 no_argument,	    NULL, 'j' },
	{ "max-samples", required_argument, NULL, OPT_MAX_SAMPLES },
	{ "perf",	 no_argument,	    NULL, OPT_PERF },
	{ "help",	 no_argument,	    NULL, 'h' },
	{ "version",	 no_argument,	    NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *f)
{
	fputs("Usage: st2110-analyze [OPTIONS] FILE            (pcap or pcapng, '-' = stdin)\n"
	      "       st2110-analyze [OPTIONS] -i IFACE        (live capture)\n"
	      "\n"
	      "Input:\n"
	      "  -i, --interface IFACE   capture live, nanosecond timestamps\n"
	      "      --hw                use adapter (hardware) timestamps, fail if unavailable\n"
	      "  -c, --count N           stop after N packets\n"
	      "  -d, --duration SECS     stop a live capture after SECS seconds\n"
	      "  -f, --filter EXPR       pcap filter expression, e.g. 'udp port 5004'\n"
	      "      --tai-offset SECS   add SECS (may be negative, decimals allowed) to every timestamp\n"
	      "      --utc               the capture clock is UTC: same as --tai-offset 37\n"
	      "Stream formats (NPACKETS is always measured from marker spacing):\n"
	      "      --sdp FILE          formats, TP, TROFF, CMAX from an SDP file (repeatable)\n"
	      "      --video FMT         format of video streams the SDP does not describe,\n"
	      "                          e.g. 1080p59.94, 1080i50, 576i50, 1280x720p60000/1001;\n"
	      "                          without --sdp/--video the format is learned from the stream\n"
	      "      --type N|NL|W       sender type for the schedule-error percentiles and the\n"
	      "                          frame choice (default: SDP TP, else N)\n"
	      "      --troff US          TROFFSET in microseconds (default: SDP TROFF, else TRODEFAULT)\n"
	      "Output:\n"
	      "  -j, --json              JSON (machine units: ns, packets, ticks)\n"
	      "      --max-samples N     schedule-error samples kept per stream (default 16777216)\n"
	      "      --perf              print packets per second processed to stderr\n"
	      "  -h, --help              this text\n"
	      "  -V, --version           version\n", f);
}

static volatile sig_atomic_t stop_requested;
static pcap_t *live_handle;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
	if (live_handle)
		pcap_breakloop(live_handle);
}

static int usage_error(const char *fmt, const char *arg, const char *why)
{
	fprintf(stderr, "st2110-analyze: ");
	fprintf(stderr, fmt, arg, why);
	fprintf(stderr, "\nTry 'st2110-analyze --help'.\n");
	return 2;
}

/* user + system CPU time of this process: throughput on a shared machine */
static uint64_t cpu_ns(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000ULL +
	       (uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000ULL;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Native timestamp resolution of a capture file, from its magic and IDB. */
static const char *file_resolution(const char *path)
{
	unsigned char b[512];
	FILE *f;
	size_t n, off, opt;
	uint32_t magic, shb_len, idb_len;
	bool le, swapped;

	if (!strcmp(path, "-"))
		return "ns";
	f = fopen(path, "rb");
	if (!f)
		return "ns";
	n = fread(b, 1, sizeof(b), f);
	fclose(f);
	if (n < 4)
		return "ns";
	switch (mapread_magic(b, &swapped)) {
	case 1000:
		return "us";
	case 1:
		return "ns";
	}
	/* the pcapng block type reads the same in either byte order */
	magic = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	if (magic != 0x0a0d0d0a || n < 28)
		return "ns";
	/* pcapng: SHB, then the first IDB; if_tsresol (option 9) or µs */
	le = b[8] == 0x4d;
#define RD32(p) (le ? (uint32_t)(p)[0] | (uint32_t)(p)[1] << 8 | (uint32_t)(p)[2] << 16 | (uint32_t)(p)[3] << 24 \
		    : (uint32_t)(p)[0] << 24 | (uint32_t)(p)[1] << 16 | (uint32_t)(p)[2] << 8 | (p)[3])
#define RD16(p) (le ? (uint32_t)((p)[0] | (p)[1] << 8) : (uint32_t)((p)[0] << 8 | (p)[1]))
	shb_len = RD32(b + 4);
	if (shb_len + 16 > n || RD32(b + shb_len) != 1)
		return "us";
	idb_len = RD32(b + shb_len + 4);
	for (off = shb_len + 16; off + 4 <= shb_len + idb_len - 4 && off + 4 <= n; off += 4 + opt) {
		uint32_t code = RD16(b + off), len = RD16(b + off + 2);

		opt = (len + 3) & ~3u;
		if (!code)
			break;
		if (code == 9 && len == 1 && off + 4 < n)
			return b[off + 4] == 9 ? "ns" : b[off + 4] == 6 ? "us" : "other";
	}
#undef RD32
#undef RD16
	return "us";
}

/*
 * libpcap reads a file two fread()s per packet: a large stdio buffer turns
 * that into few read(2) calls.  µs files are scaled to ns by libpcap.
 */
static pcap_t *open_file(const char *path)
{
	static char iobuf[FILE_BUFFER_BYTES];
	char why[PCAP_ERRBUF_SIZE];
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	pcap_t *p;

	if (!f) {
		fprintf(stderr, "st2110-analyze: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	setvbuf(f, iobuf, _IOFBF, sizeof(iobuf));
	p = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, why);
	if (!p) {
		/* libpcap says what is wrong, not with which file */
		fprintf(stderr, "st2110-analyze: %s: %s\n", path, why);
		if (f != stdin)
			fclose(f);
	}
	return p;
}

static pcap_t *open_live(const char *iface, bool hw, const char **ts_type, const char **res)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_create(iface, errbuf);
	int *types = NULL, n, i, err, chosen = -1;

	*res = "ns";
	*ts_type = "host";
	if (!p) {
		fprintf(stderr, "st2110-analyze: %s: %s\n", iface, errbuf);
		return NULL;
	}
	pcap_set_snaplen(p, LIVE_SNAPLEN);
	pcap_set_promisc(p, 1);
	pcap_set_timeout(p, LIVE_TIMEOUT_MS);
	pcap_set_buffer_size(p, LIVE_BUFFER_BYTES);
	if (hw) {
		n = pcap_list_tstamp_types(p, &types);
		for (i = 0; i < n; i++)
			if (types[i] == PCAP_TSTAMP_ADAPTER)
				chosen = PCAP_TSTAMP_ADAPTER;
		for (i = 0; i < n && chosen < 0; i++)
			if (types[i] == PCAP_TSTAMP_ADAPTER_UNSYNCED)
				chosen = PCAP_TSTAMP_ADAPTER_UNSYNCED;
		if (chosen < 0) {
			fprintf(stderr, "st2110-analyze: %s: the interface offers no adapter (hardware) "
				"timestamps (offered:", iface);
			for (i = 0; i < n; i++)
				fprintf(stderr, " %s", pcap_tstamp_type_val_to_name(types[i]));
			fprintf(stderr, "%s); run without --hw to use host timestamps\n",
				n > 0 ? "" : " none");
			pcap_free_tstamp_types(types);
			pcap_close(p);
			return NULL;
		}
		pcap_free_tstamp_types(types);
		if (pcap_set_tstamp_type(p, chosen)) {
			fprintf(stderr, "st2110-analyze: %s: cannot select adapter timestamps: %s\n",
				iface, pcap_geterr(p));
			pcap_close(p);
			return NULL;
		}
		*ts_type = "adapter";
		if (chosen == PCAP_TSTAMP_ADAPTER_UNSYNCED)
			fprintf(stderr, "st2110-analyze: %s: adapter clock not synchronized to the "
				"system clock: run ptp4l/phc2sys for TAI timestamps\n", iface);
	}
	if (pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO)) {
		fprintf(stderr, "st2110-analyze: %s: no nanosecond timestamps, using microseconds\n",
			iface);
		*res = "us";
	}
	err = pcap_activate(p);
	if (err < 0) {
		fprintf(stderr, "st2110-analyze: %s: %s\n", iface,
			err == PCAP_ERROR ? pcap_geterr(p) : pcap_statustostr(err));
		pcap_close(p);
		return NULL;
	}
	if (err > 0)
		fprintf(stderr, "st2110-analyze: %s: warning: %s\n", iface,
			err == PCAP_WARNING ? pcap_geterr(p) : pcap_statustostr(err));
	return p;
}

/* Parse an --sdp file; its warnings and its error name the file and line. */
static int load_sdp(const char *path, struct st2110_sdp *sdp)
{
	struct st2110_sdp_diag err;
	char msg[ST2110_SDP_MSG_LEN + 512];
	int ret;

	ret = st2110_sdp_load(sdp, path, &err);
	st2110_sdp_print_warnings(stderr, "st2110-analyze: ", path, sdp);
	if (ret)
		fprintf(stderr, "st2110-analyze: %s\n",
			st2110_sdp_format_diag(msg, sizeof(msg), path, &err));
	return ret;
}

int main(int argc, char **argv)
{
	static struct config cfg;
	static struct analyzer an;
	struct capture_info ci;
	const char *iface = NULL, *filter = NULL, *reason, *path;
	uint64_t count = 0, duration_ns = 0, v, start_ns, t0, cpu0;
	bool hw = false, json = false, perf = false, tai_given = false;
	static struct mapread mr;
	struct bpf_program prog;
	bool mapped = false, filtered = false;
	const struct pcap_pkthdr *h;
	const u_char *data;
	int opt, dlt, rc;
	int64_t x;
	pcap_t *p;

	memset(&ci, 0, sizeof(ci));
	cfg.type = -1;
	cfg.troff_us = -1;
	cfg.max_samples = DEFAULT_MAX_SAMPLES;
	while ((opt = getopt_long(argc, argv, "i:c:d:f:jhV", long_opts, NULL)) != -1) {
		switch (opt) {
		case 'i':
			iface = optarg;
			break;
		case OPT_HW:
			hw = true;
			break;
		case 'c':
			if (st2110_parse_u64(optarg, UINT64_MAX, &count) || !count)
				return usage_error("bad --count '%s'%s", optarg, ": a positive integer");
			break;
		case 'd':
			if (st2110_parse_decimal_e9(optarg, strlen(optarg), false, &x) || x <= 0)
				return usage_error("bad --duration '%s'%s", optarg, ": seconds, e.g. 2.5");
			duration_ns = (uint64_t)x;
			break;
		case 'f':
			filter = optarg;
			break;
		case OPT_SDP:
			if (cfg.nsdp == MAX_SDP_FILES)
				return usage_error("too many --sdp files (at most %s)%s", "8", "");
			if (load_sdp(optarg, &cfg.sdp[cfg.nsdp]))
				return 1;
			cfg.sdp_path[cfg.nsdp++] = optarg;
			break;
		case OPT_VIDEO:
			if (st2110_vfmt_parse(optarg, &cfg.video, &reason))
				return usage_error("bad --video '%s': %s", optarg, reason);
			cfg.have_video = true;
			break;
		case OPT_TYPE:
			if (!strcmp(optarg, "N"))
				cfg.type = ST2110_TYPE_N;
			else if (!strcmp(optarg, "NL"))
				cfg.type = ST2110_TYPE_NL;
			else if (!strcmp(optarg, "W"))
				cfg.type = ST2110_TYPE_W;
			else
				return usage_error("bad --type '%s'%s", optarg, ": N, NL or W");
			break;
		case OPT_TROFF:
			if (st2110_parse_u64(optarg, 10000000, &v))
				return usage_error("bad --troff '%s'%s", optarg,
						   ": microseconds, a non-negative integer");
			cfg.troff_us = (int64_t)v;
			break;
		case OPT_TAI:
			if (tai_given || st2110_parse_decimal_e9(optarg, strlen(optarg), true, &x))
				return usage_error("bad --tai-offset '%s'%s", optarg, tai_given ?
						   ": given twice (or with --utc)" :
						   ": seconds, e.g. 37 or -0.5");
			cfg.tai_offset_ns = x;
			tai_given = true;
			break;
		case OPT_UTC:
			if (tai_given)
				return usage_error("%s%s", "--utc and --tai-offset", " both given");
			cfg.tai_offset_ns = UTC_TAI_OFFSET_S * 1000000000LL;
			tai_given = true;
			break;
		case 'j':
			json = true;
			break;
		case OPT_MAX_SAMPLES:
			if (st2110_parse_u64(optarg, 1ULL << 32, &v))
				return usage_error("bad --max-samples '%s'%s", optarg, "");
			cfg.max_samples = (size_t)v;
			break;
		case OPT_PERF:
			perf = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("st2110-analyze 0.1 (%s)\n", pcap_lib_version());
			return 0;
		default:
			fprintf(stderr, "Try 'st2110-analyze --help'.\n");
			return 2;
		}
	}
	if (iface && optind < argc)
		return usage_error("give a FILE or -i IFACE, not both (extra '%s')%s", argv[optind], "");
	if (!iface && optind != argc - 1)
		return usage_error("%s%s", optind < argc ? "more than one FILE given" :
				   "no input: give a capture FILE or -i IFACE", "");
	if (hw && !iface)
		return usage_error("%s%s", "--hw needs -i IFACE", " (files keep their own timestamps)");
	if (duration_ns && !iface)
		return usage_error("%s%s", "--duration needs -i IFACE", "");

	if (iface) {
		path = iface;
		p = open_live(iface, hw, &ci.tstamp_type, &ci.tstamp);
		if (!p)
			return 1;
		ci.live = true;
	} else {
		path = argv[optind];
		p = open_file(path);
		if (!p)
			return 1;
		ci.tstamp = file_resolution(path);
		/* after libpcap accepted the header: records in place, see mapread.h */
		mapped = !mapread_open(&mr, path);
	}
	ci.source = path;
	dlt = pcap_datalink(p);
	ci.link = decode_linktype_name(dlt);
	if (!decode_linktype_ok(dlt)) {
		fprintf(stderr, "st2110-analyze: %s: link type %s (%d) is not supported "
			"(Ethernet, Linux cooked, raw IP, BSD loopback are)\n", path,
			pcap_datalink_val_to_name(dlt) ? pcap_datalink_val_to_name(dlt) : "?", dlt);
		pcap_close(p);
		return 1;
	}
	if (filter) {
		if (pcap_compile(p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) ||
		    pcap_setfilter(p, &prog)) {
			fprintf(stderr, "st2110-analyze: bad --filter '%s': %s\n", filter, pcap_geterr(p));
			pcap_close(p);
			return 2;
		}
		filtered = true;	/* kept for the mapped reader */
	}
	if (analyzer_init(&an, &cfg)) {
		fprintf(stderr, "st2110-analyze: out of memory\n");
		pcap_close(p);
		return 1;
	}
	if (ci.live) {
		live_handle = p;
		signal(SIGINT, on_signal);
		signal(SIGTERM, on_signal);
	}

	cpu0 = cpu_ns();
	start_ns = t0 = mono_ns();
	while (!stop_requested) {
		struct rtp_pkt pkt;
		enum decode_result dr;
		uint64_t t;

		if (mapped) {
			do
				rc = mapread_next(&mr, &h, &data);
			while (rc == 1 && filtered && !pcap_offline_filter(&prog, h, data));
			rc = rc == 0 ? PCAP_ERROR_BREAK : rc;
		} else {
			rc = pcap_next_ex(p, (struct pcap_pkthdr **)&h, &data);
		}
		if (rc == 0) {		/* live timeout */
			if (duration_ns && mono_ns() - t0 >= duration_ns)
				break;
			continue;
		}
		if (rc == PCAP_ERROR_BREAK)
			break;
		if (rc < 0) {
			/* a capture cut short (e.g. tcpdump killed): keep what was read */
			snprintf(ci.file_error, sizeof(ci.file_error), "%s",
				 mapped ? mr.err : pcap_geterr(p));
			if (ci.live) {
				fprintf(stderr, "st2110-analyze: %s: %s\n", path, ci.file_error);
				break;
			}
			ci.file_truncated = true;
			fprintf(stderr, "st2110-analyze: %s: warning: %s; analyzing the %" PRIu64
				" packets before it\n", path, ci.file_error, an.frames);
			break;
		}
		an.frames++;
		x = (int64_t)h->ts.tv_sec * 1000000000LL + h->ts.tv_usec;
		if (__builtin_add_overflow(x, cfg.tai_offset_ns, &x) || x < 0) {
			an.before_epoch++;
		} else {
			t = (uint64_t)x;
			dr = decode_packet(dlt, data, h->caplen, &pkt);
			decode_count(&an.dec, dr);
			if (dr == DEC_RTP)
				analyzer_packet(&an, &pkt, t, h->len);
			else if (dr == DEC_UDP_NOT_RTP)
				analyzer_non_rtp(&an, &pkt);
		}
		if (count && an.frames >= count)
			break;
		if (duration_ns && mono_ns() - t0 >= duration_ns)
			break;
	}
	if (ci.live) {
		struct pcap_stat st;

		if (!pcap_stats(p, &st))
			ci.live_dropped = (uint64_t)st.ps_drop + st.ps_ifdrop;
		live_handle = NULL;
	}
	analyzer_finish(&an);
	ci.elapsed_ns = mono_ns() - start_ns;
	if (perf) {
		uint64_t cpu = cpu_ns() - cpu0;

		fprintf(stderr, "st2110-analyze: %" PRIu64 " packets, wall %" PRIu64 " ms (%" PRIu64
			" packets/s), cpu %" PRIu64 " ms (%" PRIu64 " packets/s)\n", an.frames,
			(uint64_t)(ci.elapsed_ns / 1000000U),
			ci.elapsed_ns ? (uint64_t)(an.frames * 1000000000U / ci.elapsed_ns) : (uint64_t)0,
			(uint64_t)(cpu / 1000000U), cpu ? (uint64_t)(an.frames * 1000000000U / cpu) : (uint64_t)0);
	}
	if (json)
		report_json(stdout, &an, &ci);
	else
		report_text(stdout, &an, &ci);
	pcap_close(p);
	if (filtered)
		pcap_freecode(&prog);
	mapread_close(&mr);
	analyzer_free(&an);
	return fflush(stdout) ? 1 : 0;
}
