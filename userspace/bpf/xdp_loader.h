/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xdp_loader.h - load, attach, pin and drive the ST 2110 XDP program.
 *
 * The library behind `st2110 xdp|route|flow`. One struct st2110_xdp is one
 * instance of the program and its maps:
 *   st2110_xdp_attach()  load, attach natively to an interface through
 *                        libxdp (dispatcher when the kernel allows it,
 *                        single program otherwise), add the tc mirror, pin
 *                        the maps under <pin_root>/<ifname>/
 *   st2110_xdp_open()    find an attached instance again from its pins
 *   st2110_xdp_detach()  remove program, tc filter and pins by interface name
 *   st2110_xdp_load()    load without attaching or pinning (BPF_PROG_TEST_RUN)
 *
 * Every function returns 0 or a negative errno and prints nothing; after a
 * failure st2110_xdp_errmsg() says what failed, in one line. A failed call
 * changes nothing. Interface indexes (attach, egress sets) are resolved in
 * the network namespace of the calling thread: call from the namespace that
 * owns the interfaces. Not thread-safe per handle; attach() and detach() touch
 * the process environment (LIBXDP_SKIP_DISPATCHER, libxdp's only switch), so
 * do not run them concurrently with other threads reading the environment.
 *
 * Pins are per interface name in one bpffs: two namespaces attaching
 * interfaces of the same name with the same pin_root collide (-EEXIST).
 */
#ifndef ST2110_XDP_LOADER_H
#define ST2110_XDP_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include <linux/st2110_xdp.h>
#include <st2110/st2110.h>	/* struct st2110_video_fmt, st2110_sched */

struct st2110_xdp;

enum st2110_xdp_load_mode {
	ST2110_XDP_LOAD_AUTO = 0,	/* dispatcher, else single program */
	ST2110_XDP_LOAD_SINGLE,		/* never the dispatcher */
	/*
	 * Dispatcher or -EOPNOTSUPP. libxdp cannot be told "dispatcher only":
	 * when the kernel refuses it, libxdp attaches the single program, which
	 * runs until this call sees it and removes it again.
	 */
	ST2110_XDP_LOAD_DISPATCHER,
};

/* Where the XDP program runs (st2110_xdp_attach_info.flags records it). */
enum st2110_xdp_mode {
	ST2110_XDP_MODE_NATIVE = 0,	/* in the driver (veth, most NICs) */
	ST2110_XDP_MODE_GENERIC,	/* on the skb (any device; slower) */
};

struct st2110_xdp_opts {
	enum st2110_xdp_load_mode load_mode;
	const char *pin_root;		/* NULL: ST2110_XDP_PIN_ROOT */
	bool no_tc_mirror;		/* redirect+pass then only passes */
	enum st2110_xdp_ts_source ts_source;
	enum st2110_xdp_mode xdp_mode;
	/*
	 * NULL, or the interface of an attached instance (same pin_root) whose
	 * ST 2022-7 merges map this instance uses too, instead of a map of its
	 * own: the two legs of a stream may then arrive on the two interfaces.
	 * Merge ids are shared between the instances.
	 */
	const char *share_merges;
};

/* Last failure of this thread, "" if none. Valid until the next call. */
const char *st2110_xdp_errmsg(void);

/* Silence libbpf's and libxdp's own stderr messages (process-wide). */
void st2110_xdp_quiet_libs(void);

int st2110_xdp_attach(const char *ifname, const struct st2110_xdp_opts *opts,
		      struct st2110_xdp **out);
int st2110_xdp_open(const char *ifname, const char *pin_root,
		    struct st2110_xdp **out);
int st2110_xdp_detach(const char *ifname, const char *pin_root);
int st2110_xdp_load(const struct st2110_xdp_opts *opts, struct st2110_xdp **out);
/* Frees the handle; an attached program stays attached. */
void st2110_xdp_close(struct st2110_xdp *x);

/*
 * Arrival clock: the source the program was loaded with (KTIME_TAI becomes
 * MONO_OFFSET on kernels without bpf_ktime_get_tai_ns(); handles opened from
 * pins say KTIME_TAI). clock_sync() retakes CLOCK_TAI - CLOCK_MONOTONIC for
 * MONO_OFFSET: call it after CLOCK_TAI was stepped (attach and load do).
 */
enum st2110_xdp_ts_source st2110_xdp_ts_source(const struct st2110_xdp *x);
int st2110_xdp_clock_sync(struct st2110_xdp *x);

/* The XDP program's fd (loaded handles only, else -ENOENT). */
int st2110_xdp_prog_fd(const struct st2110_xdp *x);
int st2110_xdp_info(const struct st2110_xdp *x, struct st2110_xdp_attach_info *info);
/*
 * The events ring buffer's fd (struct st2110_xdp_event records), for
 * libbpf's ring_buffer__new()/ring_buffer__add(); valid while x is open.
 */
int st2110_xdp_events_fd(const struct st2110_xdp *x);

int st2110_xdp_set_unmatched(struct st2110_xdp *x, __u32 action);
int st2110_xdp_get_config(const struct st2110_xdp *x, struct st2110_xdp_config *cfg);

/*
 * Fill a key from text: group and source as inet_pton() reads them (source
 * NULL or "" = any), both of one family; the group must be multicast and the
 * source unicast.
 */
int st2110_xdp_key_make(struct st2110_xdp_key *key, const char *group,
			unsigned int port, const char *source);
/* "group port source" in text, source "*" for any. */
int st2110_xdp_key_str(const struct st2110_xdp_key *key, char *buf, size_t len);

/*
 * add/change: route->format and route->merge must exist. The stage_* and
 * switches_* fields are the data path's and the staging calls': ignored
 * here (so route_get, modify, route_change is safe); change cancels a
 * pending staged change and keeps the switch counters.
 */
int st2110_xdp_route_add(struct st2110_xdp *x, const struct st2110_xdp_key *key,
			 const struct st2110_xdp_route *route);	/* -EEXIST */
int st2110_xdp_route_change(struct st2110_xdp *x, const struct st2110_xdp_key *key,
			    const struct st2110_xdp_route *route); /* -ENOENT */
int st2110_xdp_route_del(struct st2110_xdp *x, const struct st2110_xdp_key *key);
int st2110_xdp_route_get(const struct st2110_xdp *x, const struct st2110_xdp_key *key,
			 struct st2110_xdp_route *route);
/* Iterate: prev NULL for the first key; -ENOENT after the last. */
int st2110_xdp_route_next(const struct st2110_xdp *x, const struct st2110_xdp_key *prev,
			  struct st2110_xdp_key *next);

/*
 * Egress sets. set_ports() replaces the whole set in one step for the XDP
 * path (a new devmap swapped into the outer map), so a running flow never
 * sees half a change; an empty list is allowed (copies go nowhere).
 * del() refuses a set that a route still uses (-EBUSY).
 */
int st2110_xdp_egress_set_ports(struct st2110_xdp *x, __u32 set,
				const __u32 *ifindex, unsigned int count);
int st2110_xdp_egress_set_get(const struct st2110_xdp *x, __u32 set, __u32 *ifindex,
			      unsigned int max, unsigned int *count);
int st2110_xdp_egress_set_del(struct st2110_xdp *x, __u32 set);

int st2110_xdp_flow_get(const struct st2110_xdp *x, const struct st2110_xdp_key *key,
			struct st2110_xdp_flow *flow);
int st2110_xdp_flow_next(const struct st2110_xdp *x, const struct st2110_xdp_key *prev,
			 struct st2110_xdp_key *next);
/* key NULL: delete all flows (counters restart from zero). */
int st2110_xdp_flow_del(struct st2110_xdp *x, const struct st2110_xdp_key *key);
/* Sum of the per-CPU counters. */
int st2110_xdp_counters(const struct st2110_xdp *x, struct st2110_xdp_counters *sum);

/*
 * Formats for the ST 2110-21 receiver measurement (struct st2110_xdp_rx in
 * the flow): a route names one in st2110_xdp_route.format. ids
 * 1..ST2110_XDP_MAX_FORMATS-1. The library builds the read schedule with
 * the timing core (st2110_video_layout_init + st2110_sched_init) and stores
 * it; the data path only reads it.
 */
struct st2110_xdp_format {
	struct st2110_video_fmt video;	/* as from st2110_vfmt_parse() or an SDP */
	__u32 npackets;		/* NPACKETS per frame; 0 = from the video layout */
	__u32 type;		/* enum st2110_sender_type: N gapped, NL/W linear */
	__u64 troffset_ns;	/* ST2110_TROFFSET_DEFAULT = TRODEFAULT */
};

/* Create or replace; flows measuring against it restart their rx state. */
int st2110_xdp_format_set(struct st2110_xdp *x, __u32 id, const struct st2110_xdp_format *f);
/* sched may be NULL; -ENOENT if unset. */
int st2110_xdp_format_get(const struct st2110_xdp *x, __u32 id, struct st2110_xdp_format *f,
			  struct st2110_sched *sched);
/* -EBUSY while a route names it. */
int st2110_xdp_format_del(struct st2110_xdp *x, __u32 id);

/*
 * Staged ("at-frame") route changes, see struct st2110_xdp_route.
 * stage(): the route must exist; only route->action and route->egress_set
 * are taken, and take effect on the first packet after the next RTP marker
 * of the flow (forced on the first packet timeout_ns after the first packet
 * seen while staged; 0 = wait for ever). A pending change is replaced.
 * unstage(): drop a pending change (-ENOENT if none).
 * switch(): a clean source switch on an output: from's change (typically
 * drop) and to's change are staged together; to's change waits until from's
 * has been applied (a gate), so the output never gets a frame that mixes
 * the two flows. from and to must be different routes. -ENOSPC if no gate
 * is free (gates are reused once both changes are applied or cancelled).
 * Poll st2110_xdp_route_get(): stage_state NONE = applied; switches_clean /
 * switches_forced say how.
 */
int st2110_xdp_route_stage(struct st2110_xdp *x, const struct st2110_xdp_key *key,
			   const struct st2110_xdp_route *route, __u64 timeout_ns);
int st2110_xdp_route_unstage(struct st2110_xdp *x, const struct st2110_xdp_key *key);
int st2110_xdp_route_switch(struct st2110_xdp *x,
			    const struct st2110_xdp_key *from,
			    const struct st2110_xdp_route *from_route,
			    const struct st2110_xdp_key *to,
			    const struct st2110_xdp_route *to_route,
			    __u64 timeout_ns);

/*
 * ST 2022-7 merges (ids 1..ST2110_XDP_MAX_MERGES-1), see struct
 * st2110_xdp_merge. set(): create, or reset counters and window; flags
 * ST2110_XDP_MERGE_F_*. Then give the two legs' routes merge = id and
 * merge_leg 0 / 1 (route_add/route_change check that the merge exists).
 * get(): a consistent snapshot with the numbers still in the window judged
 * too (exact totals once the stream has stopped). del(): -EBUSY while a
 * route names it.
 */
int st2110_xdp_merge_set(struct st2110_xdp *x, __u32 id, __u32 flags);
int st2110_xdp_merge_get(const struct st2110_xdp *x, __u32 id, struct st2110_xdp_merge *m);
int st2110_xdp_merge_del(struct st2110_xdp *x, __u32 id);
/*
 * The kernel's id of this instance's merges map: equal for instances
 * attached with share_merges (merge_del() sees only its own routes, so
 * check the others before deleting a shared merge).
 */
int st2110_xdp_merges_map_id(const struct st2110_xdp *x, __u32 *id);

#endif /* ST2110_XDP_LOADER_H */
