// SPDX-License-Identifier: GPL-2.0
/*
 * st2110_ctl.c - configure and read the st2110 qdisc from the shell tests,
 * until tc has a plugin for it.  A test helper, not the product CLI.
 *
 *   st2110_ctl qdisc add|change|replace DEV [parent ID] [handle ID]
 *              [limit N] [slack NS] [rate BPS] [offload 0|1]
 *   st2110_ctl qdisc del DEV [parent ID] [handle ID]
 *   st2110_ctl class add|change DEV CLASSID [dst ADDR] [port N]
 *              [src ADDR] [limit N] [video W,H,SCAN,NUM,DEN,SAMPLING,DEPTH,
 *              PACKING[,PAYLOAD[,NPACKETS]]] [audio RATE,CH,BITS,SPP]
 *              [type N] [troffset NS] [lead N] [rtp N] [unpaced 1]
 *   (numbers as in linux/pkt_sched_st2110.h)
 *   st2110_ctl class del DEV CLASSID
 *   st2110_ctl show DEV [HANDLE]            options, stats, xstats
 *   st2110_ctl class-show DEV CLASSID       match, stats, xstats
 *   st2110_ctl -n NETNS ...                 the same in /run/netns/NETNS
 *
 * -n saves the tests an "ip netns exec" (a program start is what costs
 * under TCG); netlink alone needs no /sys of the namespace.
 * IDs are tc handles ("1:", "1:2", "root").  show prints "key value" lines.
 * Exit status: 0 ok, 1 usage or not found, 2 the kernel said no (the errno
 * and extack go to stderr), as tc does.
 */
#define _GNU_SOURCE	/* setns */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <unistd.h>

#include "nlq.h"

#define MAX_ATTRS 40

static void usage(void)
{
	fprintf(stderr,
		"usage: st2110_ctl qdisc add|change|replace|del DEV [parent ID] [handle ID]\n"
		"                  [limit N] [slack NS] [rate BPS] [offload 0|1]\n"
		"       st2110_ctl class add|change|del DEV CLASSID [dst ADDR] [port N]\n"
		"                  [src ADDR] [limit N] [video W,H,SCAN,NUM,DEN,SAMPLING,\n"
		"                  DEPTH,PACKING[,PAYLOAD[,NPACKETS]]] [audio RATE,CH,BITS,SPP]\n"
		"                  [type N] [troffset NS] [lead N] [rtp N] [unpaced 1]\n"
		"       st2110_ctl show DEV [HANDLE]\n"
		"       st2110_ctl class-show DEV CLASSID\n"
		"       st2110_ctl -n NETNS ...\n");
	exit(1);
}

static unsigned long long num(const char *s)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || !*s || *end) {
		fprintf(stderr, "st2110_ctl: bad number \"%s\"\n", s);
		exit(1);
	}
	return v;
}

/* "root", "MAJ:", "MAJ:MIN" (hex), as tc. */
static uint32_t tc_id(const char *s)
{
	unsigned long maj, min = 0;
	char *end;

	if (!strcmp(s, "root"))
		return TC_H_ROOT;
	maj = strtoul(s, &end, 16);
	if (*end != ':' || maj > 0xffff)
		goto bad;
	if (end[1]) {
		min = strtoul(end + 1, &end, 16);
		if (*end || min > 0xffff)
			goto bad;
	}
	return (uint32_t)(maj << 16 | min);
bad:
	fprintf(stderr, "st2110_ctl: bad handle \"%s\"\n", s);
	exit(1);
}

static struct nlq_attr *next_attr(struct nlq_attr *a, int *na)
{
	if (*na >= MAX_ATTRS)
		usage();
	memset(&a[*na], 0, sizeof(a[*na]));
	return &a[(*na)++];
}

static void put_addr(struct nlq_attr *a, int *na, int v4_type, int v6_type,
		     const char *s)
{
	struct nlq_attr *x = next_attr(a, na);

	if (inet_pton(AF_INET, s, x->v.bytes) == 1) {
		x->type = v4_type;
		x->len = 4;
	} else if (inet_pton(AF_INET6, s, x->v.bytes) == 1) {
		x->type = v6_type;
		x->len = 16;
	} else {
		fprintf(stderr, "st2110_ctl: bad address \"%s\"\n", s);
		exit(1);
	}
}

/* A comma list of numbers into a nest of attributes types[0..]. */
static void put_list(struct nlq_attr *a, int *na, int nest_type,
		     const int *types, const int *sizes, int nmin, int nmax,
		     const char *s)
{
	char *copy = strdup(s), *tok, *save = NULL;
	int i = 0;

	*next_attr(a, na) = (struct nlq_attr)NLQ_NEST(nest_type);
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save), i++) {
		struct nlq_attr *x;

		if (i >= nmax)
			usage();
		x = next_attr(a, na);
		x->type = types[i];
		x->len = sizes[i];
		if (sizes[i] == 1)
			x->v.u8 = (uint8_t)num(tok);
		else if (sizes[i] == 2)
			x->v.u16 = (uint16_t)num(tok);
		else
			x->v.u32 = (uint32_t)num(tok);
	}
	if (i < nmin)
		usage();
	*next_attr(a, na) = (struct nlq_attr)NLQ_END;
	free(copy);
}

static const int video_types[] = {
	TCA_ST2110_VIDEO_WIDTH_PX, TCA_ST2110_VIDEO_HEIGHT_PX,
	TCA_ST2110_VIDEO_SCAN, TCA_ST2110_VIDEO_RATE_NUM,
	TCA_ST2110_VIDEO_RATE_DEN, TCA_ST2110_VIDEO_SAMPLING,
	TCA_ST2110_VIDEO_DEPTH, TCA_ST2110_VIDEO_PACKING,
	TCA_ST2110_VIDEO_PAYLOAD_BYTES, TCA_ST2110_VIDEO_NPACKETS,
};
static const int video_sizes[] = { 4, 4, 1, 4, 4, 1, 1, 1, 2, 4 };
static const int audio_types[] = {
	TCA_ST2110_AUDIO_RATE_HZ, TCA_ST2110_AUDIO_CHANNELS,
	TCA_ST2110_AUDIO_DEPTH_BITS, TCA_ST2110_AUDIO_SAMPLES_PER_PKT,
};
static const int audio_sizes[] = { 4, 2, 1, 4 };

static int report(struct nlq *n, int ret)
{
	if (!ret)
		return 0;
	fprintf(stderr, "st2110_ctl: %s%s%s\n", strerror(-ret),
		n->extack[0] ? ": " : "", n->extack);
	return 2;
}

static int cmd_qdisc(struct nlq *n, int argc, char **argv)
{
	uint32_t parent = TC_H_ROOT, handle = 0;
	struct nlq_attr a[MAX_ATTRS];
	int cmd = RTM_NEWQDISC, flags;
	int na = 0, ifindex, i;

	if (argc < 2)
		usage();
	if (!strcmp(argv[0], "add"))
		flags = NLM_F_CREATE | NLM_F_EXCL;
	else if (!strcmp(argv[0], "change"))
		flags = 0;
	else if (!strcmp(argv[0], "replace"))
		flags = NLM_F_CREATE | NLM_F_REPLACE;
	else if (!strcmp(argv[0], "del"))
		cmd = RTM_DELQDISC, flags = 0;
	else
		usage();
	ifindex = nlq_ifindex(n, argv[1]);
	if (ifindex <= 0) {
		fprintf(stderr, "st2110_ctl: no device %s\n", argv[1]);
		return 1;
	}
	for (i = 2; i + 1 < argc; i += 2) {
		const char *k = argv[i], *v = argv[i + 1];

		if (!strcmp(k, "parent")) {
			parent = tc_id(v);
		} else if (!strcmp(k, "handle")) {
			handle = tc_id(v);
		} else if (!strcmp(k, "limit")) {
			*next_attr(a, &na) = (struct nlq_attr)
				NLQ_U32(TCA_ST2110_LIMIT_PKTS, num(v));
		} else if (!strcmp(k, "slack")) {
			*next_attr(a, &na) = (struct nlq_attr)
				NLQ_U32(TCA_ST2110_TIMER_SLACK_NS, num(v));
		} else if (!strcmp(k, "rate")) {
			*next_attr(a, &na) = (struct nlq_attr)
				NLQ_U64(TCA_ST2110_LINK_RATE_BPS, num(v));
		} else if (!strcmp(k, "offload")) {
			*next_attr(a, &na) = (struct nlq_attr)
				NLQ_U8(TCA_ST2110_OFFLOAD, num(v));
		} else {
			usage();
		}
	}
	if (i != argc)
		usage();
	return report(n, nlq_qdisc(n, cmd, flags, ifindex, parent, handle,
				   cmd == RTM_NEWQDISC ? "st2110" : NULL,
				   a, na, 0));
}

static int cmd_class(struct nlq *n, int argc, char **argv)
{
	struct nlq_attr a[MAX_ATTRS];
	int cmd = RTM_NEWTCLASS, flags = 0;
	int na = 0, ifindex, i;
	bool match = false;
	uint32_t classid;

	if (argc < 3)
		usage();
	if (!strcmp(argv[0], "add"))
		flags = NLM_F_CREATE | NLM_F_EXCL;
	else if (!strcmp(argv[0], "del"))
		cmd = RTM_DELTCLASS;
	else if (strcmp(argv[0], "change"))
		usage();
	ifindex = nlq_ifindex(n, argv[1]);
	if (ifindex <= 0) {
		fprintf(stderr, "st2110_ctl: no device %s\n", argv[1]);
		return 1;
	}
	classid = tc_id(argv[2]);

	/* The match attributes first, inside their nest. */
	for (i = 3; i + 1 < argc; i += 2) {
		const char *k = argv[i], *v = argv[i + 1];

		if (strcmp(k, "dst") && strcmp(k, "src") && strcmp(k, "port"))
			continue;
		if (!match) {
			*next_attr(a, &na) = (struct nlq_attr)
				NLQ_NEST(TCA_ST2110_CLASS_MATCH);
			match = true;
		}
		if (!strcmp(k, "dst")) {
			put_addr(a, &na, TCA_ST2110_MATCH_DST_IPV4,
				 TCA_ST2110_MATCH_DST_IPV6, v);
		} else if (!strcmp(k, "src")) {
			put_addr(a, &na, TCA_ST2110_MATCH_SRC_IPV4,
				 TCA_ST2110_MATCH_SRC_IPV6, v);
		} else {
			struct nlq_attr *x = next_attr(a, &na);

			x->type = TCA_ST2110_MATCH_DST_PORT;
			x->len = 2;
			x->v.u16 = htons((uint16_t)num(v));
		}
	}
	if (match)
		*next_attr(a, &na) = (struct nlq_attr)NLQ_END;
	for (i = 3; i + 1 < argc; i += 2) {
		const char *k = argv[i], *v = argv[i + 1];

		if (!strcmp(k, "limit"))
			*next_attr(a, &na) = (struct nlq_attr)
				NLQ_U32(TCA_ST2110_CLASS_LIMIT_PKTS, num(v));
		else if (!strcmp(k, "video"))
			put_list(a, &na, TCA_ST2110_CLASS_VIDEO, video_types,
				 video_sizes, 8, 10, v);
		else if (!strcmp(k, "audio"))
			put_list(a, &na, TCA_ST2110_CLASS_AUDIO, audio_types,
				 audio_sizes, 4, 4, v);
		else if (!strcmp(k, "type"))
			*next_attr(a, &na) = (struct nlq_attr)
				NLQ_U8(TCA_ST2110_CLASS_TYPE, num(v));
		else if (!strcmp(k, "troffset"))
			*next_attr(a, &na) = (struct nlq_attr)
				NLQ_U64(TCA_ST2110_CLASS_TROFFSET_NS, num(v));
		else if (!strcmp(k, "lead"))
			*next_attr(a, &na) = (struct nlq_attr)
				NLQ_U32(TCA_ST2110_CLASS_LEAD_PKTS, num(v));
		else if (!strcmp(k, "rtp"))
			*next_attr(a, &na) = (struct nlq_attr)
				NLQ_U8(TCA_ST2110_CLASS_RTP_POLICY, num(v));
		else if (!strcmp(k, "unpaced"))
			*next_attr(a, &na) = (struct nlq_attr){
				.type = TCA_ST2110_CLASS_UNPACED, .len = 0 };
		else if (strcmp(k, "dst") && strcmp(k, "src") &&
			 strcmp(k, "port"))
			usage();
	}
	if (i != argc)
		usage();
	return report(n, nlq_class(n, cmd, flags, ifindex,
				   classid & 0xffff0000u, classid, a, na,
				   na ? 0 : NLQ_NO_OPTIONS));
}

static void print_stats(const struct nlq_stats *st)
{
	printf("sent_bytes %llu\nsent_pkts %llu\ndropped %u\nqlen %u\nbacklog_bytes %u\noverlimits %u\n",
	       (unsigned long long)st->bytes, (unsigned long long)st->packets,
	       st->drops, st->qlen, st->backlog, st->overlimits);
}

static int cmd_show(struct nlq *n, int argc, char **argv)
{
	const struct tc_st2110_xstats *x;
	struct nlq_qdisc_info qi;
	int ifindex;

	if (argc < 1 || argc > 2)
		usage();
	ifindex = nlq_ifindex(n, argv[0]);
	if (ifindex <= 0)
		return 1;
	if (nlq_get_qdisc(n, ifindex, argc == 2 ? tc_id(argv[1]) : 0, &qi))
		return report(n, -n->err);
	if (!qi.found || strcmp(qi.kind, "st2110")) {
		fprintf(stderr, "st2110_ctl: no st2110 qdisc there\n");
		return 1;
	}
	printf("handle %x:\nclockid %u\ntimer_slack_ns %u\nlimit_pkts %u\nlink_rate_cfg_bps %llu\noffload %u\n",
	       qi.handle >> 16, qi.clockid, qi.timer_slack_ns, qi.limit_pkts,
	       (unsigned long long)qi.link_rate_bps, qi.offload);
	print_stats(&qi.stats);
	x = &qi.xstats;
	printf("link_rate_bps %llu\nenqueued_pkts %llu\ndequeued_pkts %llu\nlimit_drops %llu\nbe_pkts %llu\nbe_drops %llu\nstream_pkts %llu\nstream_drops %llu\nwatchdog_wakeups %llu\nbe_backlog_pkts %u\nstreams %u\n",
	       (unsigned long long)x->link_rate_bps,
	       (unsigned long long)x->enqueued_pkts,
	       (unsigned long long)x->dequeued_pkts,
	       (unsigned long long)x->limit_drops,
	       (unsigned long long)x->be_pkts,
	       (unsigned long long)x->be_drops,
	       (unsigned long long)x->stream_pkts,
	       (unsigned long long)x->stream_drops,
	       (unsigned long long)x->watchdog_wakeups,
	       x->be_backlog_pkts, x->streams);
	printf("gso_segs %llu\n", (unsigned long long)x->gso_segs);
	return 0;
}

static void print_pacing(const struct nlq_class_info *ci)
{
	const struct tc_st2110_class_xstats *x = &ci->xstats;
	int i;

	if (ci->has[TCA_ST2110_CLASS_TYPE])
		printf("type %u\ntroffset_ns %llu\nlead_cfg %u\nrtp_policy %u\n",
		       ci->type, (unsigned long long)ci->troffset_ns,
		       ci->lead_pkts, ci->rtp_policy);
	if (ci->has[TCA_ST2110_CLASS_VIDEO]) {
		printf("video");
		for (i = 1; i <= TCA_ST2110_VIDEO_MAX; i++)
			printf("%c%u", i == 1 ? ' ' : ',', ci->video[i]);
		printf("\n");
	}
	if (ci->has[TCA_ST2110_CLASS_AUDIO]) {
		printf("audio");
		for (i = 1; i <= TCA_ST2110_AUDIO_MAX; i++)
			printf("%c%u", i == 1 ? ' ' : ',', ci->audio[i]);
		printf("\n");
	}
	printf("npackets %u\nlead_pkts %u\npaced_pkts %llu\npaced_bytes %llu\nframes %llu\nlate_pkts %llu\nlate_max_ns %llu\nlate_ewma_ns %llu\nhorizon_pkts %llu\nunscheduled_pkts %llu\nclass_drops %llu\ncinst_waits %llu\n",
	       x->npackets, x->lead_pkts,
	       (unsigned long long)x->paced_pkts,
	       (unsigned long long)x->paced_bytes,
	       (unsigned long long)x->frames,
	       (unsigned long long)x->late_pkts,
	       (unsigned long long)x->late_max_ns,
	       (unsigned long long)x->late_ewma_ns,
	       (unsigned long long)x->horizon_pkts,
	       (unsigned long long)x->unscheduled_pkts,
	       (unsigned long long)x->drops,
	       (unsigned long long)x->cinst_waits);
	printf("eg_frames %llu\neg_frames_over_cmax %llu\neg_frames_over_vrx %llu\n"
	       "eg_frames_vrx_under %llu\neg_cinst_peak %u\neg_vrx_peak %lld\neg_vrx_min %lld\n",
	       (unsigned long long)x->egress_frames,
	       (unsigned long long)x->egress_frames_over_cmax,
	       (unsigned long long)x->egress_frames_over_vrx,
	       (unsigned long long)x->egress_frames_vrx_under,
	       x->egress_cinst_peak_pkts, (long long)x->egress_vrx_peak_pkts, (long long)x->egress_vrx_min_pkts);
	printf("err_hist");
	for (i = 0; i < TC_ST2110_ERR_HIST_BUCKETS; i++)
		printf("%c%llu", i ? ',' : ' ', (unsigned long long)x->err_hist[i]);
	printf("\n");
}

static int cmd_class_show(struct nlq *n, int argc, char **argv)
{
	char dst[INET6_ADDRSTRLEN], src[INET6_ADDRSTRLEN];
	struct nlq_class_info ci;
	int ifindex;

	if (argc != 2)
		usage();
	ifindex = nlq_ifindex(n, argv[0]);
	if (ifindex <= 0)
		return 1;
	if (nlq_get_class(n, ifindex, tc_id(argv[1]), &ci, NULL))
		return report(n, -n->err);
	if (!ci.found) {
		fprintf(stderr, "st2110_ctl: no class %s\n", argv[1]);
		return 1;
	}
	inet_ntop(ci.family, ci.dst, dst, sizeof(dst));
	inet_ntop(ci.family, ci.src, src, sizeof(src));
	printf("classid %x:%x\ndst %s\nport %u\nsrc %s\nlimit_pkts %u\n",
	       ci.classid >> 16, ci.classid & 0xffff, dst, ci.port,
	       ci.has_src ? src : "any", ci.limit_pkts);
	print_stats(&ci.stats);
	printf("matched_pkts %llu\nfiltered_pkts %llu\n",
	       (unsigned long long)ci.xstats.matched_pkts,
	       (unsigned long long)ci.xstats.filtered_pkts);
	print_pacing(&ci);
	return 0;
}

int main(int argc, char **argv)
{
	char path[256];
	struct nlq n;
	int ret, fd;

	if (argc > 2 && !strcmp(argv[1], "-n")) {
		snprintf(path, sizeof(path), "/run/netns/%s", argv[2]);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || setns(fd, CLONE_NEWNET) < 0) {
			fprintf(stderr, "st2110_ctl: netns %s: %s\n", argv[2], strerror(errno));
			return 1;
		}
		close(fd);
		argc -= 2;
		argv += 2;
	}
	if (argc < 3)
		usage();
	if (nlq_open(&n)) {
		fprintf(stderr, "st2110_ctl: cannot open rtnetlink\n");
		return 1;
	}
	if (!strcmp(argv[1], "qdisc"))
		ret = cmd_qdisc(&n, argc - 2, argv + 2);
	else if (!strcmp(argv[1], "class"))
		ret = cmd_class(&n, argc - 2, argv + 2);
	else if (!strcmp(argv[1], "show"))
		ret = cmd_show(&n, argc - 2, argv + 2);
	else if (!strcmp(argv[1], "class-show"))
		ret = cmd_class_show(&n, argc - 2, argv + 2);
	else
		usage();
	nlq_close(&n);
	return ret;
}
