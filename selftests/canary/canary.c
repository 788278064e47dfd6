// SPDX-License-Identifier: GPL-2.0
/*
 * A module that WARNs once when loaded: make check-runner boots it to prove
 * that the VM runner's splat detector fails a run. Never load it elsewhere.
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init vmlab_canary_init(void)
{
	WARN(1, "vmlab canary: this warning must fail the run\n");
	return 0;
}

static void __exit vmlab_canary_exit(void)
{
}

module_init(vmlab_canary_init);
module_exit(vmlab_canary_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vmlab runner canary: WARNs on load");
