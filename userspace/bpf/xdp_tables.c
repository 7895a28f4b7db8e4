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

static int st2110_route_check(const struct st2110_xdp *x, const struct st2110_xdp_route *r)
{
	if (!r)
		return st2110_xdp_fail(-EINVAL, "no route");
	if (r->action > ST2110_XDP_ACT_MAX)
		return st2110_xdp_fail(-EINVAL, "unknown route action %u", r->action);
	if (r->flags & ~ST2110_XDP_ROUTE_F_ALL)
		return st2110_xdp_fail(-EINVAL, "unknown route flags 0x%x", r->flags);
	if (r->rtp_clock_hz > ST2110_XDP_MAX_RTP_CLOCK_HZ)
		return st2110_xdp_fail(-EINVAL, "RTP clock %u Hz out of range", r->rtp_clock_hz);
	if (r->action == ST2110_XDP_ACT_REDIRECT || r->action == ST2110_XDP_ACT_REDIRECT_PASS) {
		if (!st2110_egress_set_exists(x, r->egress_set))
			return st2110_xdp_fail(-ENOENT, "egress set %u does not exist",
					       r->egress_set);
	} else if (r->egress_set) {
		return st2110_xdp_fail(-EINVAL, "egress set given for a pass/drop route");
	}
	return 0;
}

static int st2110_route_write(struct st2110_xdp *x, const struct st2110_xdp_key *key,
			      const struct st2110_xdp_route *route, __u64 flags)
{
	int err;

	st2110_xdp_clear_err();
	err = st2110_key_check(key);
	if (err)
		return err;
	err = st2110_route_check(x, route);
	if (err)
		return err;
	if (bpf_map_update_elem(x->routes_fd, key, route, flags)) {
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

static int st2110_devmap_create(const __u32 *ifindex, unsigned int count)
{
	struct bpf_devmap_val val = { .bpf_prog.fd = -1 };
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

int st2110_xdp_egress_set_ports(struct st2110_xdp *x, __u32 set,
				const __u32 *ifindex, unsigned int count)
{
	struct st2110_xdp_egress_ports ports = {}, old;
	bool had_old;
	unsigned int i;
	int fd, err;

	st2110_xdp_clear_err();
	if (set >= ST2110_XDP_MAX_EGRESS_SETS)
		return st2110_xdp_fail(-EINVAL, "egress set %u out of range (max %u)",
				       set, ST2110_XDP_MAX_EGRESS_SETS - 1);
	if (count > ST2110_XDP_MAX_PORTS)
		return st2110_xdp_fail(-E2BIG, "%u ports, at most %u", count,
				       ST2110_XDP_MAX_PORTS);
	if (count && !ifindex)
		return st2110_xdp_fail(-EINVAL, "no port list");
	for (i = 0; i < count; i++) {
		if (!ifindex[i])
			return st2110_xdp_fail(-EINVAL, "ifindex 0");
		ports.ifindex[i] = ifindex[i];
	}
	ports.count = count;

	/* Build the new devmap completely before anything changes. */
	fd = st2110_devmap_create(ifindex, count);
	if (fd < 0)
		return fd;
	had_old = !bpf_map_lookup_elem(x->egports_fd, &set, &old) &&
		  st2110_egress_set_exists(x, set);
	/*
	 * tc list first: for a moment the mirror may already use the new set
	 * while XDP uses the old one; the other order would leave XDP on a
	 * set the mirror does not know about if the second write failed.
	 */
	if (bpf_map_update_elem(x->egports_fd, &set, &ports, BPF_ANY)) {
		err = st2110_xdp_fail(-errno, "write egress port list");
		close(fd);
		return err;
	}
	if (bpf_map_update_elem(x->egsets_fd, &set, &fd, BPF_ANY)) {
		err = st2110_xdp_fail(-errno, "install egress set %u", set);
		if (!had_old)
			memset(&old, 0, sizeof(old));
		bpf_map_update_elem(x->egports_fd, &set, &old, BPF_ANY);
		close(fd);
		return err;
	}
	/* The outer map holds the devmap now. */
	close(fd);
	return 0;
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

static bool st2110_egress_set_in_use(const struct st2110_xdp *x, __u32 set)
{
	struct st2110_xdp_key key, *prev = NULL;
	struct st2110_xdp_route r;

	while (!bpf_map_get_next_key(x->routes_fd, prev, &key)) {
		if (!bpf_map_lookup_elem(x->routes_fd, &key, &r) &&
		    (r.action == ST2110_XDP_ACT_REDIRECT ||
		     r.action == ST2110_XDP_ACT_REDIRECT_PASS) &&
		    r.egress_set == set)
			return true;
		prev = &key;
	}
	return false;
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
