// SPDX-License-Identifier: GPL-2.0
/*
 * sdp.c - the SDP (RFC 4566) that describes what st2110-send sends.
 *
 * Video follows ST 2110-20 §7 and ST 2110-21 §8 (required fmtp parameters
 * plus TP, TROFF when TROFFSET is not TRODEFAULT, interlace/segmented);
 * audio follows ST 2110-30 (rtpmap L16/L24, ptime, channel-order); both
 * carry the ST 2110-10 clock attributes mediaclk:direct=0 and ts-refclk.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "send.h"

static const char *const sdp_tp[] = {
	[ST2110_TYPE_N] = "2110TPN",
	[ST2110_TYPE_NL] = "2110TPNL",
	[ST2110_TYPE_W] = "2110TPW",
};

static void sdp_refclk(FILE *f, const struct send_cfg *cfg)
{
	uint8_t mac[6];

	switch (cfg->refclk) {
	case SEND_REFCLK_LOCALMAC:
		if (!net_dev_mac(cfg->dev, mac)) {
			fprintf(f, "a=ts-refclk:localmac=%02X-%02X-%02X-%02X-%02X-%02X\r\n",
				mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
			return;
		}
		break;
	case SEND_REFCLK_PTP:
		fprintf(f, "a=ts-refclk:ptp=%s\r\n", cfg->refclk_ptp);
		return;
	case SEND_REFCLK_TRACEABLE:
		break;
	}
	fputs("a=ts-refclk:ptp=traceable\r\n", f);
}

/* The packet time in ms, as short as exact: 1, 0.125, 0.333, 4. */
static void sdp_ptime(FILE *f, const struct st2110_audio_fmt *a)
{
	struct st2110_frac ptime_ns = { 0, 1 };
	uint64_t us, ms, frac;

	st2110_audio_ptime(a, &ptime_ns);
	us = st2110_muldiv_round(ptime_ns.num, 1, ptime_ns.den * 1000);
	ms = us / 1000;
	frac = us % 1000;

	if (!frac) {
		fprintf(f, "a=ptime:%llu\r\n", (unsigned long long)ms);
		return;
	}
	while (frac % 10 == 0)
		frac /= 10;
	fprintf(f, "a=ptime:%llu.%0*llu\r\n", (unsigned long long)ms,
		us % 100 == 0 ? 1 : us % 10 == 0 ? 2 : 3, (unsigned long long)frac);
}

static void sdp_channel_order(FILE *f, const struct send_cfg *cfg)
{
	unsigned int ch = cfg->afmt.channels;

	if (cfg->channel_order)
		fprintf(f, "a=fmtp:%u channel-order=%s\r\n", cfg->pt, cfg->channel_order);
	else if (ch == 1)
		fprintf(f, "a=fmtp:%u channel-order=SMPTE2110.(M)\r\n", cfg->pt);
	else if (ch == 2)
		fprintf(f, "a=fmtp:%u channel-order=SMPTE2110.(ST)\r\n", cfg->pt);
	else
		fprintf(f, "a=fmtp:%u channel-order=SMPTE2110.(U%02u)\r\n", cfg->pt, ch);
}

int sdp_write(const struct send_cfg *cfg, const struct st2110_video_layout *l,
	      const struct st2110_sched *s, const char *src_addr, const char *path)
{
	char dst[INET6_ADDRSTRLEN];
	const char *ipv = cfg->dst.ss_family == AF_INET6 ? "IP6" : "IP4";
	int mc = net_is_multicast(&cfg->dst);
	unsigned long long sess = (unsigned long long)time(NULL);
	FILE *f;

	if (net_addr_str(&cfg->dst, dst, sizeof(dst)))
		return send_err(SEND_EXIT_BADARG, "--sdp %s: no destination address", path);
	f = fopen(path, "w");
	if (!f)
		return send_err(SEND_EXIT_BADARG, "--sdp %s: %s", path, strerror(errno));

	fputs("v=0\r\n", f);
	fprintf(f, "o=- %llu %llu IN %s %s\r\n", sess, sess, ipv, src_addr);
	if (cfg->media == SEND_VIDEO)
		fprintf(f, "s=st2110-send %ux%u%s ST 2110-20\r\n", l->fmt.width_px,
			l->fmt.height_px, l->fmt.scan == ST2110_SCAN_PROGRESSIVE ? "p" :
			l->fmt.scan == ST2110_SCAN_INTERLACED ? "i" : "psf");
	else
		fprintf(f, "s=st2110-send L%u/%u/%u ST 2110-30\r\n", cfg->afmt.depth_bits,
			cfg->afmt.rate_hz, cfg->afmt.channels);
	fputs("t=0 0\r\n", f);
	fprintf(f, "m=%s %u RTP/AVP %u\r\n", cfg->media == SEND_VIDEO ? "video" : "audio",
		ntohs(((const struct sockaddr_in *)&cfg->dst)->sin_port), cfg->pt);
	if (mc && cfg->dst.ss_family == AF_INET)
		fprintf(f, "c=IN IP4 %s/%d\r\n", dst, cfg->ttl);
	else
		fprintf(f, "c=IN %s %s\r\n", ipv, dst);
	if (mc && strcmp(src_addr, "0.0.0.0") && strcmp(src_addr, "::"))
		fprintf(f, "a=source-filter: incl IN %s %s %s\r\n", ipv, dst, src_addr);

	if (cfg->media == SEND_VIDEO) {
		const struct st2110_rate *r = &s->rate;	/* reduced */

		fprintf(f, "a=rtpmap:%u raw/90000\r\n", cfg->pt);
		fprintf(f, "a=fmtp:%u sampling=%s; width=%u; height=%u; ", cfg->pt,
			st2110_sampling_name(l->fmt.sampling), l->fmt.width_px, l->fmt.height_px);
		if (r->den == 1)
			fprintf(f, "exactframerate=%u; ", r->num);
		else
			fprintf(f, "exactframerate=%u/%u; ", r->num, r->den);
		fprintf(f, "depth=%s; TCS=SDR; colorimetry=%s; PM=%s; SSN=ST2110-20:2017; TP=%s; ",
			st2110_depth_name(l->fmt.depth), cfg->colorimetry,
			l->fmt.packing == ST2110_PACKING_BPM ? "2110BPM" : "2110GPM",
			sdp_tp[cfg->type]);
		if (!s->troffset_is_default)
			fprintf(f, "TROFF=%llu; ", (unsigned long long)st2110_sched_troff_us(s));
		if (l->fmt.scan == ST2110_SCAN_INTERLACED)
			fputs("interlace; ", f);
		if (l->fmt.scan == ST2110_SCAN_PSF)
			fputs("interlace; segmented; ", f);
		fputs("\r\n", f);
	} else {
		fprintf(f, "a=rtpmap:%u L%u/%u/%u\r\n", cfg->pt, cfg->afmt.depth_bits,
			cfg->afmt.rate_hz, cfg->afmt.channels);
		sdp_channel_order(f, cfg);
		sdp_ptime(f, &cfg->afmt);
	}
	fputs("a=mediaclk:direct=0\r\n", f);
	sdp_refclk(f, cfg);
	if (fclose(f))
		return send_err(SEND_EXIT_BADARG, "--sdp %s: %s", path, strerror(errno));
	return 0;
}
