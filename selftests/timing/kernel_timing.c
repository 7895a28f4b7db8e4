// SPDX-License-Identifier: GPL-2.0
/*
 * kernel_timing.c - the timing core built as a kernel module, never loaded.
 *
 * Proves the headers build with the kernel's own flags and W=1 (no FPU, no
 * libc, 64-bit division through div64_u64) on each installed header tree.
 * The inputs are module parameters so that nothing is constant-folded away.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>

#include <st2110/st2110.h>

static unsigned long long t_ns = 1700000000123456789ULL;
module_param(t_ns, ullong, 0444);
static unsigned int npackets = 4320;
module_param(npackets, uint, 0444);

static int __init st2110_kcheck_init(void)
{
	struct st2110_sched_cfg cfg = {
		.npackets = npackets, .height_px = 1080, .rate = { 60000, 1001 },
		.type = ST2110_TYPE_N, .troffset_ns = ST2110_TROFFSET_DEFAULT,
	};
	struct st2110_tpr_iter it;
	struct st2110_sched s;
	const char *why = "";
	__u64 n;
	int err;

	err = st2110_sched_init(&s, &cfg, &why);
	if (err) {
		pr_err("st2110 timing: %s\n", why);
		return err;
	}
	n = st2110_frame_index(&s, t_ns);
	st2110_tpr_iter_start(&it, &s, n, 0, 4);
	pr_info("st2110 timing: N %llu TVD %llu first %llu drain %llu RTP %u\n",
		n, st2110_tvd_ns(&s, n), st2110_tpr_iter_next(&it, &s),
		st2110_drain_index(&s, t_ns), st2110_rtp_video_ts(&s.rate, n, 0));
	return 0;
}

static void __exit st2110_kcheck_exit(void)
{
}

module_init(st2110_kcheck_init);
module_exit(st2110_kcheck_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Build check of the ST 2110 timing core");
