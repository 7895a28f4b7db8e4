/* SPDX-License-Identifier: GPL-2.0 */
/* Private to the ST 2110 XDP loader library (xdp_loader.c, xdp_tables.c). */
#ifndef ST2110_XDP_INTERNAL_H
#define ST2110_XDP_INTERNAL_H

#include <net/if.h>
#include "xdp_loader.h"
#include <st2110/rx.h>

struct st2110_xdp_bpf;
struct xdp_program;

struct st2110_xdp {
	struct st2110_xdp_bpf *skel;	/* NULL when opened from pins */
	struct xdp_program *xprog;	/* set while we hold the attachment */
	int prog_fd;			/* -1 when unknown */
	int routes_fd;
	int flows_fd;
	int egsets_fd;
	int egports_fd;
	int config_fd;
	int counters_fd;
	int info_fd;
	int formats_fd;
	int merges_fd;
	int gates_fd;
	int egsets_mac_fd;
	int port_macs_fd;
	int devmap_prog_fd;		/* the devmap egress program (SRC_MAC) */
	int events_fd;
	enum st2110_xdp_ts_source ts_source;	/* as loaded; KTIME_TAI from pins */
	bool own_fds;			/* fds from pins: close them ourselves */
	char ifname[IF_NAMESIZE];
};

/* Record a one-line message for st2110_xdp_errmsg(); returns err. */
int st2110_xdp_fail(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void st2110_xdp_clear_err(void);

#endif /* ST2110_XDP_INTERNAL_H */
