// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_gen.bpf.c - the traffic generator of the XDP benchmark: run by
 * BPF_PROG_TEST_RUN with BPF_F_TEST_XDP_LIVE_FRAMES, it sends the test
 * frame out of one interface as fast as the kernel takes it.
 *
 * Live frames reuse their pages without copying the frame in again, and a
 * router on the far side changes the IP header (TTL, checksum) in place, so
 * every run rewrites them; it also numbers the RTP packets, so that the
 * router's per-flow measurement sees an in-order stream and not duplicates.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

const volatile __u32 out_ifindex;
const volatile __u16 ip_check;		/* header checksum for ttl */
const volatile __u8 ip_ttl;

__u32 seq;

struct rtp_hdr {
	__u8 vpxcc;
	__u8 mpt;
	__u16 seq;
	__u32 ts;
	__u32 ssrc;
};

SEC("xdp")
int xdp_gen(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct iphdr *ip = data + sizeof(struct ethhdr);
	struct rtp_hdr *rtp = data + sizeof(struct ethhdr) + sizeof(*ip) + sizeof(struct udphdr);
	__u32 n;

	if ((void *)(rtp + 1) > end)
		return XDP_ABORTED;
	ip->ttl = ip_ttl;
	ip->check = ip_check;
	/* one generator runs on one CPU: no atomic needed */
	n = seq++;
	rtp->seq = bpf_htons((__u16)n);
	rtp->ts = bpf_htonl(n / 4);
	return bpf_redirect(out_ifindex, 0);
}

char LICENSE[] SEC("license") = "GPL";
