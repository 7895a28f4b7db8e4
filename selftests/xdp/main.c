// SPDX-License-Identifier: GPL-2.0
/*
 * ST 2110 XDP selftests: one TAP 13 stream for the whole suite.
 *   parse  steering of crafted frames (BPF_PROG_TEST_RUN)
 *   flow   measurement exactness (BPF_PROG_TEST_RUN, test-supplied clock)
 *   rx, stage  ST 2110-21 receiver model, staged route changes
 *   l3     TTL / hop limit rewrite of forwarded copies (BPF_PROG_TEST_RUN)
 *   live   real traffic through veth pairs in network namespaces
 * Needs root (BPF, netns); live tests also need bpffs at /sys/fs/bpf.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include <kselftest.h>

#include "xdp_test.h"

#define TAP_VFMT(buf, fmt) do {					\
	va_list ap;							\
	va_start(ap, fmt);						\
	vsnprintf(buf, sizeof(buf), fmt, ap);				\
	va_end(ap);							\
} while (0)

void tap_pass(const char *fmt, ...)
{
	char buf[512];

	TAP_VFMT(buf, fmt);
	ksft_test_result_pass("%s", buf);
}

void tap_fail(const char *fmt, ...)
{
	char buf[512];

	TAP_VFMT(buf, fmt);
	ksft_test_result_fail("%s", buf);
}

void tap_skip(const char *fmt, ...)
{
	char buf[512];

	TAP_VFMT(buf, fmt);
	ksft_test_result_skip("%s", buf);
}

void tap_msg(const char *fmt, ...)
{
	char buf[512];

	TAP_VFMT(buf, fmt);
	ksft_print_msg("%s", buf);
}

void tap_result(bool ok, const char *fmt, ...)
{
	char buf[512];

	TAP_VFMT(buf, fmt);
	if (ok)
		ksft_test_result_pass("%s", buf);
	else
		ksft_test_result_fail("%s", buf);
}

const char *xdp_test_skip_reason;
const char *xdp_test_live_skip_reason;

int main(int argc, char **argv)
{
	bool only_live = argc > 1 && !strcmp(argv[1], "live");
	bool no_live = argc > 1 && !strcmp(argv[1], "nolive");
	struct statfs st;

	if (argc > 1 && !only_live && !no_live) {
		fprintf(stderr, "usage: %s [live|nolive]\n", argv[0]);
		return 2;
	}
	if (geteuid())
		xdp_test_skip_reason = xdp_test_live_skip_reason = "needs root";
	else if (statfs("/sys/fs/bpf", &st) || st.f_type != BPF_FS_MAGIC)
		xdp_test_live_skip_reason = "no bpffs at /sys/fs/bpf";
	else if (system("command -v ip >/dev/null && command -v ethtool >/dev/null"))
		xdp_test_live_skip_reason = "needs ip (iproute2) and ethtool";
	if (no_live)
		xdp_test_live_skip_reason = "live tests not requested";

	/* Lines out as they happen, even if a signal ends the run. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	st2110_xdp_quiet_libs();
	ksft_print_header();
	ksft_set_plan((only_live ? 0 : t_parse_count() + t_flow_count() + t_rx_count() +
				     t_stage_count() + t_l3_count() + t_event_count()) +
		      t_live_count());
	if (!only_live) {
		t_parse_run();
		t_flow_run();
		t_rx_run();
		t_stage_run();
		t_l3_run();
		t_event_run();
	}
	t_live_run();
	ksft_finished();
}
