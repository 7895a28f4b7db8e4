// SPDX-License-Identifier: GPL-2.0
/*
 * q_st2110.c - tc(8) plugin for the st2110 qdisc (sch_st2110.ko):
 *
 *   tc qdisc add dev DEV root [handle 1:] st2110 [limit PKTS] [slack NS]
 *	[linkrate RATE] [offload | nooffload] [clockid CLOCK_TAI]
 *   tc class add dev DEV parent 1: classid 1:N st2110 dst ADDR port PORT
 *	[src ADDR] [limit PKTS] [FORMAT [type N|NL|W] [troffset NS|default]
 *	[lead PKTS|default] [rtp follow|restamp]]
 *   tc class change ... st2110 [FORMAT ...] [limit PKTS] [unpaced]
 *
 * Options are parsed, encoded and decoded by the same code as the st2110
 * tool's (userspace/lib/tcnl.c, compiled in), so both send the same bytes.
 * Only st2110_qdisc_util is exported (-fvisibility=hidden): tc's own
 * exported names must not capture the plugin's calls, and only the helpers
 * declared in tc_abi.h are used from tc.  See tc-st2110(8).
 */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>

#include "tc_abi.h"
#include "tcnl.h"
#include "vfmt.h"

#define ST2110_MAXLEN	1024	/* tc's request buffer is larger: in-tree plugins use this */

static void explain_qdisc(void)
{
	fprintf(stderr,
		"Usage: ... st2110 [ limit PKTS ] [ slack NS ] [ linkrate RATE ]\n"
		"                  [ offload | nooffload ] [ clockid CLOCK_TAI ]\n"
		"RATE: bits per second with an optional kbit, mbit, gbit or tbit suffix;\n"
		"      0 takes the link speed from ethtool.\n");
}

static void explain_class(void)
{
	fprintf(stderr,
		"Usage: ... st2110 dst ADDR port PORT [ src ADDR ] [ limit PKTS ]\n"
		"                  [ FORMAT [ type N|NL|W ] [ troffset NS|default ]\n"
		"                    [ lead PKTS|default ] [ rtp follow|restamp ] ]\n"
		"       ... st2110 [ FORMAT ... ] [ limit PKTS ] [ unpaced ]   (change)\n"
		"FORMAT := { video FMT [ sampling S ] [ depth D ] [ packing gpm|bpm ]\n"
		"                      [ payload BYTES ] [ npackets N ] |\n"
		"            audio RATE:CHANNELS:L16|L24:PTIME }\n"
		"FMT: 1920x1080p50, 1080i50, 1280x720p59.94, ... (field rate after i)\n");
}

static int add_options(struct nlmsghdr *n, const void *buf, size_t len)
{
	/* sch_st2110 parses its options strictly: they must be marked nested */
	return addattr_l(n, ST2110_MAXLEN, TCA_OPTIONS | NLA_F_NESTED, buf, (int)len);
}

/* The option words of a qdisc (c NULL) or of a class (q NULL); -1 if bad. */
static int parse_words(int argc, char **argv, struct st2110_qdisc_cfg *q,
		       struct st2110_class_cfg *c)
{
	void (*explain)(void) = c ? explain_class : explain_qdisc;
	char err[ST2110_ERR_LEN];
	const char *val;
	int ret;

	for (; argc > 0; argc--, argv++) {
		if (!strcmp(*argv, "help")) {
			explain();
			return -1;
		}
		val = NULL;
		if (!(c ? st2110_class_is_flag(*argv) : st2110_qdisc_is_flag(*argv))) {
			if (argc < 2) {
				fprintf(stderr, "st2110: \"%s\" needs a value\n", *argv);
				return -1;
			}
			val = argv[1];
		}
		ret = c ? st2110_class_arg(c, *argv, val, err, sizeof(err)) :
			  st2110_qdisc_arg(q, *argv, val, err, sizeof(err));
		if (ret == -ENOENT) {
			fprintf(stderr, "st2110: unknown option \"%s\"\n", *argv);
			explain();
			return -1;
		}
		if (ret) {
			fprintf(stderr, "st2110: %s\n", err);
			return -1;
		}
		if (val) {
			argc--;
			argv++;
		}
	}
	return 0;
}

static int st2110_parse_qopt(struct qdisc_util *qu, int argc, char **argv,
			     struct nlmsghdr *n, const char *dev)
{
	struct st2110_qdisc_cfg q;
	uint8_t buf[ST2110_OPT_MAX_BYTES];
	size_t len;

	(void)qu;
	(void)dev;
	memset(&q, 0, sizeof(q));
	if (parse_words(argc, argv, &q, NULL))
		return -1;
	len = st2110_qdisc_encode(&q, buf, sizeof(buf));
	if (len && add_options(n, buf, len))
		return -1;
	return 0;
}

static int st2110_parse_copt(struct qdisc_util *qu, int argc, char **argv,
			     struct nlmsghdr *n, const char *dev)
{
	struct st2110_class_cfg c;
	uint8_t buf[ST2110_OPT_MAX_BYTES];
	char err[ST2110_ERR_LEN];
	size_t len;

	(void)qu;
	(void)dev;
	st2110_class_init(&c);
	if (parse_words(argc, argv, NULL, &c))
		return -1;
	/* "tc class add" is the only request with NLM_F_EXCL: a new class */
	if (st2110_class_check(&c, n->nlmsg_flags & NLM_F_EXCL, err, sizeof(err))) {
		fprintf(stderr, "st2110: %s\n", err);
		return -1;
	}
	len = st2110_class_encode(&c, buf, sizeof(buf));
	if (len && add_options(n, buf, len))
		return -1;
	return 0;
}

static void pr_str(const char *key, const char *fmt, const char *v)
{
	print_color_string(TC_PRINT_ANY, TC_COLOR_NONE, key, fmt, v);
}

static void pr_u64(const char *key, const char *fmt, uint64_t v)
{
	print_color_u64(TC_PRINT_ANY, TC_COLOR_NONE, key, fmt, v);
}

static void pr_s64(const char *key, const char *fmt, int64_t v)
{
	print_color_s64(TC_PRINT_ANY, TC_COLOR_NONE, key, fmt, v);
}

static int st2110_print_qopt(struct qdisc_util *qu, FILE *f, struct rtattr *opt)
{
	struct st2110_qdisc_cfg q;
	char buf[32];
	const char *clk;

	(void)qu;
	(void)f;
	if (!opt)
		return 0;
	if (st2110_qdisc_decode(&q, RTA_DATA(opt), RTA_PAYLOAD(opt))) {
		fprintf(stderr, "st2110: malformed options\n");
		return -1;
	}
	if (q.has_clockid) {
		clk = st2110_clock_word(q.clockid);
		if (clk)
			pr_str("clockid", "clockid %s ", clk);
		else
			pr_u64("clockid", "clockid %" PRIu64 " ", q.clockid);
	}
	if (q.has_limit)
		pr_u64("limit_pkts", "limit %" PRIu64 " ", q.limit_pkts);
	if (q.has_slack)
		pr_u64("slack_ns", "slack %" PRIu64 " ", q.slack_ns);
	if (q.has_rate) {
		if (is_json_context()) {
			pr_u64("link_rate_bps", NULL, q.link_rate_bps);
		} else {
			st2110_rate_word(buf, sizeof(buf), q.link_rate_bps);
			pr_str(NULL, "linkrate %s ", buf);
		}
	}
	if (q.has_offload) {
		if (is_json_context())
			print_color_bool(TC_PRINT_JSON, TC_COLOR_NONE, "offload", NULL, q.offload);
		else if (q.offload)
			pr_str(NULL, "%s ", "offload");
	}
	return 0;
}

static int st2110_print_copt(struct qdisc_util *qu, FILE *f, struct rtattr *opt)
{
	struct st2110_class_cfg c;
	char buf[64];

	(void)qu;
	(void)f;
	if (!opt)
		return 0;
	if (st2110_class_decode(&c, RTA_DATA(opt), RTA_PAYLOAD(opt))) {
		fprintf(stderr, "st2110: malformed class options\n");
		return -1;
	}
	if (c.has_match) {
		pr_str("dst", "dst %s ", st2110_class_addr(&c, false, buf, sizeof(buf)));
		pr_u64("port", "port %" PRIu64 " ", c.port);
		if (c.has_src)
			pr_str("src", "src %s ", st2110_class_addr(&c, true, buf, sizeof(buf)));
	}
	if (c.has_limit)
		pr_u64("limit_pkts", "limit %" PRIu64 " ", c.limit_pkts);
	if (c.has_video) {
		st2110_vfmt_name(&c.video, buf, sizeof(buf));
		open_json_object("video");
		pr_str("format", "video %s ", buf);
		pr_str("sampling", "sampling %s ", st2110_sampling_name(c.video.sampling) ?: "?");
		pr_str("depth", "depth %s ", st2110_depth_name(c.video.depth) ?: "?");
		pr_str("packing", "packing %s ", st2110_packing_word(c.video.packing));
		if (c.video.max_payload_bytes)
			pr_u64("payload_bytes", "payload %" PRIu64 " ", c.video.max_payload_bytes);
		if (c.npackets)
			pr_u64("npackets", "npackets %" PRIu64 " ", c.npackets);
		if (is_json_context()) {
			pr_u64("width_px", NULL, c.video.width_px);
			pr_u64("height_px", NULL, c.video.height_px);
			pr_u64("rate_num", NULL, c.video.rate.num);
			pr_u64("rate_den", NULL, c.video.rate.den);
			pr_u64("scan", NULL, c.video.scan);
		}
		close_json_object();
	} else if (c.has_audio) {
		st2110_audio_spec(buf, sizeof(buf), &c.audio);
		open_json_object("audio");
		pr_str("format", "audio %s ", buf);
		if (is_json_context()) {
			pr_u64("rate_hz", NULL, c.audio.rate_hz);
			pr_u64("channels", NULL, c.audio.channels);
			pr_u64("depth_bits", NULL, c.audio.depth_bits);
			pr_u64("samples_per_pkt", NULL, c.audio.samples_per_pkt);
		}
		close_json_object();
	}
	if (c.has_type)
		pr_str("type", "type %s ", st2110_type_word(c.type));
	if (c.has_troffset) {
		if (c.troffset_ns == TC_ST2110_TROFFSET_DEFAULT)
			pr_str("troffset", "troffset %s ", "default");
		else
			pr_u64("troffset_ns", "troffset %" PRIu64 " ", c.troffset_ns);
	}
	if (c.has_lead) {
		if (c.lead_pkts == TC_ST2110_LEAD_DEFAULT)
			pr_str("lead", "lead %s ", "default");
		else
			pr_u64("lead_pkts", "lead %" PRIu64 " ", c.lead_pkts);
	}
	if (c.has_rtp)
		pr_str("rtp", "rtp %s ", st2110_rtp_word(c.rtp_policy));
	if (c.has_match && !c.has_video && !c.has_audio) {
		if (is_json_context())
			print_color_bool(TC_PRINT_JSON, TC_COLOR_NONE, "unpaced", NULL, true);
		else
			pr_str(NULL, "%s ", "unpaced");
	}
	return 0;
}

static void print_qdisc_xstats(const struct tc_st2110_xstats *x)
{
	char buf[32];

	if (is_json_context()) {
		pr_u64("link_rate_bps", NULL, x->link_rate_bps);
	} else {
		st2110_rate_word(buf, sizeof(buf), x->link_rate_bps);
		pr_str(NULL, " linkrate %s", buf);
	}
	pr_u64("streams", " streams %" PRIu64, x->streams);
	pr_u64("enqueued_pkts", " enqueued %" PRIu64, x->enqueued_pkts);
	pr_u64("dequeued_pkts", " dequeued %" PRIu64, x->dequeued_pkts);
	pr_u64("limit_drops", " limit_drops %" PRIu64, x->limit_drops);
	print_nl();
	pr_u64("stream_pkts", " stream_pkts %" PRIu64, x->stream_pkts);
	pr_u64("stream_drops", " stream_drops %" PRIu64, x->stream_drops);
	pr_u64("be_pkts", " be_pkts %" PRIu64, x->be_pkts);
	pr_u64("be_drops", " be_drops %" PRIu64, x->be_drops);
	pr_u64("be_backlog_pkts", " be_backlog %" PRIu64, x->be_backlog_pkts);
	pr_u64("watchdog_wakeups", " wakeups %" PRIu64, x->watchdog_wakeups);
	pr_u64("gso_segs", " gso_segs %" PRIu64, x->gso_segs);
}

static void print_class_xstats(const struct tc_st2110_class_xstats *x)
{
	char key[32];
	unsigned int i;

	pr_u64("matched_pkts", " matched %" PRIu64, x->matched_pkts);
	pr_u64("filtered_pkts", " filtered %" PRIu64, x->filtered_pkts);
	pr_u64("paced_pkts", " paced %" PRIu64, x->paced_pkts);
	pr_u64("paced_bytes", " paced_bytes %" PRIu64, x->paced_bytes);
	pr_u64("frames", " frames %" PRIu64, x->frames);
	pr_u64("drops", " drops %" PRIu64, x->drops);
	print_nl();
	pr_u64("late_pkts", " late %" PRIu64, x->late_pkts);
	pr_u64("late_max_ns", " late_max %" PRIu64 "ns", x->late_max_ns);
	pr_u64("late_ewma_ns", " late_ewma %" PRIu64 "ns", x->late_ewma_ns);
	pr_u64("horizon_pkts", " horizon %" PRIu64, x->horizon_pkts);
	pr_u64("unscheduled_pkts", " unscheduled %" PRIu64, x->unscheduled_pkts);
	pr_u64("cinst_waits", " cinst_waits %" PRIu64, x->cinst_waits);
	pr_u64("npackets", " npackets %" PRIu64, x->npackets);
	pr_u64("lead_pkts", " lead %" PRIu64, x->lead_pkts);
	print_nl();
	/* egress ST 2110-21 model (video) */
	pr_u64("egress_frames", " egress frames %" PRIu64, x->egress_frames);
	pr_u64("egress_cinst_peak_pkts", " cinst_peak %" PRIu64, x->egress_cinst_peak_pkts);
	pr_s64("egress_vrx_min_pkts", " vrx %" PRId64, x->egress_vrx_min_pkts);
	pr_s64("egress_vrx_peak_pkts", "..%" PRId64, x->egress_vrx_peak_pkts);
	pr_u64("egress_frames_over_cmax", " over_cmax %" PRIu64, x->egress_frames_over_cmax);
	pr_u64("egress_frames_over_vrx", " over_vrxfull %" PRIu64, x->egress_frames_over_vrx);
	pr_u64("egress_frames_vrx_under", " vrx_underflow %" PRIu64, x->egress_frames_vrx_under);
	if (is_json_context()) {
		open_json_array(TC_PRINT_JSON, "release_err_hist");
		for (i = 0; i < TC_ST2110_ERR_HIST_BUCKETS; i++)
			pr_u64(NULL, NULL, x->err_hist[i]);
		close_json_array(TC_PRINT_JSON, NULL);
		return;
	}
	print_nl();
	pr_str(NULL, "%s", " release_err");
	for (i = 0; i < TC_ST2110_ERR_HIST_BUCKETS; i++) {
		if (!x->err_hist[i])
			continue;
		snprintf(key, sizeof(key), " <%" PRIu64 "ns:", i ? (uint64_t)1 << i : 1);
		pr_str(NULL, "%s", i ? key : " 0ns:");
		pr_u64(NULL, "%" PRIu64, x->err_hist[i]);
	}
}

/*
 * tc hands qdisc and class xstats to the same callback; the class
 * structure is the one with the release-error histogram: every version of
 * it reaches npackets (344 bytes), which the qdisc's would only with 43
 * counters.
 */
static int st2110_print_xstats(struct qdisc_util *qu, FILE *f, struct rtattr *xstats)
{
	struct tc_st2110_class_xstats cx;
	struct tc_st2110_xstats qx;
	size_t len;

	(void)qu;
	(void)f;
	if (!xstats)
		return 0;
	len = RTA_PAYLOAD(xstats);
	if (len >= offsetof(struct tc_st2110_class_xstats, npackets)) {
		st2110_xstats_copy(&cx, sizeof(cx), RTA_DATA(xstats), len);
		print_class_xstats(&cx);
	} else if (len >= sizeof(uint64_t)) {
		st2110_xstats_copy(&qx, sizeof(qx), RTA_DATA(xstats), len);
		print_qdisc_xstats(&qx);
	}
	return 0;
}

__attribute__((visibility("default")))
struct qdisc_util st2110_qdisc_util = {
	.id		= "st2110",
	.parse_qopt	= st2110_parse_qopt,
	.print_qopt	= st2110_print_qopt,
	.print_xstats	= st2110_print_xstats,
	.parse_copt	= st2110_parse_copt,
	.print_copt	= st2110_print_copt,
};
