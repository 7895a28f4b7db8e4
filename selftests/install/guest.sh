#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# guest.sh [--list] - the in-guest half of the install suite.
#
# Runs as root inside a Debian kernel booted by selftests/vm/run-vm.sh, whose
# root is the host's, read-only, under a writable tmpfs overlay: installing
# into / here changes nothing on the host.  Installs st2110 for the running
# kernel with userspace/install.sh, loads the module by name, lets tc load it
# through the kernel's request_module("net-sch-st2110"), uninstalls, and
# checks that nothing is left; then the same through DKMS, with modules that
# run.sh built on the host (compiling under TCG takes minutes).
#
# Prints one line per test, "@@ STATUS NAME [SKIP-REASON]" (STATUS as for
# tap.sh's result: 0 ok, 4 skip, else failed), and diagnostics on other
# lines; run.sh turns that into TAP.  --list prints the test names.
#
# Environment (from run.sh through run-vm.sh --env):
#   ST2110_DKMS_TARBALL  dkms mktarball --binaries-only archive for this kernel
#   ST2110_DKMS_VERSION  its package version

# The tests are called by name from the list:
# shellcheck disable=SC2317
set -u

TESTS=(install_into_root modinfo_by_name modprobe_by_name tc_autoload
       tc_plugin_installed tools_and_man_pages bash_completion
       uninstall_leaves_nothing dkms_install_prebuilt dkms_uninstall
       reject_foreign_module)

if [ "${1:-}" = --list ]; then
	printf '%s\n' "${TESTS[@]}"
	exit 0
fi

# ST2110_INSTALL_TESTS="t1 t2": only these
[ -z "${ST2110_INSTALL_TESTS:-}" ] || read -r -a TESTS <<<"$ST2110_INSTALL_TESTS"

TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP" || exit 1
K=$(uname -r)
INSTALL=$TOP/userspace/install.sh
MANIFEST=/usr/local/share/st2110/install.manifest
TARBALL=${ST2110_DKMS_TARBALL:-}
DKVER=${ST2110_DKMS_VERSION:-}
SNAP=$(mktemp -d)
trap 'rm -rf "$SNAP"' EXIT

fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "SKIP: $*"; exit 4; }

# The places an install writes to, file names and contents, without the
# module index files that depmod rewrites.
snapshot()
{
	local tcdir

	tcdir=$(grep -aom1 '/usr/lib[[:alnum:]/_.-]*/tc/' "$(command -v tc)")
	# Over 9p under TCG every file costs: not the kernel's own modules,
	# not the header trees in /usr/src.
	{
		find /usr/local "$tcdir" /var/lib/dkms "/lib/modules/$K/extra" \
			"/lib/modules/$K/updates"
		find "/lib/modules/$K" /usr/src -maxdepth 1 ! -name 'modules.*'
	} 2>/dev/null | sort
}

# Nothing in the module index names us.
index_clean()
{
	! grep -q st2110 "/lib/modules/$K/modules.dep" "/lib/modules/$K/modules.alias"
}

loaded() { [ -d /sys/module/sch_st2110 ]; }

# rmmod after the last qdisc is gone: a deleted qdisc is freed after an RCU
# grace period, and until then the module is busy.
unload()
{
	local _

	for _ in $(seq 50); do
		loaded || return 0
		modprobe -r sch_st2110 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

install_into_root()
{
	[ -f "${O:-$TOP/build}/kmod/$K/sch_st2110.ko" ] ||
		fail "build/kmod/$K/sch_st2110.ko missing (make kmod-all)"
	snapshot >"$SNAP/before"
	"$INSTALL" install || fail "install.sh install: status $?"
	[ -f "$MANIFEST" ] || fail "no manifest $MANIFEST"
	grep -qx "f /lib/modules/$K/extra/sch_st2110.ko" "$MANIFEST" ||
		fail "manifest does not list the module: $(cat "$MANIFEST")"
	grep -q "^extra/sch_st2110.ko:" "/lib/modules/$K/modules.dep" ||
		fail "depmod did not index extra/sch_st2110.ko"
	while read -r type path; do
		[ "$type" != f ] || [ -f "$path" ] || fail "$path listed but not installed"
	done <"$MANIFEST"
}

modinfo_by_name()
{
	local f alias vm
	[ -f "$MANIFEST" ] || skip "not installed"
	f=$(modinfo -n sch_st2110) || fail "modinfo sch_st2110 does not find it"
	[ "$f" = "/lib/modules/$K/extra/sch_st2110.ko" ] || fail "modinfo -n: $f"
	alias=$(modinfo -F alias sch_st2110)
	[ "$alias" = net-sch-st2110 ] || fail "alias: '$alias', want net-sch-st2110"
	vm=$(modinfo -F vermagic sch_st2110)
	[ "${vm%% *}" = "$K" ] || fail "vermagic '$vm', kernel $K"
	# What tc's request_module("net-sch-st2110") resolves to
	f=$(modprobe -R net-sch-st2110) || fail "modprobe -R net-sch-st2110 resolves nothing"
	[ "$f" = sch_st2110 ] || fail "net-sch-st2110 resolves to '$f'"
	echo "modinfo: $f alias $alias vermagic ${vm%% *}"
}

modprobe_by_name()
{
	[ -f "$MANIFEST" ] || skip "not installed"
	unload || fail "sch_st2110 loaded before the test and cannot be removed"
	modprobe sch_st2110 || fail "modprobe sch_st2110: status $?"
	loaded || fail "modprobe returned 0, /sys/module/sch_st2110 missing"
	modprobe -r sch_st2110 || fail "modprobe -r sch_st2110: status $?"
	! loaded || fail "still loaded after modprobe -r"
}

# Plain tc adds the qdisc with no options whether or not the plugin is
# installed; the kernel finds the kind unknown and asks modprobe for its alias.
tc_autoload()
{
	local out

	[ -f "$MANIFEST" ] || skip "not installed"
	unload || fail "cannot unload before the test"
	tc qdisc add dev lo root st2110 || fail "tc qdisc add dev lo root st2110: status $?"
	loaded || fail "qdisc added but module not loaded?"
	out=$(tc qdisc show dev lo)
	echo "$out" | grep -q '^qdisc st2110 ' || fail "tc qdisc show: $out"
	tc qdisc del dev lo root || fail "tc qdisc del"
	unload || fail "modprobe -r after the qdisc was deleted"
}

# With q_st2110.so in tc's own library directory (no TC_LIB_DIR), tc parses
# options; without it tc refuses any option as "unparsable".
tc_plugin_installed()
{
	local so out

	[ -f "$MANIFEST" ] || skip "not installed"
	so=$(grep -m1 '/q_st2110\.so$' "$MANIFEST" | cut -d' ' -f2)
	[ -n "$so" ] || skip "build/q_st2110.so not built (make -C userspace/tc)"
	unload || fail "cannot unload before the test"
	env -u TC_LIB_DIR tc qdisc add dev lo root st2110 limit 5 ||
		fail "tc with the installed plugin ($so) refuses 'limit 5'"
	out=$(env -u TC_LIB_DIR tc qdisc show dev lo)
	echo "$out"
	tc qdisc del dev lo root
	echo "$out" | grep -q '^qdisc st2110 .*limit 5' || fail "show does not say limit 5: $out"
	unload || fail "modprobe -r"
}

tools_and_man_pages()
{
	local t p

	[ -f "$MANIFEST" ] || skip "not installed"
	for t in st2110 st2110-send st2110-analyze; do
		p=$(PATH=/usr/local/bin:/usr/bin:/bin command -v "$t")
		[ "$p" = "/usr/local/bin/$t" ] || fail "$t on PATH is '$p'"
	done
	/usr/local/bin/st2110 -V || fail "st2110 -V: status $?"
	/usr/local/bin/st2110-send --help >/dev/null 2>&1 || fail "st2110-send --help"
	/usr/local/bin/st2110-analyze --help >/dev/null 2>&1 || fail "st2110-analyze --help"
	command -v man >/dev/null || { echo "no man(1): checked the files only"; return 0; }
	for p in st2110.8 st2110-send.1 st2110-analyze.1; do
		t=$(MANPATH="" PATH=/usr/local/bin:/usr/bin:/bin man -w "${p%.*}" 2>/dev/null) ||
			fail "man -w ${p%.*} finds nothing"
		# Debian's /usr/local/man is a link to share/man
		[ "$(readlink -f "$t")" = "/usr/local/share/man/man${p##*.}/$p" ] ||
			fail "man -w ${p%.*}: $t"
	done
}

bash_completion()
{
	local out

	[ -f "$MANIFEST" ] || skip "not installed"
	grep -q ' /usr/local/share/bash-completion/completions/st2110$' "$MANIFEST" ||
		skip "userspace/st2110/completion/st2110 not in the tree"
	[ -f /usr/share/bash-completion/bash_completion ] ||
		skip "bash-completion not installed (Debian package bash-completion)"
	# bash-completion loads a command's completion on demand from
	# $XDG_DATA_DIRS/bash-completion/completions, /usr/local/share first.
	out=$(bash -c '. /usr/share/bash-completion/bash_completion
		__load_completion st2110 && complete -p st2110') ||
		fail "bash-completion does not load the installed completion: $out"
	echo "$out"
}

uninstall_leaves_nothing()
{
	local type path

	[ -f "$MANIFEST" ] || skip "not installed"
	cp "$MANIFEST" "$SNAP/manifest"
	"$INSTALL" uninstall || fail "install.sh uninstall: status $?"
	while read -r type path; do
		case $type in
		f) [ ! -e "$path" ] || fail "$path left behind" ;;
		esac
	done <"$SNAP/manifest"
	snapshot >"$SNAP/after"
	diff "$SNAP/before" "$SNAP/after" || fail "the tree differs from before the install"
	! modinfo sch_st2110 >/dev/null 2>&1 || fail "modinfo still finds sch_st2110"
	index_clean || fail "the module index still names st2110"
	"$INSTALL" uninstall 2>&1 && fail "a second uninstall succeeded"
	return 0
}

# install.sh dkms for the running kernel with the binaries built on the
# host: registration, module under updates/dkms, loads by name and by tc.
dkms_install_prebuilt()
{
	local f st

	[ -n "$TARBALL" ] || skip "no DKMS tarball for $K (run through run.sh)"
	command -v dkms >/dev/null || skip "dkms not installed (Debian package dkms)"
	snapshot >"$SNAP/before"
	# dkms uses <(...), which needs /dev/fd; the test bed's devtmpfs has none
	[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
	"$INSTALL" dkms KVER="$K" KDIR="/usr/src/linux-headers-$K" VERSION="$DKVER" \
		DKMS_TARBALL="$TARBALL" || fail "install.sh dkms: status $?"
	st=$(dkms status -m sch_st2110 -v "$DKVER" -k "$K")
	echo "$st"
	echo "$st" | grep -q ': installed' || fail "dkms status: $st"
	[ -f "/usr/src/sch_st2110-$DKVER/dkms.conf" ] || fail "no /usr/src/sch_st2110-$DKVER/dkms.conf"
	f=$(modinfo -n sch_st2110) || fail "modinfo does not find the DKMS module"
	case $f in /lib/modules/"$K"/updates/dkms/sch_st2110.ko*) ;; *) fail "modinfo -n: $f" ;; esac
	unload || fail "cannot unload before the test"
	modprobe sch_st2110 || fail "modprobe sch_st2110 (DKMS): status $?"
	unload || fail "modprobe -r"
	tc qdisc add dev lo root st2110 || fail "tc autoload of the DKMS module"
	loaded || fail "tc did not load it"
	tc qdisc del dev lo root
	unload || fail "modprobe -r"
}

dkms_uninstall()
{
	[ -n "$TARBALL" ] || skip "no DKMS tarball for $K (run through run.sh)"
	command -v dkms >/dev/null || skip "dkms not installed (Debian package dkms)"
	[ -f "$MANIFEST" ] || fail "no manifest after install.sh dkms"
	"$INSTALL" uninstall || fail "install.sh uninstall: status $?"
	[ -z "$(dkms status -m sch_st2110)" ] || fail "dkms status: $(dkms status -m sch_st2110)"
	[ ! -e "/usr/src/sch_st2110-$DKVER" ] || fail "/usr/src/sch_st2110-$DKVER left: $(find "/usr/src/sch_st2110-$DKVER")"
	snapshot >"$SNAP/after"
	diff "$SNAP/before" "$SNAP/after" || fail "the tree differs from before the install"
	! modinfo sch_st2110 >/dev/null 2>&1 || fail "modinfo still finds sch_st2110"
	index_clean || fail "the module index still names st2110"
}

# A module built for another kernel is refused before anything is written.
reject_foreign_module()
{
	local other err f

	other=
	for f in "${O:-$TOP/build}"/kmod/*/sch_st2110.ko; do
		case $f in */"$K"/*) ;; *) [ ! -f "$f" ] || other=$f ;; esac
	done
	[ -n "$other" ] || skip "no module for another kernel in build/kmod"
	snapshot >"$SNAP/before"
	err=$("$INSTALL" install KO="$other" 2>&1) && fail "install of $other for $K succeeded"
	echo "$err"
	echo "$err" | grep -q "was built for .*, not $K" || fail "unclear error: $err"
	snapshot >"$SNAP/after"
	diff "$SNAP/before" "$SNAP/after" || fail "the rejected install changed the tree"
	modprobe sch_st2110 2>/dev/null && fail "modprobe found a module after the rejection"
	return 0
}

echo "kernel $K"
for t in "${TESTS[@]}"; do
	echo "$t:"
	("$t") >"$SNAP/out" 2>&1
	st=$?
	sed 's/^/  /' "$SNAP/out"
	case $st in
	4) echo "@@ 4 $t $(sed -n 's/^SKIP: //p' "$SNAP/out" | tail -1)" ;;
	*) echo "@@ $st $t" ;;
	esac
done
exit 0
