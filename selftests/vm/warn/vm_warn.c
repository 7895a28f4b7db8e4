// SPDX-License-Identifier: GPL-2.0
/*
 * vm_warn - provoke one kernel WARN on load.
 *
 * The test bed must fail a run whose guest kernel warns.  To prove it, the
 * self-test needs a WARN on demand, and stock Debian kernels offer none
 * (no LKDTM, and no root interface warns on purpose), hence this module.
 * It stays loaded: the point is the warning, and with panic_on_warn=1 the
 * guest does not survive it anyway.
 */
#include <linux/bug.h>
#include <linux/init.h>
#include <linux/module.h>

static int __init vm_warn_init(void)
{
	WARN(1, "vm_warn: deliberate warning from the test bed self-test\n");
	return 0;
}

static void __exit vm_warn_exit(void)
{
}

module_init(vm_warn_init);
module_exit(vm_warn_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Deliberate WARN for the QEMU test bed self-test");
