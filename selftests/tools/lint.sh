#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make lint: everything a netdev reviewer would run before reading the code.
#   - the module built with W=1 and sparse (C=1) against every installed
#     Debian header tree (6.1 and 6.12)
#   - the same for the TEST-ONLY module selftests/qdisc/launchtime/
#   - checkpatch.pl --strict on kmod/, that module and the uapi headers, taken from
#     Debian's linux-source tarball at lint time (never committed)
#   - cppcheck on userspace/ and the shared headers
# Exits non-zero if any of them reports a problem.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
O=${O:-$TOP/build}
cd "$TOP" || exit 1
rc=0

headers=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | grep -v -e -common | sort -V)
[ -n "$headers" ] || { echo "lint: no linux-headers-*-amd64 (make deps)" >&2; exit 1; }

for kd in $headers; do
	kver=${kd#/usr/src/linux-headers-}
	echo "== W=1 + sparse: $kver"
	# Kbuild prints nothing but warnings and errors with -s, and the 6.1
	# headers' note that they ship no vmlinux for BTF.
	log=$(make -s -C "$kd" M="$TOP/kmod" W=1 C=2 modules 2>&1 |
		grep -v '^Skipping BTF generation')
	if [ -n "$log" ]; then echo "$log"; rc=1; fi
	make -s -C "$kd" M="$TOP/kmod" clean
	# the TEST-ONLY LaunchTime netdevice, built in a scratch copy
	lt=$(mktemp -d)
	cp selftests/qdisc/launchtime/st2110_lt.c selftests/qdisc/launchtime/Kbuild "$lt/"
	log=$(make -s -C "$kd" M="$lt" W=1 C=2 modules 2>&1 |
		grep -v '^Skipping BTF generation')
	if [ -n "$log" ]; then echo "$log"; rc=1; fi
	rm -rf "$lt"
done

tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -1)
[ -n "$tarball" ] || { echo "lint: linux-source missing (make deps)" >&2; exit 1; }
src=$(basename "$tarball" .tar.xz)
cp_dir=$O/$src
if [ ! -x "$cp_dir/scripts/checkpatch.pl" ]; then
	mkdir -p "$O"
	tar -xJf "$tarball" -C "$O" "$src/scripts/checkpatch.pl" \
		"$src/scripts/spelling.txt" "$src/scripts/const_structs.checkpatch"
fi
echo "== checkpatch --strict ($src)"
# untracked (not ignored) files too: new work is linted before its commit
files=$(git ls-files --cached --others --exclude-standard 'kmod/*.c' 'kmod/*.h' 'include/uapi/*.h' \
	'selftests/qdisc/launchtime/*.c' 2>/dev/null)
[ -n "$files" ] || files=$(ls kmod/*.c kmod/*.h include/uapi/linux/*.h 2>/dev/null)
if [ -n "$files" ]; then
	# --no-tree: out of tree.  FILE_PATH_CHANGES is about MAINTAINERS
	# entries, which an out-of-tree module does not have.  CAMELCASE: with
	# no tree checkpatch cannot learn the kernel's own CamelCase type names
	# (struct Qdisc, Qdisc_ops, ...) from include/, the only ones we use.
	"$cp_dir/scripts/checkpatch.pl" --no-tree --strict --terse --show-types \
		--ignore FILE_PATH_CHANGES,CAMELCASE -f $files || rc=1
fi

echo "== cppcheck"
ufiles=$(find userspace include -name '*.c' -not -name '*.bpf.c' 2>/dev/null)
if [ -n "$ufiles" ]; then
	# cppcheck cannot expand libbpf's LIBBPF_OPTS() without the system
	# headers and would give up on those files with "unknownMacro".
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability,performance \
		--inline-suppr --suppress=unknownMacro --std=c11 -I include -I "$O" $ufiles || rc=1
fi

[ $rc -eq 0 ] && echo "lint: clean" || echo "lint: problems found"
exit $rc
