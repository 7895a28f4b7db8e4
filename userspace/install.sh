#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# install.sh - install st2110 for Linux, remove it again, hand the module to DKMS.
#
#   install.sh install   [VAR=VALUE...]   tools, man pages, completion, tc plugin,
#                                         sch_st2110.ko under extra/, depmod
#   install.sh dkms      [VAR=VALUE...]   module source to /usr/src/sch_st2110-VERSION,
#                                         dkms add, dkms install for KVER
#   install.sh uninstall [VAR=VALUE...]   remove exactly what the two above put
#   install.sh list      [VAR=VALUE...]   print what is installed (the manifest)
#
# The top-level Makefile's install, uninstall and dkms targets call it; make's
# command-line variables reach it through the environment, and VAR=VALUE
# arguments win over both.  Variables:
#   DESTDIR    staging root (packaging); depmod and dkms are then not run
#   PREFIX     tools, man pages, completion (default /usr/local)
#   KVER       kernel release to install the module for (default: uname -r,
#              or the release of KDIR when only KDIR is given)
#   KDIR       that kernel's build tree (default /lib/modules/KVER/build); used
#              only to learn KVER and by dkms
#   KO         the sch_st2110.ko to install (default: O/kmod/KVER/ from make
#              kmod-all, else kmod/sch_st2110.ko from make kmod if built for KVER)
#   MODULE     yes (default) or no: install no module (tools-only machine)
#   TCLIBDIR   tc's plugin directory (default: the one compiled into tc)
#   VERSION    DKMS package version (default 0.1+g<commit>)
#   DKMS_TARBALL  a "dkms mktarball --binaries-only" archive of this VERSION:
#              dkms ldtarball it instead of dkms add, so that dkms install
#              uses the modules built elsewhere (one build host, many appliances)
#   O          build directory (default <top>/build)
#
# Every file put in place, every directory created, every kernel whose
# module index was touched and every DKMS registration is written to a
# manifest, PREFIX/share/st2110/install.manifest; uninstall reads it and
# removes exactly that.  Bad arguments or missing build outputs are reported
# before anything is written.
#
# Exit status: 0 done, 1 failed (nothing or, for a failing command midway,
# what the manifest lists was installed), 2 usage error.

set -eu
shopt -s nullglob

PROG=${0##*/}
TOP=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
PKG=sch_st2110

die() { echo "$PROG: $*" >&2; exit 1; }
usage_err() { echo "$PROG: $*" >&2; echo "usage: $PROG install|uninstall|dkms|list [VAR=VALUE...]" >&2; exit 2; }
say() { echo "  $*"; }

[ $# -ge 1 ] || usage_err "no action"
ACTION=$1; shift
case $ACTION in
install|uninstall|dkms|list) ;;
-h|--help|help) sed -n '3,39p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
*) usage_err "unknown action '$ACTION'" ;;
esac

for arg in "$@"; do
	case $arg in
	DESTDIR=*|PREFIX=*|KVER=*|KDIR=*|KO=*|MODULE=*|TCLIBDIR=*|VERSION=*|O=*|DKMS_TARBALL=*)
		declare "${arg%%=*}=${arg#*=}" ;;
	*) usage_err "unknown argument '$arg' (VAR=VALUE with VAR one of DESTDIR PREFIX KVER KDIR KO MODULE TCLIBDIR VERSION O DKMS_TARBALL)" ;;
	esac
done

DESTDIR=${DESTDIR:-}
PREFIX=${PREFIX:-/usr/local}
O=${O:-$TOP/build}
MODULE=${MODULE:-yes}
KDIR=${KDIR:-}
KO=${KO:-}
DKMS_TARBALL=${DKMS_TARBALL:-}

case $PREFIX in /*) ;; *) usage_err "PREFIX must be an absolute path, not '$PREFIX'" ;; esac
case $DESTDIR in ""|/*) ;; *) usage_err "DESTDIR must be an absolute path, not '$DESTDIR'" ;; esac
case $MODULE in yes|no) ;; *) usage_err "MODULE is yes or no, not '$MODULE'" ;; esac
PREFIX=${PREFIX%/}
DESTDIR=${DESTDIR%/}

# KVER follows KDIR when only KDIR is given: the release a tree was built
# for is its UTS_RELEASE (Debian's include/config/kernel.release says the
# upstream 6.1.NNN, not the package's 6.1.0-NN-amd64).
if [ -z "${KVER:-}" ]; then
	if [ -n "$KDIR" ]; then
		KVER=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' \
			"$KDIR/include/generated/utsrelease.h" 2>/dev/null)
		[ -n "$KVER" ] ||
			die "KDIR $KDIR is not a configured kernel build tree (no include/generated/utsrelease.h)"
	else
		KVER=$(uname -r)
	fi
fi
[[ $KVER =~ ^[A-Za-z0-9][A-Za-z0-9._+~-]*$ ]] || usage_err "KVER '$KVER' is not a kernel release"
KDIR=${KDIR:-/lib/modules/$KVER/build}

BINDIR=$PREFIX/bin
MANDIR=$PREFIX/share/man
COMPDIR=$PREFIX/share/bash-completion/completions
DATADIR=$PREFIX/share/st2110
MANIFEST=$DATADIR/install.manifest
MODDIR=/lib/modules/$KVER/extra

# Debian's tc looks for q_<kind>.so only in the directory compiled into it
# (/usr/lib/x86_64-linux-gnu/tc/), or in $TC_LIB_DIR: read it from the binary.
tc_libdir()
{
	local tc dir

	tc=$(command -v tc 2>/dev/null) || tc=/usr/sbin/tc
	[ -r "$tc" ] && dir=$(grep -aom1 '/usr/lib[[:alnum:]/_.-]*/tc/' "$tc") &&
		{ echo "${dir%/}"; return; }
	echo /usr/lib/tc
}

pkg_version()
{
	local rev

	if rev=$(git -C "$TOP" rev-parse --short HEAD 2>/dev/null); then
		echo "0.1+g$rev"
	else
		echo 0.1
	fi
}

# ---- manifest ---------------------------------------------------------------
# One entry a line, paths as seen on the target (without DESTDIR):
#   f PATH      a file we installed
#   d PATH      a directory we created
#   k KVER      a kernel whose module index (depmod) we changed
#   m PKG/VER   a DKMS registration

man_file() { echo "$DESTDIR$MANIFEST"; }

man_add()
{
	local m

	m=$(man_file)
	grep -qxF "$1 $2" "$m" 2>/dev/null || echo "$1 $2" >>"$m"
}

# mkdirs DIR: mkdir -p, recording each level that did not exist
mkdirs()
{
	local dir=$1 missing=()

	# DESTDIR itself is the packager's, never recorded.
	[ -z "$DESTDIR" ] || mkdir -p "$DESTDIR"
	while [ "$dir" != / ] && [ ! -d "$DESTDIR$dir" ]; do
		missing=("$dir" "${missing[@]}")
		dir=$(dirname "$dir")
	done
	for dir in "${missing[@]}"; do
		mkdir "$DESTDIR$dir"
		[ ! -e "$(man_file)" ] || man_add d "$dir"
		pending_dirs+=("$dir")
	done
}

# The manifest's own directory is created before the manifest exists.
pending_dirs=()
man_open()
{
	local dir

	mkdirs "$DATADIR"
	touch "$(man_file)"
	for dir in "${pending_dirs[@]}"; do
		man_add d "$dir"
	done
}

# put SRC DEST MODE: install one file and record it
put()
{
	mkdirs "$(dirname "$2")"
	install -m "$3" "$1" "$DESTDIR$2"
	placed "$2"
}

# placed DEST: record a file just written
placed()
{
	man_add f "$1"
	say "INSTALL $DESTDIR$1"
}

# need_manifest: MF, the manifest of what is installed, or fail
need_manifest()
{
	MF=$(man_file)
	[ -f "$MF" ] || die "nothing installed under $DESTDIR$PREFIX (no $MF)"
}

run_depmod()
{
	if [ -n "$DESTDIR" ]; then
		say "DEPMOD  skipped (DESTDIR): run depmod -a $1 on the target"
	elif [ -d "/lib/modules/$1" ]; then
		say "DEPMOD  $1"
		depmod -a "$1"
	fi
}

# ---- install ------------------------------------------------------------------

# The module built for KVER: make kmod-all keeps one per kernel, make kmod
# leaves one in kmod/ for KDIR.  The vermagic decides, not the path.
# Sets KO_FOUND.
find_ko()
{
	local ko

	if [ -n "$KO" ]; then
		[ -f "$KO" ] || die "KO $KO: no such file"
		ko=$(ko_release "$KO")
		[ "$ko" = "$KVER" ] || die "KO $KO was built for ${ko:-no kernel (no vermagic)}, not $KVER"
		KO_FOUND=$KO
		return 0
	fi
	for ko in "$O/kmod/$KVER/$PKG.ko" "$TOP/kmod/$PKG.ko"; do
		[ -f "$ko" ] && [ "$(ko_release "$ko")" = "$KVER" ] &&
			{ KO_FOUND=$ko; return 0; }
	done
	die "no $PKG.ko built for kernel $KVER: run make kmod-all, or make kmod KDIR=/lib/modules/$KVER/build (or MODULE=no for the tools only)"
}

ko_release()
{
	local vm

	vm=$(modinfo -F vermagic "$1" 2>/dev/null) || return 0
	echo "${vm%% *}"
}

do_install()
{
	local tools=(st2110 st2110-send st2110-analyze) srcs=() t ko="" page sect plugin comp

	# Everything is checked before the first write.
	for t in "${tools[@]}"; do
		[ -x "$O/$t" ] || die "$O/$t is not built: run make (or make userspace) first"
		srcs+=("$O/$t")
	done
	if [ "$MODULE" = yes ]; then
		command -v modinfo >/dev/null || die "modinfo not found (Debian package kmod)"
		find_ko
		ko=$KO_FOUND
	fi
	plugin=$O/q_st2110.so
	comp=$TOP/userspace/st2110/completion/st2110
	TCLIBDIR=${TCLIBDIR:-$(tc_libdir)}
	case $TCLIBDIR in /*) ;; *) usage_err "TCLIBDIR must be an absolute path, not '$TCLIBDIR'" ;; esac

	man_open
	for t in "${srcs[@]}"; do
		put "$t" "$BINDIR/${t##*/}" 0755
	done
	for page in "$TOP"/Documentation/*.[1-8]; do
		sect=${page##*.}
		put "$page" "$MANDIR/man$sect/${page##*/}" 0644
	done
	[ ! -f "$comp" ] || put "$comp" "$COMPDIR/st2110" 0644
	if [ -f "$plugin" ]; then
		put "$plugin" "$TCLIBDIR/q_st2110.so" 0644
	else
		say "SKIP    tc plugin: $plugin not built"
	fi
	if [ -n "$ko" ]; then
		put "$ko" "$MODDIR/$PKG.ko" 0644
		man_add k "$KVER"
		run_depmod "$KVER"
	fi
	say "MANIFEST $DESTDIR$MANIFEST"
}

# ---- dkms ---------------------------------------------------------------------

# The source tree DKMS builds: the top-level Kbuild (obj-m += kmod/), kmod/
# and include/, which kmod/Kbuild adds to the include path.
do_dkms()
{
	local ver src f rel

	ver=${VERSION:-$(pkg_version)}
	[[ $ver =~ ^[0-9][A-Za-z0-9.+~]*$ ]] || usage_err "VERSION '$ver' must start with a digit and hold only letters, digits, . + ~"
	src=/usr/src/$PKG-$ver
	[ -f "$TOP/kmod/dkms.conf" ] || die "$TOP/kmod/dkms.conf missing"
	if [ -n "$DKMS_TARBALL" ]; then
		[ -z "$DESTDIR" ] || usage_err "DKMS_TARBALL and DESTDIR exclude each other"
		[ -f "$DKMS_TARBALL" ] || die "DKMS_TARBALL $DKMS_TARBALL: no such file"
	fi
	if [ -z "$DESTDIR" ]; then
		command -v dkms >/dev/null || die "dkms not found (Debian package dkms)"
		! dkms status -m "$PKG" -v "$ver" 2>/dev/null | grep -q . ||
			die "$PKG/$ver is already registered with DKMS: $PROG uninstall first"
	fi

	man_open
	for f in "$TOP"/Kbuild "$TOP"/kmod/Kbuild "$TOP"/kmod/*.[ch] \
		 "$TOP"/include/uapi/linux/*.h "$TOP"/include/st2110/*.h; do
		rel=${f#"$TOP"/}
		put "$f" "$src/$rel" 0644
	done
	sed "s/@VERSION@/$ver/" "$TOP/kmod/dkms.conf" >"$DESTDIR$src/dkms.conf"
	placed "$src/dkms.conf"

	if [ -n "$DESTDIR" ]; then
		say "DKMS    skipped (DESTDIR): run dkms install $PKG/$ver on the target"
		return
	fi
	man_add m "$PKG/$ver"
	if [ -n "$DKMS_TARBALL" ]; then
		say "DKMS    ldtarball $DKMS_TARBALL"
		dkms ldtarball "$DKMS_TARBALL" >/dev/null ||
			die "dkms ldtarball $DKMS_TARBALL failed"
		dkms status -m "$PKG" -v "$ver" -k "$KVER" 2>/dev/null | grep -q ': built' ||
			die "$DKMS_TARBALL holds no $PKG/$ver built for $KVER: $(dkms status -m "$PKG" 2>&1)"
	else
		say "DKMS    add $PKG/$ver"
		dkms add -m "$PKG" -v "$ver" >/dev/null
	fi
	if [ -n "$DKMS_TARBALL" ] || [ -d "$KDIR" ]; then
		say "DKMS    install $PKG/$ver for $KVER"
		dkms install -m "$PKG" -v "$ver" -k "$KVER" --kernelsourcedir "$KDIR" ||
			die "dkms install failed (the registration stays: $PROG uninstall removes it)"
		man_add k "$KVER"
	else
		say "DKMS    no build tree $KDIR: the module is built when headers for a kernel are installed"
	fi
}

# ---- uninstall ----------------------------------------------------------------

do_uninstall()
{
	local type path kvers=() dirs=()

	need_manifest
	# DKMS registrations first: dkms remove reads the dkms.conf removed below
	while read -r type path; do
		[ "$type" = m ] || continue
		say "DKMS    remove $path"
		if [ -z "$DESTDIR" ] && command -v dkms >/dev/null; then
			dkms remove "$path" --all >/dev/null || die "dkms remove $path failed"
		fi
	done <"$MF"
	while read -r type path; do
		case $type in
		f)
			if [ -e "$DESTDIR$path" ] || [ -L "$DESTDIR$path" ]; then
				rm -f "$DESTDIR$path"
				say "REMOVE  $DESTDIR$path"
			fi ;;
		d) dirs=("$path" "${dirs[@]}") ;;
		k) kvers+=("$path") ;;
		m) ;;
		*) die "$MF: unknown entry '$type $path'" ;;
		esac
	done <"$MF"
	rm -f "$MF"
	# Created deepest last, so removed deepest first; one that holds
	# something of someone else's stays.
	for path in "${dirs[@]}"; do
		if rmdir "$DESTDIR$path" 2>/dev/null; then
			say "RMDIR   $DESTDIR$path"
		fi
	done
	for path in "${kvers[@]}"; do
		run_depmod "$path"
	done
}

do_list()
{
	need_manifest
	cat "$MF"
}

case $ACTION in
install)	do_install ;;
dkms)		do_dkms ;;
uninstall)	do_uninstall ;;
list)		do_list ;;
esac
