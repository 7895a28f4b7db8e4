// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_loader.c - life cycle of the ST 2110 XDP program on one interface:
 * load (skeleton), attach (libxdp, native mode), tc mirror, pins, detach.
 *
 * Attach order, undone in reverse on any failure so that nothing is left
 * half-applied: pin directory, load + XDP attach, tc mirror, info, pins.
 *
 * Dispatcher or not: libxdp puts the program behind its multiprog dispatcher
 * when the kernel lets it attach freplace programs, and otherwise falls back
 * to one program per interface by itself. LIBXDP_SKIP_DISPATCHER is libxdp's
 * only switch to skip the dispatcher, so ST2110_XDP_LOAD_SINGLE sets it
 * around the attach call and restores it after.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include <linux/if_link.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include "xdp_internal.h"
#include "st2110_xdp.skel.h"

/* The uapi promise: sizes the BPF program and the tools agree on. */
_Static_assert(sizeof(struct st2110_xdp_key) == 40, "key layout");
_Static_assert(sizeof(struct st2110_xdp_route) == 88, "route layout");
_Static_assert(sizeof(struct st2110_xdp_flow) == 496, "flow layout");
_Static_assert(sizeof(struct st2110_xdp_merge) == 256, "merge layout");
_Static_assert(sizeof(struct st2110_xdp_event) == 104, "event layout");
_Static_assert(sizeof(struct st2110_rx_fmt) % 8 == 0, "format layout");
_Static_assert(sizeof(struct st2110_xdp_egress_ports) == 136, "egress ports layout");
_Static_assert(sizeof(struct st2110_xdp_counters) % 8 == 0, "counters layout");

#define ST2110_XDP_SKIP_ENV "LIBXDP_SKIP_DISPATCHER"

static __thread char st2110_xdp_errbuf[256];

const char *st2110_xdp_errmsg(void)
{
	return st2110_xdp_errbuf;
}

void st2110_xdp_clear_err(void)
{
	st2110_xdp_errbuf[0] = '\0';
}

int st2110_xdp_fail(int err, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(st2110_xdp_errbuf, sizeof(st2110_xdp_errbuf), fmt, ap);
	va_end(ap);
	n = strlen(st2110_xdp_errbuf);
	if (err < 0 && n < sizeof(st2110_xdp_errbuf) - 2)
		snprintf(st2110_xdp_errbuf + n, sizeof(st2110_xdp_errbuf) - n,
			 ": %s", strerror(-err));
	return err;
}

static int st2110_quiet_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

void st2110_xdp_quiet_libs(void)
{
	libbpf_set_print(st2110_quiet_libbpf);
	libxdp_set_print(NULL);
}

/* One entry per pinned map: file name and where its fd lives. */
struct st2110_pin {
	const char *name;
	size_t fd_off;
};

#define ST2110_PIN(n, field) { n, offsetof(struct st2110_xdp, field) }
static const struct st2110_pin st2110_pins[] = {
	ST2110_PIN(ST2110_XDP_PIN_ROUTES, routes_fd),
	ST2110_PIN(ST2110_XDP_PIN_FLOWS, flows_fd),
	ST2110_PIN(ST2110_XDP_PIN_EGSETS, egsets_fd),
	ST2110_PIN(ST2110_XDP_PIN_EGPORTS, egports_fd),
	ST2110_PIN(ST2110_XDP_PIN_CONFIG, config_fd),
	ST2110_PIN(ST2110_XDP_PIN_COUNTERS, counters_fd),
	ST2110_PIN(ST2110_XDP_PIN_INFO, info_fd),
	ST2110_PIN(ST2110_XDP_PIN_FORMATS, formats_fd),
	ST2110_PIN(ST2110_XDP_PIN_MERGES, merges_fd),
	ST2110_PIN(ST2110_XDP_PIN_GATES, gates_fd),
	ST2110_PIN(ST2110_XDP_PIN_EGSETS_MAC, egsets_mac_fd),
	ST2110_PIN(ST2110_XDP_PIN_PORT_MACS, port_macs_fd),
	/* a program: egress_set_ports() puts it in the SRC_MAC devmaps */
	ST2110_PIN(ST2110_XDP_PIN_DEVMAP_PROG, devmap_prog_fd),
	ST2110_PIN(ST2110_XDP_PIN_EVENTS, events_fd),
};
#define ST2110_NR_PINS (sizeof(st2110_pins) / sizeof(st2110_pins[0]))

static int *st2110_pin_fd(struct st2110_xdp *x, const struct st2110_pin *p)
{
	return (int *)((char *)x + p->fd_off);
}

static struct st2110_xdp *st2110_xdp_alloc(void)
{
	struct st2110_xdp *x = calloc(1, sizeof(*x));
	size_t i;

	if (!x)
		return NULL;
	x->prog_fd = -1;
	for (i = 0; i < ST2110_NR_PINS; i++)
		*st2110_pin_fd(x, &st2110_pins[i]) = -1;
	return x;
}

static void st2110_xdp_take_skel_fds(struct st2110_xdp *x)
{
	struct st2110_xdp_bpf *s = x->skel;

	x->prog_fd = bpf_program__fd(s->progs.st2110_xdp);
	x->routes_fd = bpf_map__fd(s->maps.st2110_routes);
	x->flows_fd = bpf_map__fd(s->maps.st2110_flows);
	x->egsets_fd = bpf_map__fd(s->maps.st2110_egsets);
	x->egports_fd = bpf_map__fd(s->maps.st2110_egports);
	x->config_fd = bpf_map__fd(s->maps.st2110_config);
	x->counters_fd = bpf_map__fd(s->maps.st2110_counters);
	x->info_fd = bpf_map__fd(s->maps.st2110_info);
	x->formats_fd = bpf_map__fd(s->maps.st2110_formats);
	x->merges_fd = bpf_map__fd(s->maps.st2110_merges);
	x->gates_fd = bpf_map__fd(s->maps.st2110_gates);
	x->egsets_mac_fd = bpf_map__fd(s->maps.st2110_egsets_mac);
	x->port_macs_fd = bpf_map__fd(s->maps.st2110_port_macs);
	x->devmap_prog_fd = bpf_program__fd(s->progs.st2110_devmap_mac);
	x->events_fd = bpf_map__fd(s->maps.st2110_events);
}

static const char *st2110_pin_root(const char *root)
{
	return root && *root ? root : ST2110_XDP_PIN_ROOT;
}

static int st2110_pin_dir(char *buf, size_t len, const char *root, const char *ifname)
{
	int n = snprintf(buf, len, "%s/%s", st2110_pin_root(root), ifname);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int st2110_pin_path(char *buf, size_t len, const char *dir, const char *name)
{
	int n = snprintf(buf, len, "%s/%s", dir, name);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int st2110_check_ifname(const char *ifname, unsigned int *ifindex)
{
	if (!ifname || !*ifname || strlen(ifname) >= IF_NAMESIZE || strchr(ifname, '/'))
		return st2110_xdp_fail(-EINVAL, "invalid interface name");
	*ifindex = if_nametoindex(ifname);
	if (!*ifindex)
		return st2110_xdp_fail(-ENODEV, "interface %s not found", ifname);
	return 0;
}

/* The directory above the pin root must be a bpffs mount (or inside one). */
static int st2110_check_bpffs(const char *root)
{
	char parent[PATH_MAX];
	struct statfs st;
	char *slash;

	snprintf(parent, sizeof(parent), "%s", st2110_pin_root(root));
	if (statfs(parent, &st) == 0 && st.f_type == BPF_FS_MAGIC)
		return 0;
	slash = strrchr(parent, '/');
	if (slash && slash != parent)
		*slash = '\0';
	if (statfs(parent, &st) || st.f_type != BPF_FS_MAGIC)
		return st2110_xdp_fail(-ENOENT, "no bpffs mounted at %s (mount -t bpf bpf %s)",
				       parent, parent);
	return 0;
}

static int st2110_pins_create(struct st2110_xdp *x, const char *dir)
{
	char path[PATH_MAX];
	size_t i;
	int err;

	for (i = 0; i < ST2110_NR_PINS; i++) {
		if (st2110_pin_path(path, sizeof(path), dir, st2110_pins[i].name))
			return st2110_xdp_fail(-ENAMETOOLONG, "pin path");
		if (bpf_obj_pin(*st2110_pin_fd(x, &st2110_pins[i]), path)) {
			err = -errno;
			return st2110_xdp_fail(err, "pin %s", path);
		}
	}
	return 0;
}

/* Remove our pins and the directory; leaves foreign files alone. */
static void st2110_pins_remove(const char *root, const char *dir)
{
	char path[PATH_MAX];
	size_t i;

	for (i = 0; i < ST2110_NR_PINS; i++) {
		if (!st2110_pin_path(path, sizeof(path), dir, st2110_pins[i].name))
			unlink(path);
	}
	rmdir(dir);
	/* Only if no other interface uses it any more. */
	rmdir(st2110_pin_root(root));
}

static int st2110_tc_attach(struct st2110_xdp *x, unsigned int ifindex,
			    struct st2110_xdp_attach_info *info)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = BPF_TC_INGRESS);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = ST2110_XDP_TC_HANDLE,
		    .priority = ST2110_XDP_TC_PRIORITY);
	int err;

	err = bpf_tc_hook_create(&hook);
	if (err && err != -EEXIST)
		return st2110_xdp_fail(err, "create clsact on %s", x->ifname);
	if (!err)
		info->flags |= ST2110_XDP_INFO_F_CLSACT_CREATED;

	opts.prog_fd = bpf_program__fd(x->skel->progs.st2110_tc_mirror);
	err = bpf_tc_attach(&hook, &opts);
	if (err) {
		if (info->flags & ST2110_XDP_INFO_F_CLSACT_CREATED) {
			hook.attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS;
			bpf_tc_hook_destroy(&hook);
			info->flags &= ~ST2110_XDP_INFO_F_CLSACT_CREATED;
		}
		return st2110_xdp_fail(err, "attach tc mirror on %s", x->ifname);
	}
	info->tc_prog_id = opts.prog_id;
	info->flags |= ST2110_XDP_INFO_F_TC_MIRROR;
	return 0;
}

/* Remove our tc filter (only if it still runs our program) and our clsact. */
static int st2110_tc_detach(const struct st2110_xdp_attach_info *info)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = info->ifindex,
		    .attach_point = BPF_TC_INGRESS);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = ST2110_XDP_TC_HANDLE,
		    .priority = ST2110_XDP_TC_PRIORITY);
	int err = 0;

	if (info->flags & ST2110_XDP_INFO_F_TC_MIRROR) {
		err = bpf_tc_query(&hook, &opts);
		if (!err && opts.prog_id == info->tc_prog_id) {
			opts.prog_id = 0;
			opts.prog_fd = 0;
			opts.flags = 0;
			err = bpf_tc_detach(&hook, &opts);
		}
		if (err == -ENOENT || err == -ENODEV || err == -EINVAL)
			err = 0;
	}
	if (info->flags & ST2110_XDP_INFO_F_CLSACT_CREATED) {
		hook.attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS;
		bpf_tc_hook_destroy(&hook);
	}
	return err;
}

static int st2110_xdp_detach_prog(const struct st2110_xdp_attach_info *info)
{
	struct xdp_program *prog;
	int err;

	prog = xdp_program__from_id(info->xdp_prog_id);
	if (libxdp_get_error(prog))
		return 0;	/* program gone: the interface went away */
	err = xdp_program__detach(prog, info->ifindex,
				  info->flags & ST2110_XDP_INFO_F_GENERIC ? XDP_MODE_SKB :
									  XDP_MODE_NATIVE, 0);
	xdp_program__close(prog);
	if (err == -ENOENT || err == -ENODEV)
		err = 0;
	return err;
}

/* Attach with LIBXDP_SKIP_DISPATCHER set or unset, restoring it after. */
static int st2110_xdp_libxdp_attach(struct xdp_program *prog, unsigned int ifindex,
				    enum xdp_attach_mode mode, bool skip_dispatcher)
{
	char *old = getenv(ST2110_XDP_SKIP_ENV);
	char *saved = old ? strdup(old) : NULL;
	int err;

	if (old && !saved)
		return -ENOMEM;
	if (skip_dispatcher)
		setenv(ST2110_XDP_SKIP_ENV, "1", 1);
	else
		unsetenv(ST2110_XDP_SKIP_ENV);
	err = xdp_program__attach(prog, ifindex, mode, 0);
	if (saved)
		setenv(ST2110_XDP_SKIP_ENV, saved, 1);
	else
		unsetenv(ST2110_XDP_SKIP_ENV);
	free(saved);
	return err;
}

static int st2110_xdp_is_dispatched(unsigned int ifindex, bool *dispatched)
{
	struct xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(ifindex);
	int err = libxdp_get_error(mp);

	if (err)
		return err;
	if (!mp)
		return -ENOENT;
	*dispatched = !xdp_multiprog__is_legacy(mp);
	xdp_multiprog__close(mp);
	return 0;
}

static int st2110_xdp_open_skel(struct st2110_xdp *x, const struct st2110_xdp_opts *opts)
{
	x->skel = st2110_xdp_bpf__open();
	if (!x->skel)
		return st2110_xdp_fail(-errno, "open BPF object");
	x->ts_source = opts ? opts->ts_source : ST2110_XDP_TS_KTIME_TAI;
	/* before 6.1 there is no bpf_ktime_get_tai_ns(): monotonic + offset */
	if (x->ts_source == ST2110_XDP_TS_KTIME_TAI &&
	    libbpf_probe_bpf_helper(BPF_PROG_TYPE_XDP, BPF_FUNC_ktime_get_tai_ns, NULL) == 0)
		x->ts_source = ST2110_XDP_TS_MONO_OFFSET;
	x->skel->rodata->st2110_ts_source = x->ts_source;
	return 0;
}

/* Before load: take the merges map pinned by opts->share_merges' instance. */
static int st2110_reuse_merges(struct st2110_xdp *x, const struct st2110_xdp_opts *opts)
{
	char dir[PATH_MAX], path[PATH_MAX];
	int fd, err;

	if (!*opts->share_merges || strlen(opts->share_merges) >= IF_NAMESIZE ||
	    strchr(opts->share_merges, '/'))
		return st2110_xdp_fail(-EINVAL, "invalid interface name to share merges with");
	if (!strcmp(opts->share_merges, x->ifname))
		return st2110_xdp_fail(-EINVAL, "an interface cannot share merges with itself");
	if (st2110_pin_dir(dir, sizeof(dir), opts->pin_root, opts->share_merges) ||
	    st2110_pin_path(path, sizeof(path), dir, ST2110_XDP_PIN_MERGES))
		return st2110_xdp_fail(-ENAMETOOLONG, "pin path");
	fd = bpf_obj_get(path);
	if (fd < 0)
		return st2110_xdp_fail(-ENOENT, "no ST 2110 XDP program attached to %s to share merges with",
				       opts->share_merges);
	err = bpf_map__reuse_fd(x->skel->maps.st2110_merges, fd);
	close(fd);	/* reuse_fd keeps a duplicate */
	if (err)
		return st2110_xdp_fail(err, "share the merges map of %s", opts->share_merges);
	return 0;
}

static __u64 st2110_ts_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + (__u64)ts.tv_nsec;
}

int st2110_xdp_clock_sync(struct st2110_xdp *x)
{
	struct st2110_xdp_config cfg;
	__u64 t1, m, t2;
	__u32 zero = 0;

	/* TAI around MONOTONIC: the midpoint halves the read-out error */
	t1 = st2110_ts_ns(CLOCK_TAI);
	m = st2110_ts_ns(CLOCK_MONOTONIC);
	t2 = st2110_ts_ns(CLOCK_TAI);
	if (bpf_map_lookup_elem(x->config_fd, &zero, &cfg))
		return st2110_xdp_fail(-errno, "read config");
	cfg.mono_to_tai_ns = t1 + (t2 - t1) / 2 - m;
	if (bpf_map_update_elem(x->config_fd, &zero, &cfg, BPF_EXIST))
		return st2110_xdp_fail(-errno, "write config");
	return 0;
}

enum st2110_xdp_ts_source st2110_xdp_ts_source(const struct st2110_xdp *x)
{
	return x->ts_source;
}

int st2110_xdp_load(const struct st2110_xdp_opts *opts, struct st2110_xdp **out)
{
	struct st2110_xdp *x = st2110_xdp_alloc();
	int err;

	st2110_xdp_clear_err();
	if (!x)
		return st2110_xdp_fail(-ENOMEM, "allocate handle");
	if (opts && (opts->ts_source > ST2110_XDP_TS_MAX ||
		     opts->load_mode > ST2110_XDP_LOAD_DISPATCHER)) {
		free(x);
		return st2110_xdp_fail(-EINVAL, "invalid load options");
	}
	err = st2110_xdp_open_skel(x, opts);
	if (err)
		goto fail;
	err = st2110_xdp_bpf__load(x->skel);
	if (err) {
		st2110_xdp_fail(err, "load BPF program");
		goto fail;
	}
	st2110_xdp_take_skel_fds(x);
	err = st2110_xdp_clock_sync(x);
	if (err)
		goto fail;
	*out = x;
	return 0;
fail:
	st2110_xdp_close(x);
	return err;
}

int st2110_xdp_attach(const char *ifname, const struct st2110_xdp_opts *opts,
		      struct st2110_xdp **out)
{
	static const struct st2110_xdp_opts defaults;
	struct st2110_xdp_attach_info info = {};
	char dir[PATH_MAX];
	struct st2110_xdp *x;
	unsigned int ifindex;
	bool dispatched = false, attached = false, dir_made = false;
	enum xdp_attach_mode mode;
	__u32 zero = 0;
	int err;

	st2110_xdp_clear_err();
	if (!opts)
		opts = &defaults;
	if (opts->load_mode > ST2110_XDP_LOAD_DISPATCHER ||
	    opts->ts_source > ST2110_XDP_TS_MAX || opts->xdp_mode > ST2110_XDP_MODE_GENERIC)
		return st2110_xdp_fail(-EINVAL, "invalid attach options");
	mode = opts->xdp_mode == ST2110_XDP_MODE_GENERIC ? XDP_MODE_SKB : XDP_MODE_NATIVE;
	err = st2110_check_ifname(ifname, &ifindex);
	if (err)
		return err;
	err = st2110_pin_dir(dir, sizeof(dir), opts->pin_root, ifname);
	if (err)
		return st2110_xdp_fail(err, "pin path");
	err = st2110_check_bpffs(opts->pin_root);
	if (err)
		return err;

	x = st2110_xdp_alloc();
	if (!x)
		return st2110_xdp_fail(-ENOMEM, "allocate handle");
	snprintf(x->ifname, sizeof(x->ifname), "%s", ifname);

	if (mkdir(st2110_pin_root(opts->pin_root), 0700) && errno != EEXIST) {
		err = st2110_xdp_fail(-errno, "mkdir %s", st2110_pin_root(opts->pin_root));
		goto fail;
	}
	if (mkdir(dir, 0700)) {
		err = -errno;
		if (err == -EEXIST)
			st2110_xdp_fail(err, "%s already has pins at %s (detach first)",
					ifname, dir);
		else
			st2110_xdp_fail(err, "mkdir %s", dir);
		goto fail;
	}
	dir_made = true;

	err = st2110_xdp_open_skel(x, opts);
	if (err)
		goto fail;
	if (opts->share_merges) {
		err = st2110_reuse_merges(x, opts);
		if (err)
			goto fail;
		info.flags |= ST2110_XDP_INFO_F_SHARED_MERGES;
	}
	x->xprog = xdp_program__from_bpf_obj(x->skel->obj, "xdp");
	err = libxdp_get_error(x->xprog);
	if (err) {
		x->xprog = NULL;
		st2110_xdp_fail(err, "libxdp program from object");
		goto fail;
	}
	err = st2110_xdp_libxdp_attach(x->xprog, ifindex, mode,
				       opts->load_mode == ST2110_XDP_LOAD_SINGLE);
	if (err) {
		st2110_xdp_fail(err, "attach XDP (%s mode) to %s",
				mode == XDP_MODE_SKB ? "generic" : "native", ifname);
		goto fail;
	}
	attached = true;
	st2110_xdp_take_skel_fds(x);
	err = st2110_xdp_clock_sync(x);
	if (err)
		goto fail;
	info.ifindex = ifindex;
	info.xdp_prog_id = xdp_program__id(x->xprog);

	err = st2110_xdp_is_dispatched(ifindex, &dispatched);
	if (err) {
		st2110_xdp_fail(err, "query XDP on %s", ifname);
		goto fail;
	}
	if (dispatched)
		info.flags |= ST2110_XDP_INFO_F_DISPATCHER;
	if (mode == XDP_MODE_SKB)
		info.flags |= ST2110_XDP_INFO_F_GENERIC;
	if (opts->load_mode == ST2110_XDP_LOAD_DISPATCHER && !dispatched) {
		err = st2110_xdp_fail(-EOPNOTSUPP,
				      "libxdp dispatcher refused by this kernel on %s",
				      ifname);
		goto fail;
	}

	if (!opts->no_tc_mirror) {
		err = st2110_tc_attach(x, ifindex, &info);
		if (err)
			goto fail;
	}
	if (bpf_map_update_elem(x->info_fd, &zero, &info, BPF_ANY)) {
		err = st2110_xdp_fail(-errno, "write attach info");
		goto fail;
	}
	err = st2110_pins_create(x, dir);
	if (err)
		goto fail;
	*out = x;
	return 0;

fail:
	st2110_tc_detach(&info);
	if (attached)
		xdp_program__detach(x->xprog, ifindex, mode, 0);
	if (dir_made)
		st2110_pins_remove(opts->pin_root, dir);
	st2110_xdp_close(x);
	return err;
}

static int st2110_xdp_open_pins(struct st2110_xdp *x, const char *dir)
{
	char path[PATH_MAX];
	size_t i;
	int fd;

	for (i = 0; i < ST2110_NR_PINS; i++) {
		if (st2110_pin_path(path, sizeof(path), dir, st2110_pins[i].name))
			return st2110_xdp_fail(-ENAMETOOLONG, "pin path");
		fd = bpf_obj_get(path);
		if (fd < 0)
			return st2110_xdp_fail(-errno, "open pinned map %s", path);
		*st2110_pin_fd(x, &st2110_pins[i]) = fd;
	}
	return 0;
}

int st2110_xdp_open(const char *ifname, const char *pin_root, struct st2110_xdp **out)
{
	struct st2110_xdp_attach_info info;
	char dir[PATH_MAX];
	struct st2110_xdp *x;
	int err;

	st2110_xdp_clear_err();
	if (!ifname || !*ifname || strlen(ifname) >= IF_NAMESIZE || strchr(ifname, '/'))
		return st2110_xdp_fail(-EINVAL, "invalid interface name");
	err = st2110_pin_dir(dir, sizeof(dir), pin_root, ifname);
	if (err)
		return st2110_xdp_fail(err, "pin path");
	if (access(dir, F_OK))
		return st2110_xdp_fail(-ENOENT, "no ST 2110 XDP program attached to %s", ifname);

	x = st2110_xdp_alloc();
	if (!x)
		return st2110_xdp_fail(-ENOMEM, "allocate handle");
	x->own_fds = true;
	snprintf(x->ifname, sizeof(x->ifname), "%s", ifname);
	err = st2110_xdp_open_pins(x, dir);
	if (err)
		goto fail;
	err = st2110_xdp_info(x, &info);
	if (err)
		goto fail;
	/* For BPF_PROG_TEST_RUN and queries; absent if the program is gone. */
	x->prog_fd = bpf_prog_get_fd_by_id(info.xdp_prog_id);
	if (x->prog_fd < 0)
		x->prog_fd = -1;
	*out = x;
	return 0;
fail:
	st2110_xdp_close(x);
	return err;
}

int st2110_xdp_detach(const char *ifname, const char *pin_root)
{
	struct st2110_xdp_attach_info info;
	struct st2110_xdp *x;
	char dir[PATH_MAX];
	int err, ret;

	err = st2110_xdp_open(ifname, pin_root, &x);
	if (err)
		return err;
	err = st2110_xdp_info(x, &info);
	st2110_xdp_close(x);
	if (err)
		return err;
	/*
	 * By the ifindex recorded at attach time: the name may have moved.
	 * Removal goes on after an error so that as little as possible stays.
	 */
	ret = st2110_xdp_detach_prog(&info);
	if (ret)
		st2110_xdp_fail(ret, "detach XDP from ifindex %u", info.ifindex);
	err = st2110_tc_detach(&info);
	if (err && !ret)
		ret = st2110_xdp_fail(err, "detach tc mirror from ifindex %u", info.ifindex);
	st2110_pin_dir(dir, sizeof(dir), pin_root, ifname);
	st2110_pins_remove(pin_root, dir);
	return ret;
}

void st2110_xdp_close(struct st2110_xdp *x)
{
	size_t i;
	int fd;

	if (!x)
		return;
	if (x->xprog)
		xdp_program__close(x->xprog);
	if (x->skel)
		st2110_xdp_bpf__destroy(x->skel);
	if (x->own_fds) {
		for (i = 0; i < ST2110_NR_PINS; i++) {
			fd = *st2110_pin_fd(x, &st2110_pins[i]);
			if (fd >= 0)
				close(fd);
		}
		if (x->prog_fd >= 0)
			close(x->prog_fd);
	}
	free(x);
}

int st2110_xdp_prog_fd(const struct st2110_xdp *x)
{
	return x->prog_fd >= 0 ? x->prog_fd : -ENOENT;
}

int st2110_xdp_events_fd(const struct st2110_xdp *x)
{
	return x->events_fd >= 0 ? x->events_fd : -ENOENT;
}

int st2110_xdp_info(const struct st2110_xdp *x, struct st2110_xdp_attach_info *info)
{
	__u32 zero = 0;

	if (bpf_map_lookup_elem(x->info_fd, &zero, info))
		return st2110_xdp_fail(-errno, "read attach info");
	return 0;
}
