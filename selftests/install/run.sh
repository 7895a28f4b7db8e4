#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh - the install suite: make install / uninstall / DKMS, one TAP 13 stream.
#
# Runs on the host as root (a host suite of selftests/run.sh), in three parts:
#   1. userspace/install.sh into a DESTDIR: what it installs is exactly what
#      its manifest lists, uninstall leaves nothing, and each bad argument is
#      refused with a clear message and no change;
#   2. DKMS builds the module from the installed source tree (a private DKMS
#      tree in a temporary directory: the host's /var/lib/dkms is not used)
#      against each installed linux-headers tree, with the right vermagic;
#   3. for each VM kernel, selftests/vm/run-vm.sh boots it and guest.sh
#      installs into the guest's root, loads the module by name and through
#      tc's autoload, uninstalls, and does the same through DKMS with the
#      modules of part 2 (dkms ldtarball: compiling under TCG takes ~8 min).
#
# Needs: make userspace, make kmod-all, dkms (Debian package dkms).
# Environment: ST2110_KERNELS (default "6.1 6.12"; empty: no VM part), ST2110_INSTALL_TIMEOUT
# (seconds per VM run, default 1800: depmod over 9p under TCG is slow on a
# loaded host).
set -u

TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP" || exit 1
. "$TOP/selftests/lib/tap.sh"
B=${O:-$TOP/build}
INSTALL=$TOP/userspace/install.sh
KERNELS=${ST2110_KERNELS-6.1 6.12}
VM_TIMEOUT=${ST2110_INSTALL_TIMEOUT:-1800}
PKG=sch_st2110
DKVER=0.1+test

HOST_TESTS=(destdir_install_matches_manifest destdir_uninstall_leaves_nothing
	    reject_unknown_action reject_unknown_variable reject_relative_prefix
	    reject_bad_module_switch reject_foreign_module reject_missing_module
	    reject_bad_dkms_version reject_tarball_with_destdir
	    reject_uninstall_nothing dkms_tree_from_destdir)
mapfile -t GUEST_TESTS < <("$TOP/selftests/install/guest.sh" --list)
n=0
failed=0
headers=()
for kd in /usr/src/linux-headers-*-amd64; do
	case $kd in *-common|*-rt-amd64|*-cloud-amd64) continue ;; esac
	[ -d "$kd" ] && headers+=("${kd#/usr/src/linux-headers-}")
done
read -r -a kernels <<<"$KERNELS"

echo "TAP version 13"
echo "1..$(( ${#HOST_TESTS[@]} + ${#headers[@]} + ${#kernels[@]} * ${#GUEST_TESTS[@]} ))"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/st2110-install.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
D=$TMP/destdir

# A kernel release for which a module was built (make kmod-all).
KVER=
for ko in "$B"/kmod/*/$PKG.ko; do
	[ -f "$ko" ] && { KVER=$(basename "$(dirname "$ko")"); break; }
done

# run_test NAME FUNC [ARGS]: run FUNC in a subshell, its output as TAP diagnostics
run_test()
{
	local name=$1 st
	shift

	("$@") >"$TMP/out" 2>&1
	st=$?
	[ ! -s "$TMP/out" ] || as_comment "$TMP/out"
	result "$st" "$name" "$(sed -n 's/^SKIP: //p' "$TMP/out" | tail -1)"
}

fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "SKIP: $*"; exit 4; }
need_built()
{
	[ -x "$B/st2110" ] && [ -x "$B/st2110-send" ] && [ -x "$B/st2110-analyze" ] ||
		skip "tools not built (make userspace)"
	[ -n "$KVER" ] || skip "no module built (make kmod-all)"
}

tree() { (cd "$D" 2>/dev/null && find . | sort); }

# expect_reject STATUS PATTERN ARGS...: install.sh ARGS fails with STATUS,
# says PATTERN, and DESTDIR stays as it was
expect_reject()
{
	local want=$1 pat=$2 st err
	shift 2

	tree >"$TMP/before"
	err=$("$INSTALL" "$@" 2>&1)
	st=$?
	echo "$err"
	[ "$st" = "$want" ] || fail "status $st, want $want"
	echo "$err" | grep -q -- "$pat" || fail "message does not say '$pat'"
	tree >"$TMP/after"
	diff "$TMP/before" "$TMP/after" || fail "the rejected call changed DESTDIR"
}

# ---- 1. DESTDIR -----------------------------------------------------------------

destdir_install_matches_manifest()
{
	local m=$D/usr/local/share/st2110/install.manifest

	need_built
	rm -rf "$D"
	"$INSTALL" install DESTDIR="$D" KVER="$KVER" || fail "install: status $?"
	[ -f "$m" ] || fail "no manifest"
	# every file under DESTDIR but the manifest is listed, and nothing else
	(cd "$D" && find . -type f ! -path ./usr/local/share/st2110/install.manifest |
		sed 's/^\.//' | sort) >"$TMP/files"
	sed -n 's/^f //p' "$m" | sort >"$TMP/listed"
	diff "$TMP/files" "$TMP/listed" || fail "files and manifest differ"
	(cd "$D" && find . -mindepth 1 -type d | sed 's/^\.//' | sort) >"$TMP/dirs"
	sed -n 's/^d //p' "$m" | sort >"$TMP/ldirs"
	diff "$TMP/dirs" "$TMP/ldirs" || fail "directories and manifest differ"
	for f in /usr/local/bin/st2110 /usr/local/bin/st2110-send /usr/local/bin/st2110-analyze \
		 /usr/local/share/man/man8/st2110.8 "/lib/modules/$KVER/extra/$PKG.ko"; do
		grep -qx "f $f" "$m" || fail "$f not installed"
	done
	[ "$(stat -c %a "$D/usr/local/bin/st2110")" = 755 ] || fail "st2110 not mode 755"
	cat "$m"
}

destdir_uninstall_leaves_nothing()
{
	[ -f "$D/usr/local/share/st2110/install.manifest" ] || skip "nothing installed"
	"$INSTALL" uninstall DESTDIR="$D" || fail "uninstall: status $?"
	[ "$(tree)" = . ] || fail "left behind: $(tree)"
}

reject_unknown_action() { mkdir -p "$D"; expect_reject 2 "unknown action 'instal'" instal DESTDIR="$D"; }
reject_unknown_variable() { expect_reject 2 "unknown argument 'PREFX=/usr'" install DESTDIR="$D" PREFX=/usr; }
reject_relative_prefix() { expect_reject 2 "PREFIX must be an absolute path" install DESTDIR="$D" PREFIX=usr; }
reject_bad_module_switch() { expect_reject 2 "MODULE is yes or no" install DESTDIR="$D" MODULE=maybe; }

reject_foreign_module()
{
	local ko

	for ko in "$B"/kmod/*/$PKG.ko; do
		case $ko in */"$KVER"/*) ;; *) expect_reject 1 "was built for" install \
			DESTDIR="$D" KVER="$KVER" KO="$ko"; return ;; esac
	done
	skip "one kernel only in build/kmod"
}

reject_missing_module() { need_built; expect_reject 1 "no $PKG.ko built for kernel 9.9.9-test" install DESTDIR="$D" KVER=9.9.9-test; }
reject_bad_dkms_version() { expect_reject 2 "VERSION '1.0 beta' must start" dkms DESTDIR="$D" "VERSION=1.0 beta"; }
reject_tarball_with_destdir() { expect_reject 2 "exclude each other" dkms DESTDIR="$D" DKMS_TARBALL=/dev/null; }
reject_uninstall_nothing() { expect_reject 1 "nothing installed under" uninstall DESTDIR="$D"; }

# ---- 2. DKMS ------------------------------------------------------------------------

DK=$TMP/dkms
dk() { nice dkms "$@" --sourcetree "$DK/src/usr/src" --dkmstree "$DK/tree" --installtree "$DK/inst"; }

dkms_tree_from_destdir()
{
	command -v dkms >/dev/null || skip "dkms not installed (Debian package dkms)"
	mkdir -p "$DK/tree" "$DK/inst"
	"$INSTALL" dkms DESTDIR="$DK/src" VERSION="$DKVER" || fail "install.sh dkms: status $?"
	grep -qx "PACKAGE_VERSION=\"$DKVER\"" "$DK/src/usr/src/$PKG-$DKVER/dkms.conf" ||
		fail "dkms.conf has no PACKAGE_VERSION=\"$DKVER\""
	dk add -m $PKG -v "$DKVER" || fail "dkms add: status $?"
}

dkms_build()
{
	local k=$1 ko vm

	[ -d "$DK/tree/$PKG/$DKVER" ] || skip "dkms add failed or skipped"
	dk build -m $PKG -v "$DKVER" -k "$k" >"$TMP/dkms.log" 2>&1 ||
		{ tail -20 "$TMP/dkms.log"; fail "dkms build for $k failed"; }
	ko=$(ls "$DK/tree/$PKG/$DKVER/$k"/*/module/$PKG.ko*) || fail "no module"
	vm=$(modinfo -F vermagic "$ko")
	echo "$ko: vermagic $vm"
	[ "${vm%% *}" = "$k" ] || fail "vermagic '$vm' for kernel $k"
	[ "$(modinfo -F alias "$ko")" = net-sch-st2110 ] ||
		fail "alias: $(modinfo -F alias "$ko")"
	# the binary package the guest loads with dkms ldtarball
	dk mktarball -m $PKG -v "$DKVER" -k "$k" --binaries-only --archive "bin-$k.tar.gz" >/dev/null ||
		fail "dkms mktarball"
	cp "$DK/tree/$PKG/$DKVER/tarball/bin-$k.tar.gz" "$TMP/" || fail "no tarball"
}

for t in "${HOST_TESTS[@]}"; do
	run_test "$t" "$t"
done
for k in "${headers[@]}"; do
	run_test "dkms_build@$k" dkms_build "$k"
done

# ---- 3. in the VM ---------------------------------------------------------------------

for k in "${kernels[@]}"; do
	rel=$("$TOP/selftests/vm/kernels.sh" release "$k" 2>/dev/null)
	tb=$TMP/bin-$rel.tar.gz
	env=()
	[ ! -f "$tb" ] || env=(--env ST2110_DKMS_TARBALL="$tb" --env ST2110_DKMS_VERSION="$DKVER")
	echo "# ---- VM $k ($rel)"
	nice "$TOP/selftests/vm/run-vm.sh" --kernel "$k" --timeout "$VM_TIMEOUT" "${env[@]}" \
		-- "$TOP/selftests/install/guest.sh" >"$TMP/guest.out" 2>&1
	st=$?
	declare -A seen=()
	while IFS= read -r line; do
		case $line in
		"@@ "*)
			read -r _ gst name reason <<<"$line"
			seen[$name]=1
			result "$gst" "$name@$k" "$reason" ;;
		*) echo "# $line" ;;
		esac
	done <"$TMP/guest.out"
	for name in "${GUEST_TESTS[@]}"; do
		[ -n "${seen[$name]:-}" ] && continue
		echo "# $name did not run: run-vm.sh status $st"
		result 1 "$name@$k"
	done
	unset seen
done

[ "$failed" -eq 0 ]
