// SPDX-License-Identifier: GPL-2.0
/*
 * xdp.c - "st2110 xdp": the ST 2110 XDP program on an interface.
 *
 *   st2110 xdp attach dev DEV [ mode { native | generic } ] [ default { pass | drop } ]
 *                             [ dispatcher { auto | on | off } ] [ share-merges DEV2 ]
 *   st2110 xdp set dev DEV default { pass | drop }
 *   st2110 xdp detach dev DEV
 *   st2110 [ -s ] [ -j ] xdp show [ dev DEV ]
 *
 * The program and its maps come from the loader library
 * (userspace/bpf/xdp_loader.h); an attached instance is found again from its
 * pins under /sys/fs/bpf/st2110/<DEV>/, which is all that "route" and "flow"
 * need. This file also holds what the three XDP objects share (xdp_cli.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stddef.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/magic.h>

#include "json.h"
#include "st2110.h"
#include "xdp_cli.h"

#ifndef CAP_BPF
#define CAP_BPF 39
#endif

#define BPFFS_DIR	"/sys/fs/bpf"

/* ---- shared by xdp.c, route.c, flow.c ----------------------------------- */

/*
 * "-n NETNS" (st2110.c, before any object runs) gives the process a private
 * mount namespace with a fresh sysfs on /sys, which hides the bpffs mounted
 * on /sys/fs/bpf, and a new bpffs mount would be a new, empty instance. So
 * the bpffs directory is opened before main() and reached later through
 * /proc/self/fd/N: the pins stay the host's pins, as "ip -n" users expect.
 */
static int bpffs_fd = -1;
static ino_t start_mntns_ino;
static char pin_root_buf[64];

__attribute__((constructor))
static void xdp_cli_keep_bpffs(void)
{
	struct stat st;

	bpffs_fd = open(BPFFS_DIR, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (!stat("/proc/self/ns/mnt", &st))
		start_mntns_ino = st.st_ino;
}

static bool is_bpffs(const char *path)
{
	struct statfs sf;

	return !statfs(path, &sf) && sf.f_type == BPF_FS_MAGIC;
}

static bool same_mount_ns(void)
{
	struct stat st;

	return !stat("/proc/self/ns/mnt", &st) && st.st_ino == start_mntns_ino;
}

const char *xdp_cli_pin_root(bool create)
{
	struct statfs sf;

	if (is_bpffs(BPFFS_DIR))
		return ST2110_XDP_PIN_ROOT;
	if (bpffs_fd >= 0 && !fstatfs(bpffs_fd, &sf) && sf.f_type == BPF_FS_MAGIC) {
		snprintf(pin_root_buf, sizeof(pin_root_buf), "/proc/self/fd/%d", bpffs_fd);
		/* libxdp keeps its lock and dispatcher pins there as well */
		setenv("LIBXDP_BPFFS", pin_root_buf, 1);
		snprintf(pin_root_buf, sizeof(pin_root_buf), "/proc/self/fd/%d/st2110", bpffs_fd);
		return pin_root_buf;
	}
	if (!create)
		return NULL;
	/* A bpffs mounted in a namespace that ends with us would lose the pins. */
	if (!same_mount_ns()) {
		errorf(EXIT_RUNTIME, "no bpffs on %s to pin the maps in: mount it first (mount -t bpf bpf %s)",
		       BPFFS_DIR, BPFFS_DIR);
		return NULL;
	}
	if (mount("bpf", BPFFS_DIR, "bpf", 0, "mode=0700")) {
		errorf(EXIT_RUNTIME, "mount bpffs on %s: %s", BPFFS_DIR, strerror(errno));
		return NULL;
	}
	return ST2110_XDP_PIN_ROOT;
}

static bool has_cap(const struct __user_cap_data_struct *d, unsigned int cap)
{
	return d[cap / 32].effective & (1U << (cap % 32));
}

int xdp_cli_need_caps(bool write)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3] = {};
	bool bpf, net;

	if (syscall(SYS_capget, &h, d))
		return errorf(EXIT_RUNTIME, "capget: %s", strerror(errno));
	bpf = has_cap(d, CAP_BPF) || has_cap(d, CAP_SYS_ADMIN);
	net = has_cap(d, CAP_NET_ADMIN);
	if (bpf && (net || !write))
		return EXIT_OK;
	return errorf(EXIT_RUNTIME, "%s needs CAP_BPF (or CAP_SYS_ADMIN)%s: run as root",
		      write ? "changing the XDP program or its tables" : "reading the XDP tables",
		      write ? " and CAP_NET_ADMIN" : "");
}

int xdp_cli_fail(const char *what)
{
	const char *msg = st2110_xdp_errmsg();

	if (*msg)
		return errorf(EXIT_RUNTIME, "%s: %s", what, msg);
	return errorf(EXIT_RUNTIME, "%s failed", what);
}

static int no_instance(const char *dev)
{
	return errorf(EXIT_RUNTIME, "no st2110 XDP program attached to %s", dev);
}

static int check_dev(const char *dev)
{
	if (strlen(dev) >= IF_NAMESIZE || !if_nametoindex(dev))
		return errorf(EXIT_RUNTIME, "Cannot find device \"%s\"", dev);
	return EXIT_OK;
}

int xdp_cli_open(const char *dev, struct st2110_xdp **x)
{
	const char *root;
	int err;

	err = check_dev(dev);
	if (err)
		return err;
	root = xdp_cli_pin_root(false);
	if (!root)
		return no_instance(dev);
	err = st2110_xdp_open(dev, root, x);
	if (err == -ENOENT)
		return no_instance(dev);
	if (err)
		return xdp_cli_fail(dev);
	return EXIT_OK;
}

/*
 * The pins are per interface name in one bpffs for all namespaces: an
 * instance is this namespace's if its recorded ifindex has that name here.
 */
static bool instance_here(const char *root, const char *dev)
{
	struct st2110_xdp_attach_info info;
	char name[IF_NAMESIZE];
	struct st2110_xdp *x;
	bool here;

	if (st2110_xdp_open(dev, root, &x))
		return false;
	here = !st2110_xdp_info(x, &info) && if_indextoname(info.ifindex, name) &&
	       !strcmp(name, dev);
	st2110_xdp_close(x);
	return here;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int xdp_cli_foreach(int (*fn)(const char *dev, void *arg), void *arg)
{
	const char *root = xdp_cli_pin_root(false);
	char *names[1024];
	size_t n = 0, i;
	struct dirent *de;
	int ret = EXIT_OK;
	DIR *d;

	if (!root)
		return EXIT_OK;
	d = opendir(root);
	if (!d) {
		if (errno == ENOENT)
			return EXIT_OK;
		return errorf(EXIT_RUNTIME, "%s: %s", root, strerror(errno));
	}
	while ((de = readdir(d)) && n < ARRAY_SIZE(names)) {
		if (de->d_name[0] == '.' || de->d_type != DT_DIR)
			continue;
		names[n] = strdup(de->d_name);
		if (names[n])
			n++;
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_str);
	for (i = 0; i < n; i++) {
		if (ret == EXIT_OK && instance_here(root, names[i]))
			ret = fn(names[i], arg);
		free(names[i]);
	}
	return ret;
}

const char *xdp_cli_ifname(unsigned int ifindex, char *buf, size_t len)
{
	char name[IF_NAMESIZE];

	if (if_indextoname(ifindex, name))
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "if%u", ifindex);
	return buf;
}

/* ---- st2110 xdp --------------------------------------------------------- */

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: st2110 xdp attach dev DEV [ mode { native | generic } ]\n"
		"                         [ default { pass | drop } ] [ dispatcher { auto | on | off } ]\n"
		"                         [ share-merges DEV2 ]\n"
		"       st2110 xdp set dev DEV default { pass | drop }\n"
		"       st2110 xdp detach dev DEV\n"
		"       st2110 [ -s ] [ -j ] xdp show [ dev DEV ]\n"
		"       st2110 xdp help\n");
}

static int parse_default(const char *s, __u32 *action)
{
	if (!matches(s, "pass"))
		*action = ST2110_XDP_ACT_PASS;
	else if (!matches(s, "drop"))
		*action = ST2110_XDP_ACT_DROP;
	else
		return errorf(EXIT_USAGE, "default must be \"pass\" or \"drop\", not \"%s\"", s);
	return EXIT_OK;
}

/* Parsed words of attach/set/detach/show. */
struct xdp_args {
	const char *dev;
	bool has_default;
	__u32 unmatched;
	enum st2110_xdp_load_mode load_mode;
	enum st2110_xdp_mode xdp_mode;
	const char *share_merges;
};

static int parse_args(int argc, char **argv, bool attach, bool set, struct xdp_args *a)
{
	int err;

	memset(a, 0, sizeof(*a));
	while (argc > 0) {
		if (!strcmp(*argv, "dev")) {
			NEXT_ARG();
			if (a->dev)
				return errorf(EXIT_USAGE, "dev given twice");
			a->dev = *argv;
		} else if ((attach || set) && !matches(*argv, "default")) {
			NEXT_ARG();
			err = parse_default(*argv, &a->unmatched);
			if (err)
				return err;
			a->has_default = true;
		} else if (attach && !matches(*argv, "mode")) {
			NEXT_ARG();
			if (!matches(*argv, "generic") || !matches(*argv, "skb"))
				a->xdp_mode = ST2110_XDP_MODE_GENERIC;
			else if (!matches(*argv, "native") || !matches(*argv, "drv"))
				a->xdp_mode = ST2110_XDP_MODE_NATIVE;
			else
				return errorf(EXIT_USAGE, "mode must be \"native\" or \"generic\", not \"%s\"",
					      *argv);
		} else if (attach && !strcmp(*argv, "share-merges")) {
			NEXT_ARG();
			a->share_merges = *argv;
		} else if (attach && !matches(*argv, "dispatcher")) {
			NEXT_ARG();
			if (!matches(*argv, "auto"))
				a->load_mode = ST2110_XDP_LOAD_AUTO;
			else if (!strcmp(*argv, "on"))
				a->load_mode = ST2110_XDP_LOAD_DISPATCHER;
			else if (!strcmp(*argv, "off"))
				a->load_mode = ST2110_XDP_LOAD_SINGLE;
			else
				return errorf(EXIT_USAGE, "dispatcher must be auto, on or off, not \"%s\"",
					      *argv);
		} else if (!matches(*argv, "help")) {
			usage(stdout);
			return -1;
		} else {
			return errorf(EXIT_USAGE, "unknown argument \"%s\", try \"st2110 xdp help\"",
				      *argv);
		}
		argc--;
		argv++;
	}
	return EXIT_OK;
}

static int do_attach(int argc, char **argv)
{
	struct st2110_xdp_opts opts = {};
	struct st2110_xdp *x;
	struct xdp_args a;
	int err;

	err = parse_args(argc, argv, true, false, &a);
	if (err)
		return err < 0 ? EXIT_OK : err;
	if (!a.dev)
		return errorf(EXIT_USAGE, "attach needs \"dev DEV\"");
	err = xdp_cli_need_caps(true);
	if (err)
		return err;
	err = check_dev(a.dev);
	if (err)
		return err;
	opts.pin_root = xdp_cli_pin_root(true);
	if (!opts.pin_root)
		return EXIT_RUNTIME;
	opts.load_mode = a.load_mode;
	opts.xdp_mode = a.xdp_mode;
	opts.share_merges = a.share_merges;
	if (a.share_merges && !strcmp(a.share_merges, a.dev))
		return errorf(EXIT_USAGE, "share-merges names another interface, not %s itself", a.dev);
	if (a.share_merges) {
		err = xdp_cli_open(a.share_merges, &x);
		if (err)
			return err;
		st2110_xdp_close(x);
	}
	st2110_xdp_quiet_libs();
	err = st2110_xdp_attach(a.dev, &opts, &x);
	if (err)
		return xdp_cli_fail(a.dev);
	if (a.has_default && st2110_xdp_set_unmatched(x, a.unmatched)) {
		err = xdp_cli_fail("default");
		st2110_xdp_close(x);
		/* all or nothing: an attach without its default is not what was asked */
		st2110_xdp_detach(a.dev, opts.pin_root);
		return err;
	}
	st2110_xdp_close(x);
	return EXIT_OK;
}

static int do_set(int argc, char **argv)
{
	struct st2110_xdp *x;
	struct xdp_args a;
	int err;

	err = parse_args(argc, argv, false, true, &a);
	if (err)
		return err < 0 ? EXIT_OK : err;
	if (!a.dev)
		return errorf(EXIT_USAGE, "set needs \"dev DEV\"");
	if (!a.has_default)
		return errorf(EXIT_USAGE, "set needs \"default pass\" or \"default drop\"");
	err = xdp_cli_need_caps(true);
	if (err)
		return err;
	err = xdp_cli_open(a.dev, &x);
	if (err)
		return err;
	if (st2110_xdp_set_unmatched(x, a.unmatched))
		err = xdp_cli_fail(a.dev);
	st2110_xdp_close(x);
	return err;
}

static int do_detach(int argc, char **argv)
{
	const char *root;
	struct xdp_args a;
	int err;

	err = parse_args(argc, argv, false, false, &a);
	if (err)
		return err < 0 ? EXIT_OK : err;
	if (!a.dev)
		return errorf(EXIT_USAGE, "detach needs \"dev DEV\"");
	err = xdp_cli_need_caps(true);
	if (err)
		return err;
	/* no device check: detach must work for a name whose device went away */
	root = xdp_cli_pin_root(false);
	if (!root)
		return no_instance(a.dev);
	st2110_xdp_quiet_libs();
	err = st2110_xdp_detach(a.dev, root);
	if (err == -ENOENT)
		return no_instance(a.dev);
	if (err)
		return xdp_cli_fail(a.dev);
	return EXIT_OK;
}

static unsigned int count_keys(int (*next)(const struct st2110_xdp *,
					   const struct st2110_xdp_key *,
					   struct st2110_xdp_key *),
			       const struct st2110_xdp *x)
{
	struct st2110_xdp_key k, prev;
	unsigned int n = 0;

	while (!next(x, n ? &prev : NULL, &k)) {
		prev = k;
		n++;
	}
	return n;
}

/* The counters, in uapi order; the JSON names are the uapi names. */
struct ctr_field {
	const char *name;
	size_t off;
};

#define CTR(f)	{ #f, offsetof(struct st2110_xdp_counters, f) }
static const struct ctr_field ctr_fields[] = {
	CTR(rx_packets), CTR(not_mcast_udp), CTR(malformed), CTR(fragments),
	CTR(unsupported), CTR(unmatched_pass), CTR(unmatched_drop), CTR(unmatched_exempt),
	CTR(route_pass), CTR(route_drop), CTR(route_redirect), CTR(route_redirect_pass),
	CTR(redirect_no_set), CTR(flow_table_full), CTR(tc_mirrored), CTR(tc_mirror_errors),
	CTR(switches_clean), CTR(switches_forced), CTR(merge_dropped), CTR(ttl_expired),
	CTR(src_mac_missing), CTR(events),
	CTR(events_dropped),
};

static uint64_t ctr_value(const struct st2110_xdp_counters *c, const struct ctr_field *f)
{
	__u64 v;

	memcpy(&v, (const char *)c + f->off, sizeof(v));
	return v;
}

static json_t *counters_json(const struct st2110_xdp_counters *c)
{
	json_t *o = json_object();
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ctr_fields); i++)
		st2110_json_set(o, ctr_fields[i].name, st2110_json_u64(ctr_value(c, &ctr_fields[i])));
	return o;
}

static void counters_text(const struct st2110_xdp_counters *c)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ctr_fields); i++)
		printf("%s%s %" PRIu64, i % 4 ? "  " : "\n    ", ctr_fields[i].name,
		       ctr_value(c, &ctr_fields[i]));
	printf("\n");
}

static int show_one(const char *dev, void *arg)
{
	json_t *arr = arg, *o;
	struct st2110_xdp_attach_info info;
	struct st2110_xdp_config cfg;
	struct st2110_xdp_counters c;
	struct st2110_xdp *x;
	unsigned int routes, flows;
	char name[IF_NAMESIZE + 8];
	int err;

	err = st2110_xdp_open(dev, xdp_cli_pin_root(false), &x);
	if (err == -ENOENT)
		return no_instance(dev);
	if (err)
		return xdp_cli_fail(dev);
	if (st2110_xdp_info(x, &info) || st2110_xdp_get_config(x, &cfg) ||
	    (show_stats && st2110_xdp_counters(x, &c))) {
		st2110_xdp_close(x);
		return xdp_cli_fail(dev);
	}
	routes = count_keys(st2110_xdp_route_next, x);
	flows = count_keys(st2110_xdp_flow_next, x);
	st2110_xdp_close(x);

	if (!json) {
		printf("%s: xdp %s prog_id %u mode %s", dev,
		       info.flags & ST2110_XDP_INFO_F_DISPATCHER ? "dispatcher" : "single",
		       info.xdp_prog_id,
		       info.flags & ST2110_XDP_INFO_F_GENERIC ? "generic" : "native");
		if (info.flags & ST2110_XDP_INFO_F_TC_MIRROR)
			printf(" tc_mirror prog_id %u", info.tc_prog_id);
		if (info.flags & ST2110_XDP_INFO_F_SHARED_MERGES)
			printf(" shared_merges");
		printf(" default %s routes %u flows %u",
		       cfg.unmatched_action == ST2110_XDP_ACT_DROP ? "drop" : "pass",
		       routes, flows);
		if (show_details)
			printf(" ifindex %u (%s)", info.ifindex,
			       xdp_cli_ifname(info.ifindex, name, sizeof(name)));
		if (show_stats)
			counters_text(&c);
		else
			printf("\n");
		return EXIT_OK;
	}
	o = json_object();
	st2110_json_set(o, "dev", json_string(dev));
	st2110_json_set(o, "ifindex", json_integer(info.ifindex));
	st2110_json_set(o, "prog_id", json_integer(info.xdp_prog_id));
	st2110_json_set(o, "dispatcher",
			json_boolean(info.flags & ST2110_XDP_INFO_F_DISPATCHER));
	st2110_json_set(o, "mode", json_string(info.flags & ST2110_XDP_INFO_F_GENERIC ?
						 "generic" : "native"));
	st2110_json_set(o, "tc_mirror", json_boolean(info.flags & ST2110_XDP_INFO_F_TC_MIRROR));
	st2110_json_set(o, "shared_merges",
			json_boolean(info.flags & ST2110_XDP_INFO_F_SHARED_MERGES));
	if (info.flags & ST2110_XDP_INFO_F_TC_MIRROR)
		st2110_json_set(o, "tc_prog_id", json_integer(info.tc_prog_id));
	st2110_json_set(o, "default", json_string(cfg.unmatched_action == ST2110_XDP_ACT_DROP ?
						    "drop" : "pass"));
	st2110_json_set(o, "routes", json_integer(routes));
	st2110_json_set(o, "flows", json_integer(flows));
	if (show_stats)
		st2110_json_set(o, "stats", counters_json(&c));
	json_array_append_new(arr, o);
	return EXIT_OK;
}

static int do_show(int argc, char **argv)
{
	json_t *arr = json ? json_array() : NULL;
	struct st2110_xdp *x;
	struct xdp_args a;
	int err;

	err = parse_args(argc, argv, false, false, &a);
	if (err)
		return err < 0 ? EXIT_OK : err;
	err = xdp_cli_need_caps(false);
	if (err)
		goto out;
	if (a.dev) {
		/* the same checks and messages as the other commands */
		err = xdp_cli_open(a.dev, &x);
		if (err)
			goto out;
		st2110_xdp_close(x);
		err = show_one(a.dev, arr);
	} else {
		err = xdp_cli_foreach(show_one, arr);
	}
out:
	if (arr && err == EXIT_OK)
		st2110_json_print(stdout, arr, pretty);
	else
		json_decref(arr);
	return err;
}

int do_xdp(int argc, char **argv)
{
	if (argc < 1)
		return do_show(0, NULL);
	if (!matches(*argv, "attach"))
		return do_attach(argc - 1, argv + 1);
	if (!matches(*argv, "detach"))
		return do_detach(argc - 1, argv + 1);
	if (!matches(*argv, "show") || !matches(*argv, "list"))
		return do_show(argc - 1, argv + 1);
	if (!matches(*argv, "set"))
		return do_set(argc - 1, argv + 1);
	if (!matches(*argv, "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	return unknown_command("xdp", *argv);
}
