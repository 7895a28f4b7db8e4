#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh - the QEMU test bed's own suite for selftests/run.sh: one TAP 13
# stream from selftest.sh (see there; options are passed on).
exec "$(dirname "$(readlink -f "$0")")/selftest.sh" "$@"
