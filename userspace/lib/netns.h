/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netns.h - run the rest of the program inside a named network namespace,
 * as "ip -n NAME" does: the namespace is the one "ip netns add NAME"
 * created (bound at /run/netns/NAME), and /sys is remounted in a private
 * mount namespace so that /sys/class/net shows that namespace's devices.
 */
#ifndef ST2110_LIB_NETNS_H
#define ST2110_LIB_NETNS_H

#include <stddef.h>

#define ST2110_NETNS_RUN_DIR	"/run/netns"

/* 0, or -errno with a message ("Cannot open network namespace ...") in err. */
int st2110_netns_switch(const char *name, char *err, size_t errlen);

#endif /* ST2110_LIB_NETNS_H */
