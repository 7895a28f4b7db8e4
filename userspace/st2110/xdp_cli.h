/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xdp_cli.h - what the XDP objects of the st2110 CLI (xdp.c, route.c,
 * flow.c) share: finding bpffs and the pinned instances, privileges, and
 * turning the loader library's errors into one line and an exit status.
 */
#ifndef ST2110_XDP_CLI_H
#define ST2110_XDP_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "xdp_loader.h"

/*
 * The pin root to hand to the loader library. Usually ST2110_XDP_PIN_ROOT;
 * after "-n NETNS" /sys is a fresh sysfs that hides bpffs, so it is the
 * bpffs directory opened before the switch, reached through /proc/self/fd.
 * create: mount bpffs on /sys/fs/bpf when nothing is mounted there (attach).
 * Returns NULL with the error printed.
 */
const char *xdp_cli_pin_root(bool create);

/* Exit with "needs root" unless the capabilities for bpf maps are there. */
int xdp_cli_need_caps(bool write);

/* Open the instance on dev; prints the error and returns an exit status. */
int xdp_cli_open(const char *dev, struct st2110_xdp **x);

/* Call fn for each instance of this network namespace, by name; stops on != 0. */
int xdp_cli_foreach(int (*fn)(const char *dev, void *arg), void *arg);

/* The loader's last error as "Error: what: why", and EXIT_RUNTIME. */
int xdp_cli_fail(const char *what);

/* "name" of an ifindex in this namespace, or "if<N>". */
const char *xdp_cli_ifname(unsigned int ifindex, char *buf, size_t len);

/* "pass", "drop", "redirect", "redirect_pass" (enum st2110_xdp_action) */
const char *xdp_cli_action_name(__u32 action);

#endif /* ST2110_XDP_CLI_H */
