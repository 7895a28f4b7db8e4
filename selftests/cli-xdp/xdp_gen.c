// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_gen - multicast RTP at the rate the kernel takes it, for the XDP
 * benchmark (selftests/bench/xdp.sh). pktgen is a module and the host
 * kernel has no module support, and a socket sender would cost more than
 * the router it is meant to load; BPF_PROG_TEST_RUN with live frames hands
 * the same frame to the XDP redirect path again and again instead.
 *
 *   xdp_gen --dev DEV --src IP --dst GROUP [--port P] [--size BYTES]
 *           [--seconds S] [--repeat N]
 *
 * Sends out of DEV (in the caller's network namespace) for S seconds in
 * calls of N frames each, then prints one JSON line: packets, elapsed_ns
 * and cpu_ns. Everything downstream of DEV runs on this CPU inside the call
 * (veth NAPI is raised here and runs when the call re-enables softirqs), so
 * packets/elapsed is the rate of the whole chain, and the thread's CPU time
 * (which includes the softirq work done in its context) its cost even when
 * other work shares the CPU.
 *
 * Exit status 4: the kernel refused the first live-frames run with EPERM
 * (some hosts do, even to root); 1: any other failure.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "xdp_gen.skel.h"

#define GEN_TTL		32
#define MIN_FRAME	(ETH_HLEN + 20 + 8 + 12)
#define MAX_FRAME	1514

static uint16_t ip_csum(const void *hdr, size_t len)
{
	const uint8_t *p = hdr;
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

static int build_frame(uint8_t *f, size_t len, struct in_addr src, struct in_addr grp,
		       unsigned int port)
{
	const uint8_t *g = (const uint8_t *)&grp.s_addr;
	struct iphdr *ip = (struct iphdr *)(f + ETH_HLEN);
	struct udphdr *udp = (struct udphdr *)(ip + 1);
	uint8_t *rtp = (uint8_t *)(udp + 1);
	const uint8_t dmac[ETH_ALEN] = { 0x01, 0x00, 0x5e, g[1] & 0x7f, g[2], g[3] };
	const uint8_t smac[ETH_ALEN] = { 0x02, 0x21, 0x10, 0x00, 0x00, 0x01 };

	memset(f, 0, len);
	memcpy(f, dmac, ETH_ALEN);
	memcpy(f + ETH_ALEN, smac, ETH_ALEN);
	f[12] = ETH_P_IP >> 8;
	f[13] = ETH_P_IP & 0xff;
	ip->version = 4;
	ip->ihl = 5;
	ip->tot_len = htons(len - ETH_HLEN);
	ip->ttl = GEN_TTL;
	ip->protocol = IPPROTO_UDP;
	ip->saddr = src.s_addr;
	ip->daddr = grp.s_addr;
	ip->check = ip_csum(ip, sizeof(*ip));
	udp->source = htons(port);
	udp->dest = htons(port);
	udp->len = htons(len - ETH_HLEN - sizeof(*ip));
	udp->check = 0;			/* none: the payload changes per packet */
	rtp[0] = 0x80;			/* RTP version 2 */
	rtp[1] = 96;
	rtp[8] = 0x21;			/* SSRC 0x21100001 */
	rtp[9] = 0x10;
	rtp[11] = 0x01;
	return ip->check;
}

static uint64_t clock_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void usage(void)
{
	fprintf(stderr, "Usage: xdp_gen --dev DEV --src IP --dst GROUP [--port P] [--size BYTES]\n"
			"               [--seconds S] [--repeat N]\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dev", required_argument, NULL, 'd' },
		{ "src", required_argument, NULL, 's' },
		{ "dst", required_argument, NULL, 'g' },
		{ "port", required_argument, NULL, 'p' },
		{ "size", required_argument, NULL, 'z' },
		{ "seconds", required_argument, NULL, 't' },
		{ "repeat", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dev = NULL, *src = NULL, *dst = NULL;
	unsigned int port = 5004, size = 1342, repeat = 1U << 18, ifindex;
	double seconds = 2.0;
	uint8_t frame[MAX_FRAME];
	struct xdp_md ctx = {};
	struct in_addr s, g;
	struct xdp_gen_bpf *skel;
	uint64_t start, end, cpu0, sent = 0;
	int c, err, csum;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			dev = optarg;
			break;
		case 's':
			src = optarg;
			break;
		case 'g':
			dst = optarg;
			break;
		case 'p':
			port = strtoul(optarg, NULL, 0);
			break;
		case 'z':
			size = strtoul(optarg, NULL, 0);
			break;
		case 't':
			seconds = strtod(optarg, NULL);
			break;
		case 'r':
			repeat = strtoul(optarg, NULL, 0);
			break;
		default:
			usage();
			return 2;
		}
	}
	if (!dev || !src || !dst || optind != argc) {
		usage();
		return 2;
	}
	if (inet_pton(AF_INET, src, &s) != 1 || inet_pton(AF_INET, dst, &g) != 1 ||
	    (ntohl(g.s_addr) >> 28) != 0xe) {
		fprintf(stderr, "xdp_gen: --src must be IPv4, --dst an IPv4 multicast group\n");
		return 2;
	}
	if (size < MIN_FRAME || size > MAX_FRAME || !port || port > 65535 || !repeat ||
	    !(seconds > 0)) {
		fprintf(stderr, "xdp_gen: size %u..%u, port 1..65535, repeat and seconds > 0\n",
			MIN_FRAME, MAX_FRAME);
		return 2;
	}
	ifindex = if_nametoindex(dev);
	if (!ifindex) {
		fprintf(stderr, "xdp_gen: no device %s\n", dev);
		return 1;
	}
	csum = build_frame(frame, size, s, g, port);

	skel = xdp_gen_bpf__open();
	if (!skel) {
		fprintf(stderr, "xdp_gen: open BPF object: %s\n", strerror(errno));
		return 1;
	}
	skel->rodata->out_ifindex = ifindex;
	skel->rodata->ip_check = csum;
	skel->rodata->ip_ttl = GEN_TTL;
	err = xdp_gen_bpf__load(skel);
	if (err) {
		fprintf(stderr, "xdp_gen: load: %s\n", strerror(-err));
		xdp_gen_bpf__destroy(skel);
		return 1;
	}
	ctx.ingress_ifindex = ifindex;
	ctx.data_end = size;	/* the kernel checks it against data_size_in */
	cpu0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	start = clock_ns(CLOCK_MONOTONIC);
	end = start + (uint64_t)(seconds * 1e9);
	do {
		LIBBPF_OPTS(bpf_test_run_opts, o,
			    .data_in = frame,
			    .data_size_in = size,
			    .ctx_in = &ctx,
			    .ctx_size_in = sizeof(ctx),
			    .repeat = repeat,
			    .flags = BPF_F_TEST_XDP_LIVE_FRAMES);

		err = bpf_prog_test_run_opts(bpf_program__fd(skel->progs.xdp_gen), &o);
		if (err) {
			int e = errno;

			fprintf(stderr, "xdp_gen: BPF_PROG_TEST_RUN: %s\n", strerror(e));
			xdp_gen_bpf__destroy(skel);
			/* a kernel that refuses live frames to root: nothing to measure */
			if (e == EPERM && !sent) {
				fprintf(stderr, "xdp_gen: this kernel refuses BPF_PROG_TEST_RUN "
					"with BPF_F_TEST_XDP_LIVE_FRAMES\n");
				return 4;
			}
			return 1;
		}
		sent += repeat;
	} while (clock_ns(CLOCK_MONOTONIC) < end);
	end = clock_ns(CLOCK_MONOTONIC);
	cpu0 = clock_ns(CLOCK_THREAD_CPUTIME_ID) - cpu0;
	printf("{\"packets\":%" PRIu64 ",\"elapsed_ns\":%" PRIu64 ",\"cpu_ns\":%" PRIu64
	       ",\"size\":%u}\n", sent, end - start, cpu0, size);
	xdp_gen_bpf__destroy(skel);
	return 0;
}
