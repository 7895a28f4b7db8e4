#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# QEMU for selftests/vm/run-vm.sh (its QEMU variable) with one more device:
# an emulated Intel 82574 (e1000e), whose driver registers a PTP hardware
# clock.  No -netdev: the NIC has no backend, nothing leaves the guest.
exec "${ST2110_QEMU:-qemu-system-x86_64}" "$@" -device e1000e
