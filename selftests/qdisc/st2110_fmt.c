// SPDX-License-Identifier: GPL-2.0
/*
 * st2110_fmt.c - stream format options of st2110 classes, checked against
 * the running kernel (inside the test VM, in a scratch netns).
 *
 *   st2110_fmt IFNAME
 *
 * - a video or audio format, sender type, TROFFSET, lead and RTP policy
 *   are accepted and dumped back exactly as given; the class xstats show
 *   what the kernel derived (NPACKETS, lead), which must equal what the
 *   timing core computes here in user space;
 * - each bad format is rejected with the timing core's own reason string
 *   as the extack (computed here with the same core), and a failed change
 *   leaves the previous format in place.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

#include <kselftest.h>
#include <st2110/st2110.h>

#include "nlq.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#define QDISC_HANDLE	0x00010000u
#define CLASSID		0x00010001u
#define MAX_ATTRS	40

static struct nlq nl;
static int ifindex;

/* A class request under construction. */
struct req {
	struct nlq_attr	a[MAX_ATTRS];
	int		na;
};

static void put(struct req *r, struct nlq_attr x)
{
	if (r->na < MAX_ATTRS)
		r->a[r->na++] = x;
}

static void put_match(struct req *r)
{
	put(r, (struct nlq_attr)NLQ_NEST(TCA_ST2110_CLASS_MATCH));
	put(r, (struct nlq_attr){ .type = TCA_ST2110_MATCH_DST_IPV4, .len = 4,
				  .v.bytes = { 239, 1, 1, 1 } });
	put(r, (struct nlq_attr){ .type = TCA_ST2110_MATCH_DST_PORT, .len = 2,
				  .v.bytes = { 5004 >> 8, 5004 & 0xff } });
	put(r, (struct nlq_attr)NLQ_END);
}

/* payload/npackets < 0: attribute absent */
static void put_video(struct req *r, const struct st2110_video_fmt *f,
		      int payload, long long npackets)
{
	put(r, (struct nlq_attr)NLQ_NEST(TCA_ST2110_CLASS_VIDEO));
	put(r, (struct nlq_attr)NLQ_U32(TCA_ST2110_VIDEO_WIDTH_PX, f->width_px));
	put(r, (struct nlq_attr)NLQ_U32(TCA_ST2110_VIDEO_HEIGHT_PX, f->height_px));
	put(r, (struct nlq_attr)NLQ_U8(TCA_ST2110_VIDEO_SCAN, f->scan));
	put(r, (struct nlq_attr)NLQ_U32(TCA_ST2110_VIDEO_RATE_NUM, f->rate.num));
	put(r, (struct nlq_attr)NLQ_U32(TCA_ST2110_VIDEO_RATE_DEN, f->rate.den));
	put(r, (struct nlq_attr)NLQ_U8(TCA_ST2110_VIDEO_SAMPLING, f->sampling));
	put(r, (struct nlq_attr)NLQ_U8(TCA_ST2110_VIDEO_DEPTH, f->depth));
	put(r, (struct nlq_attr)NLQ_U8(TCA_ST2110_VIDEO_PACKING, f->packing));
	if (payload >= 0)
		put(r, (struct nlq_attr)NLQ_U16(TCA_ST2110_VIDEO_PAYLOAD_BYTES,
						(uint16_t)payload));
	if (npackets >= 0)
		put(r, (struct nlq_attr)NLQ_U32(TCA_ST2110_VIDEO_NPACKETS,
						(uint32_t)npackets));
	put(r, (struct nlq_attr)NLQ_END);
}

static void put_audio(struct req *r, const struct st2110_audio_fmt *a)
{
	put(r, (struct nlq_attr)NLQ_NEST(TCA_ST2110_CLASS_AUDIO));
	put(r, (struct nlq_attr)NLQ_U32(TCA_ST2110_AUDIO_RATE_HZ, a->rate_hz));
	put(r, (struct nlq_attr)NLQ_U16(TCA_ST2110_AUDIO_CHANNELS, a->channels));
	put(r, (struct nlq_attr)NLQ_U8(TCA_ST2110_AUDIO_DEPTH_BITS, a->depth_bits));
	put(r, (struct nlq_attr)NLQ_U32(TCA_ST2110_AUDIO_SAMPLES_PER_PKT,
					a->samples_per_pkt));
	put(r, (struct nlq_attr)NLQ_END);
}

static int class_send(struct req *r, bool create)
{
	return nlq_class(&nl, RTM_NEWTCLASS,
			 create ? NLM_F_CREATE | NLM_F_EXCL : 0, ifindex,
			 QDISC_HANDLE, CLASSID, r->a, r->na, 0);
}

static int class_del(void)
{
	return nlq_class(&nl, RTM_DELTCLASS, 0, ifindex, QDISC_HANDLE, CLASSID,
			 NULL, 0, NLQ_NO_OPTIONS);
}

static bool get_class(struct nlq_class_info *ci)
{
	if (nlq_get_class(&nl, ifindex, CLASSID, ci, NULL) || !ci->found) {
		ksft_print_msg("class 1:1 not found (err %d)\n", nl.err);
		return false;
	}
	if (ci->unexpected) {
		ksft_print_msg("%d unexpected attributes in the dump\n",
			       ci->unexpected);
		return false;
	}
	return true;
}

static const struct st2110_video_fmt v360 = {
	.width_px = 640, .height_px = 360, .rate = { 50, 1 },
	.scan = ST2110_SCAN_PROGRESSIVE, .sampling = ST2110_SAMPLING_YCBCR_422,
	.depth = ST2110_DEPTH_10, .packing = ST2110_PACKING_GPM,
};

static const struct st2110_video_fmt v576i = {
	.width_px = 720, .height_px = 576, .rate = { 25, 1 },
	.scan = ST2110_SCAN_INTERLACED, .sampling = ST2110_SAMPLING_YCBCR_422,
	.depth = ST2110_DEPTH_10, .packing = ST2110_PACKING_GPM,
};

/* The dumped video nest equals @f (payload/npackets as given, 0 absent). */
static bool video_dumped(const struct nlq_class_info *ci,
			 const struct st2110_video_fmt *f, uint32_t payload,
			 uint32_t npackets)
{
	const uint32_t *v = ci->video;
	int i;

	if (!ci->has[TCA_ST2110_CLASS_VIDEO] || ci->has[TCA_ST2110_CLASS_AUDIO])
		return false;
	for (i = 1; i <= TCA_ST2110_VIDEO_MAX; i++)
		if (!ci->vhas[i])
			return false;
	return v[TCA_ST2110_VIDEO_WIDTH_PX] == f->width_px &&
	       v[TCA_ST2110_VIDEO_HEIGHT_PX] == f->height_px &&
	       v[TCA_ST2110_VIDEO_SCAN] == f->scan &&
	       v[TCA_ST2110_VIDEO_RATE_NUM] == f->rate.num &&
	       v[TCA_ST2110_VIDEO_RATE_DEN] == f->rate.den &&
	       v[TCA_ST2110_VIDEO_SAMPLING] == f->sampling &&
	       v[TCA_ST2110_VIDEO_DEPTH] == f->depth &&
	       v[TCA_ST2110_VIDEO_PACKING] == f->packing &&
	       v[TCA_ST2110_VIDEO_PAYLOAD_BYTES] == payload &&
	       v[TCA_ST2110_VIDEO_NPACKETS] == npackets;
}

/* NPACKETS and VRXFULL_N of a format, from the timing core. */
static uint32_t core_npackets(const struct st2110_video_fmt *f)
{
	struct st2110_video_layout l;
	const char *why;

	if (st2110_video_layout_init(&l, f, &why))
		return 0;
	return l.npackets;
}

static void test_good(void)
{
	struct st2110_audio_fmt a48 = {
		.rate_hz = 48000, .samples_per_pkt = 48, .channels = 2,
		.depth_bits = 24,
	};
	struct nlq_class_info ci;
	struct req r = { .na = 0 };
	uint32_t np = core_npackets(&v360);
	bool ok;
	int ret;

	/* defaults: only the format given */
	put_match(&r);
	put_video(&r, &v360, -1, -1);
	ret = class_send(&r, true);
	ok = !ret && get_class(&ci) && video_dumped(&ci, &v360, 0, 0) &&
	     ci.type == TC_ST2110_TYPE_N &&
	     ci.troffset_ns == TC_ST2110_TROFFSET_DEFAULT &&
	     ci.lead_pkts == TC_ST2110_LEAD_DEFAULT &&
	     ci.rtp_policy == TC_ST2110_RTP_FOLLOW &&
	     ci.xstats.npackets == np && np == 720 &&
	     ci.xstats.lead_pkts == TC_ST2110_LEAD_DEFAULT_PKTS;
	if (ret)
		ksft_print_msg("add: %s %s\n", strerror(-ret), nl.extack);
	ksft_test_result(ok, "640x360p50 4:2:2/10 GPM: dumped back, defaults, NPACKETS %u lead %u\n",
			 ci.xstats.npackets, ci.xstats.lead_pkts);

	/* every option explicit */
	r.na = 0;
	put_video(&r, &v360, 1000, 900);
	put(&r, (struct nlq_attr)NLQ_U8(TCA_ST2110_CLASS_TYPE, TC_ST2110_TYPE_NL));
	put(&r, (struct nlq_attr)NLQ_U64(TCA_ST2110_CLASS_TROFFSET_NS, 123457));
	put(&r, (struct nlq_attr)NLQ_U32(TCA_ST2110_CLASS_LEAD_PKTS, 2));
	put(&r, (struct nlq_attr)NLQ_U8(TCA_ST2110_CLASS_RTP_POLICY,
					TC_ST2110_RTP_FOLLOW));
	ret = class_send(&r, false);
	ok = !ret && get_class(&ci) && video_dumped(&ci, &v360, 1000, 900) &&
	     ci.type == TC_ST2110_TYPE_NL && ci.troffset_ns == 123457 &&
	     ci.lead_pkts == 2 && ci.xstats.npackets == 900 &&
	     ci.xstats.lead_pkts == 2;
	ksft_test_result(ok && ci.has_match && ci.port == 5004,
			 "change: type NL, TROFFSET 123457, lead 2, payload 1000, NPACKETS 900 dumped back\n");

	/* a limit-only change keeps the format */
	r.na = 0;
	put(&r, (struct nlq_attr)NLQ_U32(TCA_ST2110_CLASS_LIMIT_PKTS, 77));
	ret = class_send(&r, false);
	ok = !ret && get_class(&ci) && video_dumped(&ci, &v360, 1000, 900) &&
	     ci.limit_pkts == 77 && ci.troffset_ns == 123457;
	ksft_test_result(ok, "limit change keeps the format\n");

	/* audio replaces video; type/troffset/lead are kept as configured */
	r.na = 0;
	put_audio(&r, &a48);
	put(&r, (struct nlq_attr)NLQ_U64(TCA_ST2110_CLASS_TROFFSET_NS, 1000));
	ret = class_send(&r, false);
	ok = !ret && get_class(&ci) && ci.has[TCA_ST2110_CLASS_AUDIO] &&
	     !ci.has[TCA_ST2110_CLASS_VIDEO] &&
	     ci.audio[TCA_ST2110_AUDIO_RATE_HZ] == 48000 &&
	     ci.audio[TCA_ST2110_AUDIO_CHANNELS] == 2 &&
	     ci.audio[TCA_ST2110_AUDIO_DEPTH_BITS] == 24 &&
	     ci.audio[TCA_ST2110_AUDIO_SAMPLES_PER_PKT] == 48 &&
	     ci.troffset_ns == 1000 && ci.xstats.npackets == 1 &&
	     ci.xstats.lead_pkts == 0;
	if (ret)
		ksft_print_msg("audio: %s %s\n", strerror(-ret), nl.extack);
	ksft_test_result(ok, "audio 48000 Hz, 2 ch, L24, 48 samples: dumped back\n");

	/* RTP restamp of audio and of interlaced video: accepted, dumped back */
	r.na = 0;
	put(&r, (struct nlq_attr)NLQ_U8(TCA_ST2110_CLASS_RTP_POLICY,
					TC_ST2110_RTP_RESTAMP));
	ret = class_send(&r, false);
	ok = !ret && get_class(&ci) && ci.has[TCA_ST2110_CLASS_AUDIO] &&
	     ci.rtp_policy == TC_ST2110_RTP_RESTAMP;
	if (!ok)
		ksft_print_msg("audio restamp: %s %s; audio %d rtp %u\n", strerror(-ret),
			       nl.extack, ci.has[TCA_ST2110_CLASS_AUDIO], ci.rtp_policy);
	ksft_test_result(ok, "audio with rtp restamp: accepted and dumped back\n");
	r.na = 0;
	put_video(&r, &v576i, -1, -1);
	ret = class_send(&r, false);
	ok = !ret && get_class(&ci) && video_dumped(&ci, &v576i, 0, 0) &&
	     ci.rtp_policy == TC_ST2110_RTP_RESTAMP;
	if (!ok)
		ksft_print_msg("576i50 restamp: %s %s; rtp %u\n", strerror(-ret), nl.extack,
			       ci.rtp_policy);
	ksft_test_result(ok, "720x576i50 replaces the audio, rtp restamp kept: dumped back\n");

	/* unpaced: no format attribute left in the dump */
	r.na = 0;
	put(&r, (struct nlq_attr){ .type = TCA_ST2110_CLASS_UNPACED, .len = 0 });
	ret = class_send(&r, false);
	ok = !ret && get_class(&ci) && !ci.has[TCA_ST2110_CLASS_AUDIO] &&
	     !ci.has[TCA_ST2110_CLASS_VIDEO] && !ci.has[TCA_ST2110_CLASS_TYPE] &&
	     ci.xstats.npackets == 0 && ci.limit_pkts == 77;
	ksft_test_result(ok, "unpaced: format gone from the dump, limit kept\n");
	class_del();
}

/* A bad format: what to send, and the errno and extack to expect. */
struct bad {
	const char		*what;
	bool			audio;
	struct st2110_video_fmt	v;
	struct st2110_audio_fmt	a;
	int			payload;
	long long		npackets;
	long long		troffset;	/* -1: absent */
	long long		lead;		/* -1: absent */
	int			rtp;		/* -1: absent */
	int			err;		/* 0: the core's errno */
	const char		*msg;		/* NULL: the core's reason */
};

/* each bad format is the base one with one field overridden, on purpose */
#pragma GCC diagnostic ignored "-Woverride-init"

#define V(...)	.v = { __VA_ARGS__ }
#define VBASE	.width_px = 640, .height_px = 360, .rate = { 50, 1 }, \
		.scan = ST2110_SCAN_PROGRESSIVE, \
		.sampling = ST2110_SAMPLING_YCBCR_422, .depth = 10, \
		.packing = ST2110_PACKING_GPM
#define A(...)	.audio = true, .a = { __VA_ARGS__ }
#define NONE	.payload = -1, .npackets = -1, .troffset = -1, .lead = -1, .rtp = -1

static const struct bad bads[] = {
	{ "odd width for 4:2:2", V(VBASE, .width_px = 641), NONE },
	{ "frame rate 0/1", V(VBASE, .rate = { 0, 1 }), NONE },
	{ "frame rate 2000/1", V(VBASE, .rate = { 2000, 1 }), NONE },
	{ "interlaced 700 lines", V(VBASE, .scan = ST2110_SCAN_INTERLACED,
				     .height_px = 700), NONE },
	{ "BPM 4:2:2/16", V(VBASE, .depth = 16, .packing = ST2110_PACKING_BPM), NONE },
	{ "depth 9", V(VBASE, .depth = 9), NONE },
	{ "sampling 99", V(VBASE, .sampling = 99), NONE },
	{ "scan 7", V(VBASE, .scan = 7), NONE },
	{ "payload 2000 bytes", V(VBASE), .payload = 2000, .npackets = -1,
	  .troffset = -1, .lead = -1, .rtp = -1 },
	{ "TROFFSET = TFRAME", V(VBASE), .payload = -1, .npackets = -1,
	  .troffset = 20000000, .lead = -1, .rtp = -1 },
	{ "interlaced odd NPACKETS", V(VBASE, .scan = ST2110_SCAN_INTERLACED,
					.height_px = 576, .width_px = 720),
	  .payload = -1, .npackets = 769, .troffset = -1, .lead = -1, .rtp = -1 },
	{ "lead > NPACKETS", V(VBASE), .payload = -1, .npackets = -1,
	  .troffset = -1, .lead = 721, .rtp = -1, .err = ERANGE,
	  .msg = "lead must not exceed NPACKETS" },
	{ "audio 44000 Hz", A(.rate_hz = 44000, .channels = 2, .depth_bits = 24,
			       .samples_per_pkt = 48), NONE },
	{ "audio 0 channels", A(.rate_hz = 48000, .channels = 0, .depth_bits = 24,
				 .samples_per_pkt = 48), NONE },
	{ "audio L20", A(.rate_hz = 48000, .channels = 2, .depth_bits = 20,
			  .samples_per_pkt = 48), NONE },
	{ "audio 0 samples per packet", A(.rate_hz = 48000, .channels = 2,
					   .depth_bits = 24), NONE },
	{ "audio 1920 bytes", A(.rate_hz = 48000, .channels = 8, .depth_bits = 24,
				 .samples_per_pkt = 80), NONE },
	{ "audio TROFFSET >= packet time", A(.rate_hz = 48000, .channels = 2,
					      .depth_bits = 24, .samples_per_pkt = 48),
	  .payload = -1, .npackets = -1, .troffset = 1000000, .lead = -1,
	  .rtp = -1, .err = ERANGE,
	  .msg = "Audio TROFFSET must be less than the packet time" },
};

/* The timing core's verdict on @b, as the kernel must report it. */
static int core_verdict(const struct bad *b, const char **why)
{
	struct st2110_video_layout l;
	struct st2110_sched s;
	struct st2110_sched_cfg cfg;
	int err;

	*why = NULL;
	if (b->audio)
		return st2110_audio_validate(&b->a, why);
	struct st2110_video_fmt f = b->v;

	if (b->payload >= 0)
		f.max_payload_bytes = (uint16_t)b->payload;
	err = st2110_video_layout_init(&l, &f, why);
	if (err)
		return err;
	memset(&cfg, 0, sizeof(cfg));
	cfg.npackets = b->npackets >= 0 ? (uint32_t)b->npackets : l.npackets;
	cfg.height_px = f.height_px;
	cfg.rate = f.rate;
	cfg.scan = f.scan;
	cfg.type = ST2110_TYPE_N;
	cfg.troffset_ns = b->troffset >= 0 ? (uint64_t)b->troffset :
					     ST2110_TROFFSET_DEFAULT;
	return st2110_sched_init(&s, &cfg, why);
}

static void build_bad(struct req *r, const struct bad *b)
{
	r->na = 0;
	if (b->audio)
		put_audio(r, &b->a);
	else
		put_video(r, &b->v, b->payload, b->npackets);
	if (b->troffset >= 0)
		put(r, (struct nlq_attr)NLQ_U64(TCA_ST2110_CLASS_TROFFSET_NS,
						(uint64_t)b->troffset));
	if (b->lead >= 0)
		put(r, (struct nlq_attr)NLQ_U32(TCA_ST2110_CLASS_LEAD_PKTS,
						(uint32_t)b->lead));
	if (b->rtp >= 0)
		put(r, (struct nlq_attr)NLQ_U8(TCA_ST2110_CLASS_RTP_POLICY,
					       (uint8_t)b->rtp));
}

static void test_bad(void)
{
	struct nlq_class_info ci;
	struct req r;
	unsigned int i;

	/* a paced class whose format must survive every failed change */
	r.na = 0;
	put_match(&r);
	put_video(&r, &v360, -1, -1);
	if (class_send(&r, true))
		ksft_print_msg("base class: %s\n", nl.extack);

	for (i = 0; i < ARRAY_SIZE(bads); i++) {
		const struct bad *b = &bads[i];
		const char *why = b->msg;
		int want = -b->err, ret;
		bool ok;

		if (!b->err) {
			want = core_verdict(b, &why);
			if (!want || !why) {
				ksft_test_result_fail("%s: the core accepts it\n", b->what);
				continue;
			}
		}
		build_bad(&r, b);
		ret = class_send(&r, false);
		ok = ret == want && !strcmp(nl.extack, why) && get_class(&ci) &&
		     video_dumped(&ci, &v360, 0, 0) && ci.xstats.npackets == 720;
		if (!ok)
			ksft_print_msg("got %d \"%s\", want %d \"%s\"\n", ret,
				       nl.extack, want, why);
		ksft_test_result(ok, "rejects %s: \"%s\", format unchanged\n",
				 b->what, why);
	}

	/* missing attribute and two formats: our own messages */
	r.na = 0;
	put(&r, (struct nlq_attr)NLQ_NEST(TCA_ST2110_CLASS_VIDEO));
	put(&r, (struct nlq_attr)NLQ_U32(TCA_ST2110_VIDEO_WIDTH_PX, 640));
	put(&r, (struct nlq_attr)NLQ_END);
	ksft_test_result(class_send(&r, false) == -EINVAL &&
			 strstr(nl.extack, "Video format needs"),
			 "incomplete video format rejected: %s\n", nl.extack);
	r.na = 0;
	put_video(&r, &v360, -1, -1);
	put_audio(&r, &(struct st2110_audio_fmt){ 48000, 48, 2, 24, 0 });
	ksft_test_result(class_send(&r, false) == -EINVAL &&
			 !strcmp(nl.extack, "Give one of video format, audio format or unpaced"),
			 "video and audio together rejected\n");
	r.na = 0;
	put(&r, (struct nlq_attr)NLQ_U8(TCA_ST2110_CLASS_TYPE, 3));
	ksft_test_result(class_send(&r, false) == -ERANGE,
			 "sender type 3 rejected by the policy\n");

	/* a failed add leaves no class */
	class_del();
	r.na = 0;
	put_match(&r);
	put_video(&r, &(struct st2110_video_fmt){ VBASE, .width_px = 641 }, -1, -1);
	ksft_test_result(class_send(&r, true) == -EINVAL &&
			 nlq_get_class(&nl, ifindex, CLASSID, &ci, NULL) == 0 &&
			 !ci.found, "class add with a bad format leaves no class\n");
}

#define N_GOOD	7
#define N_EXTRA	4

int main(int argc, char **argv)
{
	ksft_print_header();
	if (argc != 2)
		ksft_exit_fail_msg("usage: %s IFNAME\n", argv[0]);
	if (nlq_open(&nl))
		ksft_exit_fail_msg("cannot open an rtnetlink socket\n");
	ifindex = nlq_ifindex(&nl, argv[1]);
	if (ifindex <= 0)
		ksft_exit_fail_msg("no device %s\n", argv[1]);
	ksft_set_plan(N_GOOD + ARRAY_SIZE(bads) + N_EXTRA);

	if (nlq_qdisc(&nl, RTM_NEWQDISC, NLM_F_CREATE | NLM_F_EXCL, ifindex,
		      TC_H_ROOT, QDISC_HANDLE, "st2110", NULL, 0, 0))
		ksft_exit_fail_msg("qdisc add: %s\n", nl.extack);
	test_good();
	test_bad();
	nlq_qdisc(&nl, RTM_DELQDISC, 0, ifindex, TC_H_ROOT, QDISC_HANDLE,
		  NULL, NULL, 0, 0);
	nlq_close(&nl);
	ksft_finished();
}
