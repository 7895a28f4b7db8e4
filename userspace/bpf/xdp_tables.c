// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_tables.c - the maps of an ST 2110 XDP instance as an API: config,
 * routes, egress sets, flows and counters. Every write is validated first,
 * so a rejected call leaves the maps as they were.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if_arp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "xdp_internal.h"

static bool st2110_is_zero(const __u32 *w, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (w[i])
			return false;
	return true;
}

static bool st2110_addr_is_mcast(__u32 family, const __u32 *a)
{
	const __u8 *b = (const __u8 *)a;

	if (family == ST2110_XDP_FAMILY_IPV4)
		return (b[0] & 0xf0) == 0xe0;
	return b[0] == 0xff;
}

static int st2110_key_check(const struct st2110_xdp_key *key)
{
	unsigned int words;

	if (!key)
		return st2110_xdp_fail(-EINVAL, "no key");
	if (key->family != ST2110_XDP_FAMILY_IPV4 && key->family != ST2110_XDP_FAMILY_IPV6)
		return st2110_xdp_fail(-EINVAL, "key family must be 4 or 6");
	words = key->family == ST2110_XDP_FAMILY_IPV4 ? 1 : 4;
	if (!st2110_is_zero(key->group + words, 4 - words) ||
	    !st2110_is_zero(key->source + words, 4 - words))
		return st2110_xdp_fail(-EINVAL, "IPv4 key with bits beyond the address");
	if (!st2110_addr_is_mcast(key->family, key->group))
		return st2110_xdp_fail(-EINVAL, "group is not a multicast address");
	if (st2110_addr_is_mcast(key->family, key->source))
		return st2110_xdp_fail(-EINVAL, "source must be a unicast address");
	if (!key->dport || key->dport > 65535)
		return st2110_xdp_fail(-EINVAL, "UDP port must be 1..65535");
	return 0;
}

int st2110_xdp_key_make(struct st2110_xdp_key *key, const char *group,
			unsigned int port, const char *source)
{
	struct st2110_xdp_key k = {};
	int af;

	st2110_xdp_clear_err();
	if (!group)
		return st2110_xdp_fail(-EINVAL, "no group");
	if (inet_pton(AF_INET, group, k.group) == 1) {
		af = AF_INET;
		k.family = ST2110_XDP_FAMILY_IPV4;
	} else if (inet_pton(AF_INET6, group, k.group) == 1) {
		af = AF_INET6;
		k.family = ST2110_XDP_FAMILY_IPV6;
	} else {
		return st2110_xdp_fail(-EINVAL, "group \"%s\" is not an IP address", group);
	}
	if (source && *source && inet_pton(af, source, k.source) != 1)
		return st2110_xdp_fail(-EINVAL, "source \"%s\" is not an IPv%u address",
				       source, k.family);
	k.dport = port;
	if (st2110_key_check(&k))
		return -EINVAL;
	*key = k;
	return 0;
}

int st2110_xdp_key_str(const struct st2110_xdp_key *key, char *buf, size_t len)
{
	char g[INET6_ADDRSTRLEN], s[INET6_ADDRSTRLEN] = "*";
	int af = key->family == ST2110_XDP_FAMILY_IPV6 ? AF_INET6 : AF_INET;
	int n;

	if (!inet_ntop(af, key->group, g, sizeof(g)))
		return -EINVAL;
	if (!st2110_is_zero(key->source, 4) && !inet_ntop(af, key->source, s, sizeof(s)))
		return -EINVAL;
	n = snprintf(buf, len, "%s %u %s", g, key->dport, s);
	return n < 0 || (size_t)n >= len ? -ENOSPC : 0;
}

int st2110_xdp_set_unmatched(struct st2110_xdp *x, __u32 action)
{
	struct st2110_xdp_config cfg;
	__u32 zero = 0;

	st2110_xdp_clear_err();
	if (action != ST2110_XDP_ACT_PASS && action != ST2110_XDP_ACT_DROP)
		return st2110_xdp_fail(-EINVAL, "unmatched action must be pass or drop");
	if (bpf_map_lookup_elem(x->config_fd, &zero, &cfg))
		return st2110_xdp_fail(-errno, "read config");
	cfg.unmatched_action = action;
	if (bpf_map_update_elem(x->config_fd, &zero, &cfg, BPF_EXIST))
		return st2110_xdp_fail(-errno, "write config");
	return 0;
}

int st2110_xdp_get_config(const struct st2110_xdp *x, struct st2110_xdp_config *cfg)
{
	__u32 zero = 0;

	if (bpf_map_lookup_elem(x->config_fd, &zero, cfg))
		return st2110_xdp_fail(-errno, "read config");
	return 0;
}

static bool st2110_egress_set_exists(const struct st2110_xdp *x, __u32 set)
{
	__u32 inner_id;

	return set < ST2110_XDP_MAX_EGRESS_SETS &&
	       !bpf_map_lookup_elem(x->egsets_fd, &set, &inner_id);
}

static bool st2110_format_exists(const struct st2110_xdp *x, __u32 id)
{
	struct st2110_rx_fmt f;

	return id && id < ST2110_XDP_MAX_FORMATS &&
	       !bpf_map_lookup_elem(x->formats_fd, &id, &f) && f.valid;
}

static bool st2110_merge_exists(const struct st2110_xdp *x, __u32 id)
{
	struct st2110_xdp_merge m;

	return id && id < ST2110_XDP_MAX_MERGES &&
	       !bpf_map_lookup_elem(x->merges_fd, &id, &m) &&
	       (m.flags & ST2110_XDP_MERGE_F_VALID);
}

static bool st2110_action_uses_set(__u32 action)
{
	return action == ST2110_XDP_ACT_REDIRECT || action == ST2110_XDP_ACT_REDIRECT_PASS;
}

static int st2110_action_check(const struct st2110_xdp *x, __u32 action, __u32 set)
{
	if (action > ST2110_XDP_ACT_MAX)
		return st2110_xdp_fail(-EINVAL, "unknown route action %u", action);
	if (st2110_action_uses_set(action)) {
		if (!st2110_egress_set_exists(x, set))
			return st2110_xdp_fail(-ENOENT, "egress set %u does not exist", set);
	} else if (set) {
		return st2110_xdp_fail(-EINVAL, "egress set given for a pass/drop route");
	}
	return 0;
}

static int st2110_route_check(const struct st2110_xdp *x, const struct st2110_xdp_route *r)
{
	int err;

	if (!r)
		return st2110_xdp_fail(-EINVAL, "no route");
	err = st2110_action_check(x, r->action, r->egress_set);
	if (err)
		return err;
	if (r->flags & ~ST2110_XDP_ROUTE_F_ALL)
		return st2110_xdp_fail(-EINVAL, "unknown route flags 0x%x", r->flags);
	if (r->rtp_clock_hz > ST2110_XDP_MAX_RTP_CLOCK_HZ)
		return st2110_xdp_fail(-EINVAL, "RTP clock %u Hz out of range", r->rtp_clock_hz);
	if (r->format && !st2110_format_exists(x, r->format))
		return st2110_xdp_fail(-ENOENT, "format %u does not exist", r->format);
	if (r->format && (r->flags & ST2110_XDP_ROUTE_F_NO_MEASURE))
		return st2110_xdp_fail(-EINVAL, "a format needs measurement (no-measure given)");
	if (r->merge && !st2110_merge_exists(x, r->merge))
		return st2110_xdp_fail(-ENOENT, "2022-7 merge %u does not exist", r->merge);
	if (r->merge_leg > 1 || (!r->merge && r->merge_leg))
		return st2110_xdp_fail(-EINVAL, "merge leg must be 0 or 1, with a merge");
	return 0;
}

static void st2110_stage_clear(struct st2110_xdp_route *v)
{
	v->stage_state = ST2110_XDP_STAGE_NONE;
	v->stage_action = 0;
	v->stage_egress_set = 0;
	v->stage_gate_wait = 0;
	v->stage_gate_open = 0;
	v->pad = 0;
	v->stage_timeout_ns = 0;
	v->stage_since_ns = 0;
}

/* A route value as written: the caller's, with the data path's counters kept. */
static int st2110_route_write(struct st2110_xdp *x, const struct st2110_xdp_key *key,
			      const struct st2110_xdp_route *route, __u64 flags)
{
	struct st2110_xdp_route v, old;
	int err;

	st2110_xdp_clear_err();
	err = st2110_key_check(key);
	if (err)
		return err;
	err = st2110_route_check(x, route);
	if (err)
		return err;
	/*
	 * Staging has its own calls and the counters belong to the data path:
	 * whatever the caller has there (e.g. from route_get()) is ignored. A
	 * change cancels a pending staged change and keeps the counters.
	 */
	v = *route;
	st2110_stage_clear(&v);
	v.switches_clean = 0;
	v.switches_forced = 0;
	if (flags == BPF_EXIST && !bpf_map_lookup_elem(x->routes_fd, key, &old)) {
		v.switches_clean = old.switches_clean;
		v.switches_forced = old.switches_forced;
	}
	if (bpf_map_update_elem(x->routes_fd, key, &v, flags)) {
		err = -errno;
		if (err == -EEXIST)
			return st2110_xdp_fail(err, "route exists");
		if (err == -ENOENT)
			return st2110_xdp_fail(err, "no such route");
		if (err == -E2BIG)
			return st2110_xdp_fail(err, "route table full (%u)", ST2110_XDP_MAX_ROUTES);
		return st2110_xdp_fail(err, "write route");
	}
	return 0;
}

int st2110_xdp_route_add(struct st2110_xdp *x, const struct st2110_xdp_key *key,
			 const struct st2110_xdp_route *route)
{
	return st2110_route_write(x, key, route, BPF_NOEXIST);
}

int st2110_xdp_route_change(struct st2110_xdp *x, const struct st2110_xdp_key *key,
			    const struct st2110_xdp_route *route)
{
	return st2110_route_write(x, key, route, BPF_EXIST);
}

int st2110_xdp_route_del(struct st2110_xdp *x, const struct st2110_xdp_key *key)
{
	st2110_xdp_clear_err();
	if (bpf_map_delete_elem(x->routes_fd, key))
		return st2110_xdp_fail(-errno, "delete route");
	return 0;
}

int st2110_xdp_route_get(const struct st2110_xdp *x, const struct st2110_xdp_key *key,
			 struct st2110_xdp_route *route)
{
	st2110_xdp_clear_err();
	if (bpf_map_lookup_elem(x->routes_fd, key, route))
		return st2110_xdp_fail(-errno, "read route");
	return 0;
}

int st2110_xdp_route_next(const struct st2110_xdp *x, const struct st2110_xdp_key *prev,
			  struct st2110_xdp_key *next)
{
	if (bpf_map_get_next_key(x->routes_fd, prev, next))
		return -errno;
	return 0;
}

/* prog_fd < 0: plain entries; else every entry runs that devmap program. */
static int st2110_devmap_create(const __u32 *ifindex, unsigned int count, int prog_fd)
{
	struct bpf_devmap_val val = { .bpf_prog.fd = prog_fd };
	unsigned int i;
	int fd, err;

	fd = bpf_map_create(BPF_MAP_TYPE_DEVMAP_HASH, "st2110_egset", sizeof(__u32),
			    sizeof(struct bpf_devmap_val), ST2110_XDP_MAX_PORTS, NULL);
	if (fd < 0)
		return st2110_xdp_fail(-errno, "create egress devmap");
	for (i = 0; i < count; i++) {
		val.ifindex = ifindex[i];
		if (bpf_map_update_elem(fd, &ifindex[i], &val, BPF_NOEXIST)) {
			err = -errno;
			close(fd);
			if (err == -EEXIST)
				return st2110_xdp_fail(-EINVAL, "ifindex %u listed twice",
						       ifindex[i]);
			return st2110_xdp_fail(err, "add ifindex %u to egress set", ifindex[i]);
		}
	}
	return fd;
}

/*
 * The port's MAC as this namespace sees it now; 1 if it has none (not
 * Ethernet, e.g. lo): SRC_MAC copies to it keep their source MAC.
 */
static int st2110_port_mac_read(__u32 ifindex, struct st2110_xdp_port_mac *mac)
{
	struct ifreq ifr = {};
	int s, err = 0;

	if (!if_indextoname(ifindex, ifr.ifr_name))
		return st2110_xdp_fail(-ENODEV, "no interface with index %u", ifindex);
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return st2110_xdp_fail(-errno, "socket");
	if (ioctl(s, SIOCGIFHWADDR, &ifr))
		err = st2110_xdp_fail(-errno, "MAC address of %s", ifr.ifr_name);
	else if (ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER)
		err = 1;
	close(s);
	if (!err) {
		memset(mac, 0, sizeof(*mac));
		memcpy(mac->addr, ifr.ifr_hwaddr.sa_data, sizeof(mac->addr));
	}
	return err;
}

/* The inner map now at egress_sets_mac[set], as an fd (-1: none). */
static int st2110_inner_fd(int outer_fd, __u32 set)
{
	__u32 id;

	if (bpf_map_lookup_elem(outer_fd, &set, &id))
		return -1;
	return bpf_map_get_fd_by_id(id);
}

int st2110_xdp_egress_set_ports(struct st2110_xdp *x, __u32 set,
				const __u32 *ifindex, unsigned int count)
{
	struct st2110_xdp_egress_ports ports = {}, old;
	struct st2110_xdp_port_mac macs[ST2110_XDP_MAX_PORTS];
	bool has_mac[ST2110_XDP_MAX_PORTS];
	int fd = -1, mac_fd = -1, old_mac_fd = -1, err;
	bool had_old;
	unsigned int i;

	st2110_xdp_clear_err();
	if (set >= ST2110_XDP_MAX_EGRESS_SETS)
		return st2110_xdp_fail(-EINVAL, "egress set %u out of range (max %u)",
				       set, ST2110_XDP_MAX_EGRESS_SETS - 1);
	if (count > ST2110_XDP_MAX_PORTS)
		return st2110_xdp_fail(-E2BIG, "%u ports, at most %u", count,
				       ST2110_XDP_MAX_PORTS);
	if (count && !ifindex)
		return st2110_xdp_fail(-EINVAL, "no port list");
	if (x->devmap_prog_fd < 0)
		return st2110_xdp_fail(-ENOENT, "no devmap program (pin %s missing)",
				       ST2110_XDP_PIN_DEVMAP_PROG);
	for (i = 0; i < count; i++) {
		if (!ifindex[i])
			return st2110_xdp_fail(-EINVAL, "ifindex 0");
		ports.ifindex[i] = ifindex[i];
		err = st2110_port_mac_read(ifindex[i], &macs[i]);
		if (err < 0)
			return err;
		has_mac[i] = !err;
	}
	ports.count = count;

	/* Build the new devmaps completely before anything changes. */
	fd = st2110_devmap_create(ifindex, count, -1);
	if (fd < 0)
		return fd;
	mac_fd = st2110_devmap_create(ifindex, count, x->devmap_prog_fd);
	if (mac_fd < 0) {
		close(fd);
		return mac_fd;
	}
	had_old = !bpf_map_lookup_elem(x->egports_fd, &set, &old) &&
		  st2110_egress_set_exists(x, set);
	if (!had_old)
		memset(&old, 0, sizeof(old));
	old_mac_fd = st2110_inner_fd(x->egsets_mac_fd, set);
	/* Addresses first: an entry more in port_macs changes no copy. */
	for (i = 0; i < count; i++) {
		if (has_mac[i] &&
		    bpf_map_update_elem(x->port_macs_fd, &ifindex[i], &macs[i], BPF_ANY)) {
			err = st2110_xdp_fail(-errno, "write port MAC");
			goto fail;
		}
	}
	/*
	 * Then the SRC_MAC set and the tc list: for a moment the mirror and
	 * SRC_MAC routes may already use the new set while plain XDP routes
	 * use the old one; the other order would leave XDP on a set the
	 * others do not know about if a later write failed.
	 */
	if (bpf_map_update_elem(x->egsets_mac_fd, &set, &mac_fd, BPF_ANY)) {
		err = st2110_xdp_fail(-errno, "install egress set %u (source MAC)", set);
		goto fail;
	}
	if (bpf_map_update_elem(x->egports_fd, &set, &ports, BPF_ANY)) {
		err = st2110_xdp_fail(-errno, "write egress port list");
		goto fail_mac;
	}
	if (bpf_map_update_elem(x->egsets_fd, &set, &fd, BPF_ANY)) {
		err = st2110_xdp_fail(-errno, "install egress set %u", set);
		bpf_map_update_elem(x->egports_fd, &set, &old, BPF_ANY);
		goto fail_mac;
	}
	/* The outer maps hold the devmaps now. */
	close(fd);
	close(mac_fd);
	if (old_mac_fd >= 0)
		close(old_mac_fd);
	return 0;

fail_mac:
	if (old_mac_fd >= 0)
		bpf_map_update_elem(x->egsets_mac_fd, &set, &old_mac_fd, BPF_ANY);
	else
		bpf_map_delete_elem(x->egsets_mac_fd, &set);
fail:
	close(fd);
	close(mac_fd);
	if (old_mac_fd >= 0)
		close(old_mac_fd);
	return err;
}

int st2110_xdp_egress_set_get(const struct st2110_xdp *x, __u32 set, __u32 *ifindex,
			      unsigned int max, unsigned int *count)
{
	struct st2110_xdp_egress_ports ports;
	unsigned int i;

	st2110_xdp_clear_err();
	if (!st2110_egress_set_exists(x, set))
		return st2110_xdp_fail(-ENOENT, "egress set %u does not exist", set);
	if (bpf_map_lookup_elem(x->egports_fd, &set, &ports))
		return st2110_xdp_fail(-errno, "read egress port list");
	if (ports.count > max)
		return st2110_xdp_fail(-ENOSPC, "egress set %u has %u ports", set, ports.count);
	for (i = 0; i < ports.count; i++)
		ifindex[i] = ports.ifindex[i];
	*count = ports.count;
	return 0;
}

enum st2110_use {
	ST2110_USE_EGSET,
	ST2110_USE_FORMAT,
	ST2110_USE_MERGE,
	ST2110_USE_GATE,
};

static bool st2110_route_uses(const struct st2110_xdp_route *r, enum st2110_use what, __u32 id)
{
	bool staged = r->stage_state != ST2110_XDP_STAGE_NONE;

	switch (what) {
	case ST2110_USE_EGSET:
		return (st2110_action_uses_set(r->action) && r->egress_set == id) ||
		       (staged && st2110_action_uses_set(r->stage_action) &&
			r->stage_egress_set == id);
	case ST2110_USE_FORMAT:
		return r->format == id;
	case ST2110_USE_MERGE:
		return r->merge == id;
	case ST2110_USE_GATE:
		return staged && (r->stage_gate_wait == id || r->stage_gate_open == id);
	}
	return false;
}

/* Does any route name this egress set / format / merge / gate? */
static bool st2110_in_use(const struct st2110_xdp *x, enum st2110_use what, __u32 id)
{
	struct st2110_xdp_key key, *prev = NULL;
	struct st2110_xdp_route r;

	while (!bpf_map_get_next_key(x->routes_fd, prev, &key)) {
		if (!bpf_map_lookup_elem(x->routes_fd, &key, &r) && st2110_route_uses(&r, what, id))
			return true;
		prev = &key;
	}
	return false;
}

static bool st2110_egress_set_in_use(const struct st2110_xdp *x, __u32 set)
{
	return st2110_in_use(x, ST2110_USE_EGSET, set);
}

int st2110_xdp_egress_set_del(struct st2110_xdp *x, __u32 set)
{
	struct st2110_xdp_egress_ports none = {};

	st2110_xdp_clear_err();
	if (!st2110_egress_set_exists(x, set))
		return st2110_xdp_fail(-ENOENT, "egress set %u does not exist", set);
	if (st2110_egress_set_in_use(x, set))
		return st2110_xdp_fail(-EBUSY, "egress set %u is used by a route", set);
	if (bpf_map_delete_elem(x->egsets_fd, &set))
		return st2110_xdp_fail(-errno, "delete egress set %u", set);
	bpf_map_delete_elem(x->egsets_mac_fd, &set);
	bpf_map_update_elem(x->egports_fd, &set, &none, BPF_ANY);
	return 0;
}

int st2110_xdp_flow_get(const struct st2110_xdp *x, const struct st2110_xdp_key *key,
			struct st2110_xdp_flow *flow)
{
	st2110_xdp_clear_err();
	if (bpf_map_lookup_elem_flags(x->flows_fd, key, flow, BPF_F_LOCK))
		return st2110_xdp_fail(-errno, "read flow");
	return 0;
}

int st2110_xdp_flow_next(const struct st2110_xdp *x, const struct st2110_xdp_key *prev,
			 struct st2110_xdp_key *next)
{
	if (bpf_map_get_next_key(x->flows_fd, prev, next))
		return -errno;
	return 0;
}

int st2110_xdp_flow_del(struct st2110_xdp *x, const struct st2110_xdp_key *key)
{
	struct st2110_xdp_key k;

	st2110_xdp_clear_err();
	if (key) {
		if (bpf_map_delete_elem(x->flows_fd, key))
			return st2110_xdp_fail(-errno, "delete flow");
		return 0;
	}
	/* All: always restart from the first key, the map shrinks as we go. */
	while (!bpf_map_get_next_key(x->flows_fd, NULL, &k))
		if (bpf_map_delete_elem(x->flows_fd, &k) && errno != ENOENT)
			return st2110_xdp_fail(-errno, "delete flow");
	return 0;
}

int st2110_xdp_counters(const struct st2110_xdp *x, struct st2110_xdp_counters *sum)
{
	const unsigned int words = sizeof(*sum) / sizeof(__u64);
	int ncpu = libbpf_num_possible_cpus();
	__u64 *vals, *out = (__u64 *)sum;
	unsigned int w;
	__u32 zero = 0;
	int c;

	st2110_xdp_clear_err();
	if (ncpu <= 0)
		return st2110_xdp_fail(ncpu ? ncpu : -EINVAL, "count CPUs");
	vals = calloc((size_t)ncpu, sizeof(*sum));
	if (!vals)
		return st2110_xdp_fail(-ENOMEM, "allocate counters");
	if (bpf_map_lookup_elem(x->counters_fd, &zero, vals)) {
		c = -errno;
		free(vals);
		return st2110_xdp_fail(c, "read counters");
	}
	memset(sum, 0, sizeof(*sum));
	for (c = 0; c < ncpu; c++)
		for (w = 0; w < words; w++)
			out[w] += vals[(size_t)c * words + w];
	free(vals);
	return 0;
}

int st2110_xdp_format_set(struct st2110_xdp *x, __u32 id, const struct st2110_xdp_format *f)
{
	struct st2110_video_layout layout;
	struct st2110_sched_cfg cfg = {};
	struct st2110_rx_fmt v = {}, old;
	const char *reason = "invalid";
	int err;

	st2110_xdp_clear_err();
	if (!id || id >= ST2110_XDP_MAX_FORMATS)
		return st2110_xdp_fail(-EINVAL, "format id must be 1..%u",
				       ST2110_XDP_MAX_FORMATS - 1);
	if (!f)
		return st2110_xdp_fail(-EINVAL, "no format");
	if (f->type >= __ST2110_TYPE_MAX)
		return st2110_xdp_fail(-EINVAL, "sender type must be N, NL or W");
	cfg.npackets = f->npackets;
	if (!cfg.npackets) {
		/* NPACKETS from the packetization the format implies */
		err = st2110_video_layout_init(&layout, &f->video, &reason);
		if (err)
			return st2110_xdp_fail(err, "video format: %s", reason);
		cfg.npackets = layout.npackets;
	}
	cfg.height_px = f->video.height_px;
	cfg.rate = f->video.rate;
	cfg.scan = f->video.scan;
	cfg.type = (__u8)f->type;
	cfg.troffset_ns = f->troffset_ns;
	err = st2110_sched_init(&v.s, &cfg, &reason);
	if (err)
		return st2110_xdp_fail(err, "read schedule: %s", reason);
	v.video = f->video;
	v.troffset_ns = f->troffset_ns;
	v.type = f->type;
	v.valid = 1;
	st2110_rx_fmt_limits(&v);
	if (!bpf_map_lookup_elem(x->formats_fd, &id, &old))
		v.gen = (old.gen + 1) & 0xffffff;
	if (bpf_map_update_elem(x->formats_fd, &id, &v, BPF_ANY))
		return st2110_xdp_fail(-errno, "write format %u", id);
	return 0;
}

int st2110_xdp_format_get(const struct st2110_xdp *x, __u32 id, struct st2110_xdp_format *f,
			  struct st2110_sched *sched)
{
	struct st2110_rx_fmt v;

	st2110_xdp_clear_err();
	if (!id || id >= ST2110_XDP_MAX_FORMATS ||
	    bpf_map_lookup_elem(x->formats_fd, &id, &v) || !v.valid)
		return st2110_xdp_fail(-ENOENT, "format %u does not exist", id);
	if (f) {
		memset(f, 0, sizeof(*f));
		f->video = v.video;
		f->npackets = v.s.npackets;
		f->type = v.type;
		f->troffset_ns = v.troffset_ns;
	}
	if (sched)
		*sched = v.s;
	return 0;
}

int st2110_xdp_format_del(struct st2110_xdp *x, __u32 id)
{
	struct st2110_rx_fmt none = {};

	st2110_xdp_clear_err();
	if (!st2110_format_exists(x, id))
		return st2110_xdp_fail(-ENOENT, "format %u does not exist", id);
	if (st2110_in_use(x, ST2110_USE_FORMAT, id))
		return st2110_xdp_fail(-EBUSY, "format %u is used by a route", id);
	if (bpf_map_update_elem(x->formats_fd, &id, &none, BPF_ANY))
		return st2110_xdp_fail(-errno, "delete format %u", id);
	return 0;
}

/* Check a staged change's target and read the route it applies to. */
static int st2110_stage_prepare(struct st2110_xdp *x, const struct st2110_xdp_key *key,
				const struct st2110_xdp_route *route,
				struct st2110_xdp_route *cur)
{
	int err;

	err = st2110_key_check(key);
	if (err)
		return err;
	if (!route)
		return st2110_xdp_fail(-EINVAL, "no route");
	err = st2110_action_check(x, route->action, route->egress_set);
	if (err)
		return err;
	if (bpf_map_lookup_elem(x->routes_fd, key, cur))
		return st2110_xdp_fail(-ENOENT, "no such route");
	return 0;
}

static void st2110_stage_fill(struct st2110_xdp_route *v, const struct st2110_xdp_route *route,
			      __u64 timeout_ns, __u32 gate_wait, __u32 gate_open)
{
	v->stage_action = route->action;
	v->stage_egress_set = route->egress_set;
	v->stage_timeout_ns = timeout_ns;
	v->stage_since_ns = 0;
	v->stage_gate_wait = gate_wait;
	v->stage_gate_open = gate_open;
	v->stage_state = ST2110_XDP_STAGE_ARMED;
}

int st2110_xdp_route_stage(struct st2110_xdp *x, const struct st2110_xdp_key *key,
			   const struct st2110_xdp_route *route, __u64 timeout_ns)
{
	struct st2110_xdp_route v;
	int err;

	st2110_xdp_clear_err();
	err = st2110_stage_prepare(x, key, route, &v);
	if (err)
		return err;
	st2110_stage_fill(&v, route, timeout_ns, 0, 0);
	if (bpf_map_update_elem(x->routes_fd, key, &v, BPF_EXIST))
		return st2110_xdp_fail(-errno, "write route");
	return 0;
}

int st2110_xdp_route_unstage(struct st2110_xdp *x, const struct st2110_xdp_key *key)
{
	struct st2110_xdp_route v;
	int err;

	st2110_xdp_clear_err();
	err = st2110_key_check(key);
	if (err)
		return err;
	if (bpf_map_lookup_elem(x->routes_fd, key, &v))
		return st2110_xdp_fail(-ENOENT, "no such route");
	if (v.stage_state == ST2110_XDP_STAGE_NONE)
		return st2110_xdp_fail(-ENOENT, "no staged change on this route");
	st2110_stage_clear(&v);
	if (bpf_map_update_elem(x->routes_fd, key, &v, BPF_EXIST))
		return st2110_xdp_fail(-errno, "write route");
	return 0;
}

/* A gate no pending change refers to, closed for a new switch; 0 if none. */
static __u32 st2110_gate_take(struct st2110_xdp *x)
{
	__u32 id, closed = 1;

	for (id = 1; id < ST2110_XDP_MAX_GATES; id++) {
		if (st2110_in_use(x, ST2110_USE_GATE, id))
			continue;
		if (!bpf_map_update_elem(x->gates_fd, &id, &closed, BPF_ANY))
			return id;
	}
	return 0;
}

int st2110_xdp_route_switch(struct st2110_xdp *x,
			    const struct st2110_xdp_key *from,
			    const struct st2110_xdp_route *from_route,
			    const struct st2110_xdp_key *to,
			    const struct st2110_xdp_route *to_route,
			    __u64 timeout_ns)
{
	struct st2110_xdp_route vf, vt, to_old;
	__u32 gate;
	int err;

	st2110_xdp_clear_err();
	err = st2110_stage_prepare(x, from, from_route, &vf);
	if (err)
		return err;
	err = st2110_stage_prepare(x, to, to_route, &vt);
	if (err)
		return err;
	if (!memcmp(from, to, sizeof(*from)))
		return st2110_xdp_fail(-EINVAL, "switch from a route to itself");
	gate = st2110_gate_take(x);
	if (!gate)
		return st2110_xdp_fail(-ENOSPC, "no free switch gate (%u pending switches)",
				       ST2110_XDP_MAX_GATES - 1);
	to_old = vt;
	/* the waiting side first: it must never run ahead of the gate */
	st2110_stage_fill(&vt, to_route, timeout_ns, gate, 0);
	if (bpf_map_update_elem(x->routes_fd, to, &vt, BPF_EXIST))
		return st2110_xdp_fail(-errno, "write route");
	st2110_stage_fill(&vf, from_route, timeout_ns, 0, gate);
	if (bpf_map_update_elem(x->routes_fd, from, &vf, BPF_EXIST)) {
		err = st2110_xdp_fail(-errno, "write route");
		bpf_map_update_elem(x->routes_fd, to, &to_old, BPF_EXIST);
		return err;
	}
	return 0;
}

int st2110_xdp_merge_set(struct st2110_xdp *x, __u32 id, __u32 flags)
{
	struct st2110_xdp_merge m = {};

	st2110_xdp_clear_err();
	if (!id || id >= ST2110_XDP_MAX_MERGES)
		return st2110_xdp_fail(-EINVAL, "merge id must be 1..%u",
				       ST2110_XDP_MAX_MERGES - 1);
	if (flags & ~ST2110_XDP_MERGE_F_ALL)
		return st2110_xdp_fail(-EINVAL, "unknown merge flags 0x%x", flags);
	m.flags = flags | ST2110_XDP_MERGE_F_VALID;
	if (bpf_map_update_elem(x->merges_fd, &id, &m, BPF_F_LOCK))
		return st2110_xdp_fail(-errno, "write merge %u", id);
	return 0;
}

static void st2110_merge_judge_copy(struct st2110_xdp_merge *m, __u64 ext)
{
	__u32 w = (ext / 64) % ST2110_XDP_MERGE_WINDOW_WORDS;
	__u64 mask = 1ULL << (ext & 63);
	bool s0 = m->seen[0][w] & mask, s1 = m->seen[1][w] & mask;

	if (s0 && s1)
		m->both++;
	else if (s0)
		m->recovered[0]++;
	else if (s1)
		m->recovered[1]++;
	else
		m->lost_both++;
}

int st2110_xdp_merge_get(const struct st2110_xdp *x, __u32 id, struct st2110_xdp_merge *m)
{
	__u64 p, lo;

	st2110_xdp_clear_err();
	if (!id || id >= ST2110_XDP_MAX_MERGES ||
	    bpf_map_lookup_elem_flags(x->merges_fd, &id, m, BPF_F_LOCK) ||
	    !(m->flags & ST2110_XDP_MERGE_F_VALID))
		return st2110_xdp_fail(-ENOENT, "merge %u does not exist", id);
	if (!(m->state & ST2110_XDP_MERGE_S_STARTED))
		return 0;
	/* the numbers still in the window, as if it moved past them */
	lo = m->ext_max - ST2110_XDP_MERGE_WINDOW + 1;
	if (lo < m->ext_first)
		lo = m->ext_first;
	for (p = lo; p <= m->ext_max; p++)
		st2110_merge_judge_copy(m, p);
	return 0;
}

int st2110_xdp_merge_del(struct st2110_xdp *x, __u32 id)
{
	struct st2110_xdp_merge none = {};

	st2110_xdp_clear_err();
	if (!st2110_merge_exists(x, id))
		return st2110_xdp_fail(-ENOENT, "merge %u does not exist", id);
	if (st2110_in_use(x, ST2110_USE_MERGE, id))
		return st2110_xdp_fail(-EBUSY, "merge %u is used by a route", id);
	if (bpf_map_update_elem(x->merges_fd, &id, &none, BPF_F_LOCK))
		return st2110_xdp_fail(-errno, "delete merge %u", id);
	return 0;
}

int st2110_xdp_merges_map_id(const struct st2110_xdp *x, __u32 *id)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);

	st2110_xdp_clear_err();
	if (bpf_obj_get_info_by_fd(x->merges_fd, &info, &len))
		return st2110_xdp_fail(-errno, "merges map info");
	*id = info.id;
	return 0;
}
