// SPDX-License-Identifier: GPL-2.0
/*
 * test_c99.c - the timing core as a strict ISO C99 userspace program.
 *
 * Built with -std=c99 -pedantic -Wconversion -Werror: the headers must stay
 * usable by tools with strict flags.  Exits 0 if the brief's §2.2 example
 * (1080p59.94, t = 1700000000.123456789 s) comes out right.
 */
#include <stdio.h>

#include <st2110/st2110.h>

int main(void)
{
	struct st2110_video_fmt fmt = {
		.width_px = 1920, .height_px = 1080, .rate = { 60000, 1001 },
		.scan = ST2110_SCAN_PROGRESSIVE, .sampling = ST2110_SAMPLING_YCBCR_422,
		.depth = ST2110_DEPTH_10, .packing = ST2110_PACKING_GPM,
	};
	const __u64 t_ns = 1700000000123456789ULL;
	struct st2110_video_layout l;
	struct st2110_sched s;
	const char *why = "";
	__u64 n;

	if (st2110_video_layout_init(&l, &fmt, &why) ||
	    st2110_sched_init_video(&s, &l, ST2110_TYPE_N, ST2110_TROFFSET_DEFAULT, &why)) {
		printf("# %s\n", why);
		return 1;
	}
	n = st2110_frame_index(&s, t_ns);
	printf("# N %llu, TVD %llu ns, RTP %u, CMAX %u, VRXFULL %u\n",
	       (unsigned long long)n, (unsigned long long)st2110_tvd_ns(&s, n),
	       st2110_video_rtp_ts(&l, n, 0), s.lim.cmax_n, s.lim.vrx_full_n);
	return !(n == 101898101905ULL && st2110_tvd_ns(&s, n) == 1700000000115721007ULL &&
		 st2110_video_rtp_ts(&l, n, 0) == 380024949U &&
		 s.lim.cmax_n == 6 && s.lim.vrx_full_n == 9 && l.npackets == 4320);
}
