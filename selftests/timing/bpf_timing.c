// SPDX-License-Identifier: GPL-2.0
/*
 * bpf_timing.c - the timing core inside an XDP program.
 *
 * Built with clang -target bpf: proves the headers compile for BPF with no
 * libcall (no 128-bit multiply, no libc).  bpf_run loads st2110_timing
 * into the running kernel, which proves the verifier accepts the fast
 * path, and compares each result with the same computation on the host.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "bpf_timing.h"

struct bt_io io;
struct bt_init init_io;

SEC("xdp")
int st2110_timing(struct xdp_md *ctx)
{
	(void)ctx;
	timing_compute(&io.in, &io.out);
	return XDP_PASS;
}

SEC("xdp")
int st2110_timing_init(struct xdp_md *ctx)
{
	(void)ctx;
	timing_init(&init_io);
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
