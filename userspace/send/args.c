// SPDX-License-Identifier: GPL-2.0
/*
 * args.c - the command line of st2110-send.
 *
 * Everything is checked before a socket is opened, so a bad command line
 * sends nothing.  A rejected value gives exactly one line on stderr naming
 * the option, the value and, for format errors, the timing core's reason;
 * the exit code is 1 for a bad value and 2 for a usage error (unknown
 * option, missing value, options that exclude each other).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <net/if.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <sys/random.h>

#include "send.h"
#include "numparse.h"		/* userspace/lib */
#include "vfmt.h"		/* userspace/lib: the --video syntax */

int send_err(int code, const char *fmt, ...)
{
	va_list ap;

	fputs(SEND_PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

void send_usage(FILE *f)
{
	fputs(
"Usage: " SEND_PROG " --dst ADDR [--port P] [--video FMT | --audio SPEC] [options]\n"
"\n"
"Video (ST 2110-20):\n"
"  --video FMT        1080p59.94, 1080i50, 720p50, 576i50, 640x360p50,\n"
"                     WxH{p|i|psf}RATE; RATE 50, 59.94 (=60000/1001) or N/D;\n"
"                     the i RATE is the field rate (1080i50 = 25 frames/s)\n"
"  --sampling S       YCbCr-4:2:2 (default), YCbCr-4:4:4, YCbCr-4:2:0, RGB,\n"
"                     KEY, ... or 422, 444, 420, rgb, key\n"
"  --depth D          8, 10 (default), 12, 16\n"
"  --pm gpm|bpm       packing mode (default gpm)\n"
"  --payload BYTES    sample data per packet (default 1200 GPM, 1260 BPM)\n"
"  --type N|NL|W      ST 2110-21 sender type (default N)\n"
"  --troffset-us US   TROFFSET (default TRODEFAULT; signalled as TROFF)\n"
"  --colorimetry C    SDP colorimetry (default BT709)\n"
"Audio (ST 2110-30):\n"
"  --audio SPEC       RATE:CHANNELS:L24|L16:PTIME, e.g. 48000:8:L24:1ms,\n"
"                     48k:2:L16:125us; fields may be left empty\n"
"  --audio-rate HZ  --channels N  --pcm L16|L24  --ptime 1ms|125us|...\n"
"  --tone HZ          sine frequency (default 1000, -18 dBFS)\n"
"  --channel-order S  SDP channel order (default M, ST or Unn)\n"
"Addressing:\n"
"  --dst ADDR         IPv4/IPv6 unicast or multicast destination\n"
"  --port P           UDP destination port (default 5004)\n"
"  --src-port P       bind this source port\n"
"  --ttl N            TTL / hop limit (default 32)\n"
"  --dscp N           DSCP 0..63 (default: socket default)\n"
"  --dev IFNAME       SO_BINDTODEVICE and the multicast interface\n"
"  --ssrc N --pt N --seq N   RTP SSRC, payload type, first 32-bit sequence\n"
"  --rtp epoch|free   RTP timestamps from the SMPTE epoch (default) or\n"
"                     free-running from a random origin\n"
"Emission:\n"
"  --mode burst|paced|txtime   (default burst)\n"
"  --gso[=SEGS]       burst: UDP GSO super-packets of up to SEGS packets\n"
"                     (2..64, default 64)\n"
"  --lead PKTS        send PKTS read slots (TRS) ahead of the schedule\n"
"  --batch N          messages per sendmmsg() (default 64)\n"
"  --spin-us US       paced: sleep to US before each packet, then spin\n"
"  --fifo[=PRIO]      SCHED_FIFO (default priority 50)\n"
"  --cpu N            pin to CPU N\n"
"  --txtime-advance-us US   txtime: hand frames to the kernel this early\n"
"                     (default 2000)\n"
"  --frames N         frames (video) or packets (audio) to send\n"
"  --duration SECS    stop after SECS seconds (decimal)\n"
"  --count-only       print what would be sent; send nothing\n"
"Output:\n"
"  --sdp FILE         write the matching SDP\n"
"  --refclk traceable|localmac|ptp=IEEE1588-2008:GM:DOMAIN\n"
"  -j, --json         statistics (or --count-only) as JSON on stdout\n"
"  -v, --verbose      -h, --help\n"
"\n"
"Exit status: 0 success, 1 invalid value or runtime error, 2 usage error.\n",
	f);
}

enum {
	OPT_VIDEO = 256, OPT_SAMPLING, OPT_DEPTH, OPT_PM, OPT_PAYLOAD, OPT_TYPE,
	OPT_TROFFSET, OPT_COLORIMETRY, OPT_AUDIO, OPT_AUDIO_RATE, OPT_CHANNELS,
	OPT_PCM, OPT_PTIME, OPT_TONE, OPT_CHANNEL_ORDER, OPT_DST, OPT_PORT,
	OPT_SRC_PORT, OPT_TTL, OPT_DSCP, OPT_DEV, OPT_SSRC, OPT_PT, OPT_SEQ,
	OPT_RTP, OPT_MODE, OPT_GSO, OPT_LEAD, OPT_BATCH, OPT_FIFO, OPT_CPU,
	OPT_TXADV, OPT_SPIN, OPT_FRAMES, OPT_DURATION, OPT_COUNT_ONLY, OPT_SDP, OPT_REFCLK,
};

static const struct option long_opts[] = {
	{ "video",		required_argument, NULL, OPT_VIDEO },
	{ "sampling",		required_argument, NULL, OPT_SAMPLING },
	{ "depth",		required_argument, NULL, OPT_DEPTH },
	{ "pm",			required_argument, NULL, OPT_PM },
	{ "payload",		required_argument, NULL, OPT_PAYLOAD },
	{ "type",		required_argument, NULL, OPT_TYPE },
	{ "troffset-us",	required_argument, NULL, OPT_TROFFSET },
	{ "colorimetry",	required_argument, NULL, OPT_COLORIMETRY },
	{ "audio",		required_argument, NULL, OPT_AUDIO },
	{ "audio-rate",		required_argument, NULL, OPT_AUDIO_RATE },
	{ "channels",		required_argument, NULL, OPT_CHANNELS },
	{ "pcm",		required_argument, NULL, OPT_PCM },
	{ "ptime",		required_argument, NULL, OPT_PTIME },
	{ "tone",		required_argument, NULL, OPT_TONE },
	{ "channel-order",	required_argument, NULL, OPT_CHANNEL_ORDER },
	{ "dst",		required_argument, NULL, OPT_DST },
	{ "port",		required_argument, NULL, OPT_PORT },
	{ "src-port",		required_argument, NULL, OPT_SRC_PORT },
	{ "ttl",		required_argument, NULL, OPT_TTL },
	{ "dscp",		required_argument, NULL, OPT_DSCP },
	{ "dev",		required_argument, NULL, OPT_DEV },
	{ "ssrc",		required_argument, NULL, OPT_SSRC },
	{ "pt",			required_argument, NULL, OPT_PT },
	{ "seq",		required_argument, NULL, OPT_SEQ },
	{ "rtp",		required_argument, NULL, OPT_RTP },
	{ "mode",		required_argument, NULL, OPT_MODE },
	{ "gso",		optional_argument, NULL, OPT_GSO },
	{ "lead",		required_argument, NULL, OPT_LEAD },
	{ "batch",		required_argument, NULL, OPT_BATCH },
	{ "fifo",		optional_argument, NULL, OPT_FIFO },
	{ "cpu",		required_argument, NULL, OPT_CPU },
	{ "txtime-advance-us",	required_argument, NULL, OPT_TXADV },
	{ "spin-us",		required_argument, NULL, OPT_SPIN },
	{ "frames",		required_argument, NULL, OPT_FRAMES },
	{ "duration",		required_argument, NULL, OPT_DURATION },
	{ "count-only",		no_argument,       NULL, OPT_COUNT_ONLY },
	{ "sdp",		required_argument, NULL, OPT_SDP },
	{ "refclk",		required_argument, NULL, OPT_REFCLK },
	{ "json",		no_argument,       NULL, 'j' },
	{ "verbose",		no_argument,       NULL, 'v' },
	{ "help",		no_argument,       NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static const char *opt_name(int val)
{
	const struct option *o;

	for (o = long_opts; o->name; o++)
		if (o->val == val)
			return o->name;
	return "?";
}

/* An unsigned decimal (or 0x hex) integer in [min, max], nothing after it. */
static int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/*
 * A non-negative decimal "I[.F]" scaled by 10^scale_digits (at most 9),
 * exact (no floating point): "1.5" with 9 digits is 1500000000.  Digits
 * beyond the scale are rejected rather than rounded away.
 */
static int parse_fixed(const char *s, unsigned int scale_digits, uint64_t *out)
{
	uint64_t unit = 1;	/* 10^(9 - scale_digits): e9 units per output unit */
	int64_t v;

	for (; scale_digits < 9; scale_digits++)
		unit *= 10;
	if (st2110_parse_decimal_e9(s, strlen(s), false, &v) || (uint64_t)v % unit)
		return -1;
	*out = (uint64_t)v / unit;
	return 0;
}

static int parse_sampling(const char *s, uint8_t *out)
{
	static const struct { const char *alias; unsigned int v; } aliases[] = {
		{ "422", ST2110_SAMPLING_YCBCR_422 }, { "4:2:2", ST2110_SAMPLING_YCBCR_422 },
		{ "444", ST2110_SAMPLING_YCBCR_444 }, { "4:4:4", ST2110_SAMPLING_YCBCR_444 },
		{ "420", ST2110_SAMPLING_YCBCR_420 }, { "4:2:0", ST2110_SAMPLING_YCBCR_420 },
	};
	unsigned int i;

	for (i = 1; i < __ST2110_SAMPLING_MAX; i++) {
		if (!strcasecmp(s, st2110_sampling_name(i))) {
			*out = (uint8_t)i;
			return 0;
		}
	}
	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++) {
		if (!strcasecmp(s, aliases[i].alias)) {
			*out = (uint8_t)aliases[i].v;
			return 0;
		}
	}
	return -1;
}

/* "48000", "48k", "44.1k", "96000" */
static int parse_audio_rate(const char *s, uint32_t *hz)
{
	size_t n = strlen(s);
	uint64_t v;

	if (n && (s[n - 1] == 'k' || s[n - 1] == 'K')) {
		char buf[16];

		if (n - 1 >= sizeof(buf))
			return -1;
		memcpy(buf, s, n - 1);
		buf[n - 1] = 0;
		if (parse_fixed(buf, 3, &v) || v > UINT32_MAX)
			return -1;
	} else if (parse_u64(s, 1, UINT32_MAX, &v)) {
		return -1;
	}
	*hz = (uint32_t)v;
	return 0;
}

/* "1ms", "125us", "0.125" (ms), "333us", "4ms" -> ns */
static int parse_ptime(const char *s, uint64_t *ns)
{
	char buf[32];
	size_t n = strlen(s);
	unsigned int scale = 6;		/* plain numbers are ms */

	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n + 1);
	if (n > 2 && !strcmp(buf + n - 2, "ms")) {
		buf[n - 2] = 0;
	} else if (n > 2 && !strcmp(buf + n - 2, "us")) {
		buf[n - 2] = 0;
		scale = 3;
	}
	if (parse_fixed(buf, scale, ns) || !*ns)
		return -1;
	return 0;
}

static int parse_pcm(const char *s, uint8_t *bits)
{
	if (!strcasecmp(s, "L24") || !strcmp(s, "24"))
		*bits = 24;
	else if (!strcasecmp(s, "L16") || !strcmp(s, "16"))
		*bits = 16;
	else
		return -1;
	return 0;
}

struct audio_args {
	uint32_t rate_hz;
	uint64_t ptime_ns;
	int set;
};

/* RATE:CHANNELS:PCM:PTIME, any field may be empty. */
static int parse_audio_spec(const char *spec, struct send_cfg *cfg, struct audio_args *aa)
{
	char buf[128], *field[4] = { NULL, NULL, NULL, NULL }, *p;
	uint64_t v;
	int i;

	if (strlen(spec) >= sizeof(buf))
		return -1;
	strcpy(buf, spec);
	p = buf;
	for (i = 0; i < 4 && p; i++) {
		field[i] = p;
		p = strchr(p, ':');
		if (p)
			*p++ = 0;
	}
	if (p)
		return -1;
	if (field[0] && *field[0] && parse_audio_rate(field[0], &aa->rate_hz))
		return -1;
	if (field[1] && *field[1]) {
		if (parse_u64(field[1], 0, 0xffff, &v))
			return -1;
		cfg->afmt.channels = (uint16_t)v;
	}
	if (field[2] && *field[2] && parse_pcm(field[2], &cfg->afmt.depth_bits))
		return -1;
	if (field[3] && *field[3] && parse_ptime(field[3], &aa->ptime_ns))
		return -1;
	return 0;
}

/* A numeric IPv4 or IPv6 address (IPv6 may carry %scope). */
static int parse_addr(const char *s, uint16_t port, struct send_cfg *cfg)
{
	struct addrinfo hints = { 0 }, *ai = NULL;
	char portstr[8];

	/* getaddrinfo() would take inet_aton() forms such as "1.2.3" */
	if (!strchr(s, ':')) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&cfg->dst;

		memset(&cfg->dst, 0, sizeof(cfg->dst));
		if (inet_pton(AF_INET, s, &sin->sin_addr) != 1)
			return -1;
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		cfg->dst_len = sizeof(*sin);
		return 0;
	}
	hints.ai_family = AF_INET6;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	snprintf(portstr, sizeof(portstr), "%u", port);
	if (getaddrinfo(s, portstr, &hints, &ai) || !ai)
		return -1;
	if (ai->ai_addrlen > sizeof(cfg->dst)) {
		freeaddrinfo(ai);
		return -1;
	}
	memcpy(&cfg->dst, ai->ai_addr, ai->ai_addrlen);
	cfg->dst_len = ai->ai_addrlen;
	freeaddrinfo(ai);
	return 0;
}

/*
 * The core's format checks name a rule, not an option: pick the option the
 * rule is about so the one error line names what the user should change.
 */
static int format_error(const char *const *arg, const struct send_cfg *cfg,
			const char *reason)
{
	char def[32];
	int opt = OPT_VIDEO;

	if (!strncmp(reason, "payload", 7) || !strncmp(reason, "BPM", 3))
		opt = arg[OPT_PAYLOAD] || !arg[OPT_PM] ? OPT_PAYLOAD : OPT_PM;
	else if (strstr(reason, "sampling and depth"))
		return send_err(SEND_EXIT_BADARG, "--sampling %s --depth %u: %s",
				st2110_sampling_name(cfg->vfmt.sampling),
				cfg->vfmt.depth, reason);
	else if (!strncmp(reason, "4:2:0 sampling", 14))
		opt = OPT_SAMPLING;
	else if (strstr(reason, "TROFFSET"))
		opt = OPT_TROFFSET;
	if (arg[opt])
		return send_err(SEND_EXIT_BADARG, "--%s %s: %s", opt_name(opt), arg[opt], reason);
	if (opt == OPT_PAYLOAD) {
		snprintf(def, sizeof(def), "%d (default)",
			 cfg->vfmt.packing == ST2110_PACKING_BPM ? ST2110_BPM_PAYLOAD :
			 ST2110_GPM_DEFAULT_PAYLOAD);
		return send_err(SEND_EXIT_BADARG, "--payload %s: %s", def, reason);
	}
	return send_err(SEND_EXIT_BADARG, "--%s (default): %s", opt_name(opt), reason);
}

static void random_bytes(void *buf, size_t len)
{
	if (getrandom(buf, len, 0) != (ssize_t)len)
		memset(buf, 0x5a, len);	/* no entropy is no reason not to send */
}

int send_parse_args(int argc, char **argv, struct send_cfg *cfg)
{
	const char *arg[OPT_REFCLK + 1] = { NULL };
	const char *why;
	struct audio_args aa = { .rate_hz = 48000, .ptime_ns = 1000000 };
	uint64_t v, port = 5004;
	int c, audio_opts = 0;

	memset(cfg, 0, sizeof(*cfg));
	cfg->media = SEND_VIDEO;
	cfg->vfmt.sampling = ST2110_SAMPLING_YCBCR_422;
	cfg->vfmt.depth = ST2110_DEPTH_10;
	cfg->vfmt.packing = ST2110_PACKING_GPM;
	cfg->type = ST2110_TYPE_N;
	cfg->troffset_ns = ST2110_TROFFSET_DEFAULT;
	cfg->colorimetry = ST2110_COLORIMETRY_BT709;
	cfg->afmt.channels = 2;
	cfg->afmt.depth_bits = 24;
	cfg->tone_hz = 1000;
	cfg->ttl = 32;
	cfg->dscp = -1;
	cfg->batch = 64;
	cfg->cpu = -1;
	cfg->txtime_advance_ns = 2000000;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":jvh", long_opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			cfg->json = 1;
			continue;
		case 'v':
			cfg->verbose++;
			continue;
		case 'h':
			send_usage(stdout);
			exit(0);
		case ':':
			if (optopt >= OPT_VIDEO)
				return send_err(SEND_EXIT_USAGE, "option '--%s' needs a value",
						opt_name(optopt));
			return send_err(SEND_EXIT_USAGE, "option '-%c' needs a value", optopt);
		case '?':
			if (optopt && optopt < OPT_VIDEO)
				return send_err(SEND_EXIT_USAGE, "unknown option '-%c' (see --help)",
						optopt);
			return send_err(SEND_EXIT_USAGE, "unknown option '%s' (see --help)",
					argv[optind - 1]);
		case OPT_GSO:
			cfg->gso = TX_GSO_MAX_SEGS;
			if (optarg) {
				if (parse_u64(optarg, 2, TX_GSO_MAX_SEGS, &v))
					return send_err(SEND_EXIT_BADARG,
							"--gso=%s: segments must be 2..%d", optarg,
							TX_GSO_MAX_SEGS);
				cfg->gso = (int)v;
			}
			continue;
		case OPT_COUNT_ONLY:
			cfg->count_only = 1;
			continue;
		case OPT_FIFO:
			cfg->fifo_prio = 50;
			if (optarg) {
				if (parse_u64(optarg, 1, 99, &v))
					return send_err(SEND_EXIT_BADARG,
							"--fifo=%s: priority must be 1..99", optarg);
				cfg->fifo_prio = (int)v;
			}
			continue;
		default:
			if (c < OPT_VIDEO || c > OPT_REFCLK)
				return send_err(SEND_EXIT_USAGE, "unexpected option (see --help)");
			arg[c] = optarg;
			if (c >= OPT_AUDIO && c <= OPT_CHANNEL_ORDER)
				audio_opts = 1;
		}
	}
	if (optind < argc)
		return send_err(SEND_EXIT_USAGE, "unexpected argument '%s' (see --help)",
				argv[optind]);

#define BAD(opt, fmt, ...) \
	send_err(SEND_EXIT_BADARG, "--%s %s: " fmt, opt_name(opt), arg[opt], ##__VA_ARGS__)

	if (audio_opts && arg[OPT_VIDEO])
		return send_err(SEND_EXIT_USAGE, "--video and audio options exclude each other");
	if (audio_opts) {
		cfg->media = SEND_AUDIO;
		cfg->pt = 97;
		for (c = OPT_SAMPLING; c <= OPT_COLORIMETRY; c++)
			if (arg[c])
				return send_err(SEND_EXIT_USAGE, "--%s is a video option, not for audio",
						opt_name(c));
	} else {
		cfg->pt = 96;
	}

	/* video format */
	if (arg[OPT_VIDEO] && st2110_vfmt_parse(arg[OPT_VIDEO], &cfg->vfmt, &why))
		return BAD(OPT_VIDEO, "%s", why);
	if (!arg[OPT_VIDEO] && !audio_opts) {
		cfg->vfmt.width_px = 1920;
		cfg->vfmt.height_px = 1080;
		cfg->vfmt.rate.num = 60000;
		cfg->vfmt.rate.den = 1001;
	}
	if (arg[OPT_SAMPLING] && parse_sampling(arg[OPT_SAMPLING], &cfg->vfmt.sampling))
		return BAD(OPT_SAMPLING, "unknown sampling (YCbCr-4:2:2, YCbCr-4:4:4, YCbCr-4:2:0, RGB, XYZ, KEY, ...)");
	if (arg[OPT_DEPTH]) {
		if (!strcasecmp(arg[OPT_DEPTH], "16f"))
			return BAD(OPT_DEPTH, "16-bit float is not supported by the test pattern");
		if (parse_u64(arg[OPT_DEPTH], 0, 255, &v) || !st2110_depth_name((unsigned int)v))
			return BAD(OPT_DEPTH, "depth must be 8, 10, 12 or 16");
		cfg->vfmt.depth = (uint8_t)v;
	}
	if (arg[OPT_PM]) {
		if (!strcasecmp(arg[OPT_PM], "gpm") || !strcasecmp(arg[OPT_PM], "2110GPM"))
			cfg->vfmt.packing = ST2110_PACKING_GPM;
		else if (!strcasecmp(arg[OPT_PM], "bpm") || !strcasecmp(arg[OPT_PM], "2110BPM"))
			cfg->vfmt.packing = ST2110_PACKING_BPM;
		else
			return BAD(OPT_PM, "packing mode must be gpm or bpm");
	}
	if (arg[OPT_PAYLOAD]) {
		if (parse_u64(arg[OPT_PAYLOAD], 1, 0xffff, &v))
			return BAD(OPT_PAYLOAD, "payload must be 1..65535 bytes");
		cfg->vfmt.max_payload_bytes = (uint16_t)v;
	}
	if (arg[OPT_TYPE]) {
		if (!strcasecmp(arg[OPT_TYPE], "N") || !strcasecmp(arg[OPT_TYPE], "2110TPN"))
			cfg->type = ST2110_TYPE_N;
		else if (!strcasecmp(arg[OPT_TYPE], "NL") || !strcasecmp(arg[OPT_TYPE], "2110TPNL"))
			cfg->type = ST2110_TYPE_NL;
		else if (!strcasecmp(arg[OPT_TYPE], "W") || !strcasecmp(arg[OPT_TYPE], "2110TPW"))
			cfg->type = ST2110_TYPE_W;
		else
			return BAD(OPT_TYPE, "sender type must be N, NL or W");
	}
	if (arg[OPT_TROFFSET]) {
		if (parse_fixed(arg[OPT_TROFFSET], 3, &v))
			return BAD(OPT_TROFFSET, "expected microseconds, e.g. 638 or 637.674");
		cfg->troffset_ns = v;
	}
	if (arg[OPT_COLORIMETRY]) {
		cfg->colorimetry = st2110_sdp_colorimetry_lookup(arg[OPT_COLORIMETRY]);
		if (!cfg->colorimetry)
			return BAD(OPT_COLORIMETRY, "colorimetry must be one of BT601, BT709, BT2020, BT2100, ST2065-1, ST2065-3, UNSPECIFIED, XYZ, ALPHA");
	}

	/* audio format */
	if (arg[OPT_AUDIO] && parse_audio_spec(arg[OPT_AUDIO], cfg, &aa))
		return BAD(OPT_AUDIO, "expected RATE:CHANNELS:L24|L16:PTIME, e.g. 48000:8:L24:1ms");
	if (arg[OPT_AUDIO_RATE] && parse_audio_rate(arg[OPT_AUDIO_RATE], &aa.rate_hz))
		return BAD(OPT_AUDIO_RATE, "expected a sample rate in Hz, e.g. 48000 or 48k");
	if (arg[OPT_CHANNELS]) {
		if (parse_u64(arg[OPT_CHANNELS], 0, 0xffff, &v))
			return BAD(OPT_CHANNELS, "audio channels must be 1..64");
		cfg->afmt.channels = (uint16_t)v;
	}
	if (arg[OPT_PCM] && parse_pcm(arg[OPT_PCM], &cfg->afmt.depth_bits))
		return BAD(OPT_PCM, "PCM encoding must be L16 or L24");
	if (arg[OPT_PTIME] && parse_ptime(arg[OPT_PTIME], &aa.ptime_ns))
		return BAD(OPT_PTIME, "expected a packet time such as 1ms, 125us or 0.125");
	if (arg[OPT_TONE]) {
		if (parse_u64(arg[OPT_TONE], 1, 1000000, &v))
			return BAD(OPT_TONE, "tone must be 1.. Hz (integer)");
		cfg->tone_hz = (uint32_t)v;
	}
	cfg->channel_order = arg[OPT_CHANNEL_ORDER];
	if (cfg->media == SEND_AUDIO) {
		const char *opt = arg[OPT_AUDIO] ? "audio" : "audio-rate";

		cfg->afmt.rate_hz = aa.rate_hz;
		cfg->afmt.samples_per_pkt = st2110_audio_spp(aa.rate_hz, aa.ptime_ns);
		if (st2110_audio_validate(&cfg->afmt, &why))
			return send_err(SEND_EXIT_BADARG, "--%s %s: %s", opt,
					arg[OPT_AUDIO] ? arg[OPT_AUDIO] :
					arg[OPT_PTIME] ? arg[OPT_PTIME] : "", why);
		if (cfg->tone_hz * 2 > cfg->afmt.rate_hz)
			return BAD(OPT_TONE, "tone must be below half the sample rate");
	}

	/* addressing */
	if (arg[OPT_PORT] && parse_u64(arg[OPT_PORT], 1, 65535, &port))
		return BAD(OPT_PORT, "port must be 1..65535");
	if (arg[OPT_SRC_PORT]) {
		if (parse_u64(arg[OPT_SRC_PORT], 1, 65535, &v))
			return BAD(OPT_SRC_PORT, "port must be 1..65535");
		cfg->src_port = (uint16_t)v;
	}
	if (arg[OPT_DST]) {
		if (parse_addr(arg[OPT_DST], (uint16_t)port, cfg))
			return BAD(OPT_DST, "not a numeric IPv4 or IPv6 address");
		cfg->have_dst = 1;
		{
			const struct sockaddr_in *sin = (const void *)&cfg->dst;
			const struct sockaddr_in6 *sin6 = (const void *)&cfg->dst;

			if ((cfg->dst.ss_family == AF_INET && sin->sin_addr.s_addr == INADDR_ANY) ||
			    (cfg->dst.ss_family == AF_INET6 &&
			     IN6_IS_ADDR_UNSPECIFIED(&sin6->sin6_addr)))
				return BAD(OPT_DST, "the unspecified address is not a destination");
		}
	}
	if (arg[OPT_TTL]) {
		if (parse_u64(arg[OPT_TTL], 1, 255, &v))
			return BAD(OPT_TTL, "TTL must be 1..255");
		cfg->ttl = (int)v;
	}
	if (arg[OPT_DSCP]) {
		if (parse_u64(arg[OPT_DSCP], 0, 63, &v))
			return BAD(OPT_DSCP, "DSCP must be 0..63");
		cfg->dscp = (int)v;
	}
	if (arg[OPT_DEV]) {
		if (strlen(arg[OPT_DEV]) >= IFNAMSIZ || !if_nametoindex(arg[OPT_DEV]))
			return BAD(OPT_DEV, "no such network interface");
		cfg->dev = arg[OPT_DEV];
	}
	if (arg[OPT_SSRC]) {
		if (parse_u64(arg[OPT_SSRC], 0, UINT32_MAX, &v))
			return BAD(OPT_SSRC, "SSRC must be a 32-bit number");
		cfg->ssrc = (uint32_t)v;
		cfg->have_ssrc = 1;
	} else {
		random_bytes(&cfg->ssrc, sizeof(cfg->ssrc));
	}
	if (arg[OPT_SEQ]) {
		if (parse_u64(arg[OPT_SEQ], 0, UINT32_MAX, &v))
			return BAD(OPT_SEQ, "sequence must be a 32-bit number");
		cfg->seq = (uint32_t)v;
		cfg->have_seq = 1;
	} else {
		random_bytes(&cfg->seq, sizeof(cfg->seq));
	}
	if (arg[OPT_PT]) {
		if (parse_u64(arg[OPT_PT], ST2110_RTP_PT_DYNAMIC_MIN, ST2110_RTP_PT_DYNAMIC_MAX, &v))
			return BAD(OPT_PT, "payload type must be dynamic, 96..127");
		cfg->pt = (unsigned int)v;
	}
	if (arg[OPT_RTP]) {
		if (!strcmp(arg[OPT_RTP], "epoch"))
			cfg->rtp = SEND_RTP_EPOCH;
		else if (!strcmp(arg[OPT_RTP], "free"))
			cfg->rtp = SEND_RTP_FREE;
		else
			return BAD(OPT_RTP, "RTP clock must be epoch or free");
	}

	/* emission */
	if (arg[OPT_MODE]) {
		if (!strcmp(arg[OPT_MODE], "burst"))
			cfg->mode = SEND_MODE_BURST;
		else if (!strcmp(arg[OPT_MODE], "paced"))
			cfg->mode = SEND_MODE_PACED;
		else if (!strcmp(arg[OPT_MODE], "txtime"))
			cfg->mode = SEND_MODE_TXTIME;
		else
			return BAD(OPT_MODE, "mode must be burst, paced or txtime");
	}
	if (cfg->gso && cfg->mode != SEND_MODE_BURST)
		return send_err(SEND_EXIT_USAGE, "--gso needs --mode burst (a super-packet cannot be paced)");
	if (cfg->gso && cfg->media == SEND_AUDIO)
		return send_err(SEND_EXIT_USAGE, "--gso is for video: audio sends one packet per slot");
	if (arg[OPT_LEAD]) {
		if (parse_u64(arg[OPT_LEAD], 0, ST2110_VIDEO_MAX_PKTS_PER_FRAME, &v))
			return BAD(OPT_LEAD, "lead must be 0..%u packets", ST2110_VIDEO_MAX_PKTS_PER_FRAME);
		cfg->lead_pkts = (uint32_t)v;
	}
	if (arg[OPT_BATCH]) {
		if (parse_u64(arg[OPT_BATCH], 1, 1024, &v))
			return BAD(OPT_BATCH, "batch must be 1..1024 messages");
		cfg->batch = (uint32_t)v;
	}
	if (arg[OPT_CPU]) {
		if (parse_u64(arg[OPT_CPU], 0, 4095, &v))
			return BAD(OPT_CPU, "CPU must be 0..4095");
		cfg->cpu = (int)v;
	}
	if (arg[OPT_TXADV]) {
		if (parse_fixed(arg[OPT_TXADV], 3, &v) || v > 10 * ST2110_NSEC_PER_SEC)
			return BAD(OPT_TXADV, "expected microseconds, at most 10 s");
		cfg->txtime_advance_ns = v;
	}
	if (arg[OPT_SPIN]) {
		if (parse_fixed(arg[OPT_SPIN], 3, &v) || v > ST2110_NSEC_PER_SEC)
			return BAD(OPT_SPIN, "expected microseconds, at most 1 s");
		if (cfg->mode != SEND_MODE_PACED || cfg->media != SEND_VIDEO)
			return send_err(SEND_EXIT_USAGE, "--spin-us is for --mode paced video");
		cfg->spin_ns = v;
	}
	if (arg[OPT_FRAMES]) {
		if (parse_u64(arg[OPT_FRAMES], 1, UINT64_MAX, &v))
			return BAD(OPT_FRAMES, "frames must be a positive integer");
		cfg->frames = v;
	}
	if (arg[OPT_DURATION]) {
		if (parse_fixed(arg[OPT_DURATION], 9, &v) || !v)
			return BAD(OPT_DURATION, "duration must be a positive number of seconds");
		cfg->duration_ns = v;
	}

	/* output */
	cfg->sdp_path = arg[OPT_SDP];
	if (arg[OPT_REFCLK]) {
		if (!strcmp(arg[OPT_REFCLK], "traceable") || !strcmp(arg[OPT_REFCLK], "ptp=traceable")) {
			cfg->refclk = SEND_REFCLK_TRACEABLE;
		} else if (!strcmp(arg[OPT_REFCLK], "localmac")) {
			cfg->refclk = SEND_REFCLK_LOCALMAC;
			if (!cfg->dev)
				return send_err(SEND_EXIT_USAGE, "--refclk localmac needs --dev IFNAME");
		} else if (!strncmp(arg[OPT_REFCLK], "ptp=", 4)) {
			struct st2110_sdp_diag d;

			if (st2110_sdp_refclk_parse(arg[OPT_REFCLK], &cfg->refclk_ptp, &d))
				return BAD(OPT_REFCLK, "%s", d.msg);
			cfg->refclk = SEND_REFCLK_PTP;
		} else {
			return BAD(OPT_REFCLK, "expected traceable, localmac or ptp=IEEE1588-2008:GM:DOMAIN");
		}
	}
	if (!cfg->have_dst && !cfg->count_only)
		return send_err(SEND_EXIT_USAGE, "--dst ADDR is required (or --count-only)");
	if (!cfg->have_dst && cfg->sdp_path)
		return send_err(SEND_EXIT_USAGE, "--sdp needs --dst ADDR for the c= line");
	cfg->dst_len = cfg->have_dst ? cfg->dst_len : 0;
	if (!cfg->have_dst)
		cfg->dst.ss_family = AF_INET;
#undef BAD

	/* the same checks main() relies on, run once here for the message */
	if (cfg->media == SEND_VIDEO) {
		struct st2110_video_layout l;
		struct st2110_sched s;

		if (st2110_video_layout_init(&l, &cfg->vfmt, &why) ||
		    st2110_sched_init_video(&s, &l, cfg->type, cfg->troffset_ns, &why))
			return format_error(arg, cfg, why);
		if (cfg->lead_pkts > l.npackets)
			return send_err(SEND_EXIT_BADARG, "--lead %s: more than NPACKETS (%u)",
					arg[OPT_LEAD], l.npackets);
	}
	return 0;
}
