// SPDX-License-Identifier: GPL-2.0
/* netns.c - enter a named network namespace like "ip -n" (see netns.h). */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "netns.h"

int st2110_netns_switch(const char *name, char *err, size_t errlen)
{
	char path[4096];
	unsigned long flags = 0;
	struct statvfs sv;
	int fd, e;

	if (!*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, "..")) {
		snprintf(err, errlen, "Invalid network namespace name \"%s\"", name);
		return -EINVAL;
	}
	snprintf(path, sizeof(path), "%s/%s", ST2110_NETNS_RUN_DIR, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		snprintf(err, errlen, "Cannot open network namespace \"%s\": %s", name, strerror(e));
		return -e;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		e = errno;
		close(fd);
		snprintf(err, errlen, "setting the network namespace \"%s\" failed: %s",
			 name, strerror(e));
		return -e;
	}
	close(fd);
	/*
	 * sysfs shows the network namespace of whoever mounted it: give this
	 * process its own mount namespace, keep mount events from leaking back
	 * to the host, and mount a fresh /sys for the new namespace.
	 */
	if (unshare(CLONE_NEWNS) < 0) {
		e = errno;
		snprintf(err, errlen, "unshare(CLONE_NEWNS) failed: %s", strerror(e));
		return -e;
	}
	if (mount("", "/", "none", MS_SLAVE | MS_REC, NULL)) {
		e = errno;
		snprintf(err, errlen, "\"mount --make-rslave /\" failed: %s", strerror(e));
		return -e;
	}
	if (umount2("/sys", MNT_DETACH) < 0) {
		/* nothing mounted on /sys: keep the flags of what is there */
		if (statvfs("/sys", &sv) == 0 && (sv.f_flag & ST_RDONLY))
			flags = MS_RDONLY;
	}
	if (mount(name, "/sys", "sysfs", flags, NULL) < 0) {
		e = errno;
		snprintf(err, errlen, "mount of /sys failed: %s", strerror(e));
		return -e;
	}
	return 0;
}
