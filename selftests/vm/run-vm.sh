#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-vm.sh - run one command as root inside a Debian kernel under QEMU.
#
# The guest sees the host's root read-only (with a throw-away tmpfs layer on
# top), starts in the caller's working directory, and hands the command's
# stdout, stderr and exit status back.  See Documentation/testbed.md.
#
# Exit status: the command's, or
#   124  the run timed out (QEMU killed)
#   125  the guest kernel warned, oopsed, hit a BUG or panicked
#   123  the test bed failed (QEMU did not start, the guest did not boot)
# A command that itself exits with one of these is indistinguishable, as with
# timeout(1).

# QEMU options have commas; cleanup() runs from a trap:
# shellcheck disable=SC2054,SC2317

set -eu

. "$(dirname "$(readlink -f "$0")")/lib.sh"

usage()
{
	cat >&2 <<EOF
usage: $VM_PROG [options] [--] CMD [ARGS...]
  --kernel NAME     6.1 (default), 6.12, 6.1-rt, 6.12-rt or a kernel release
  --smp N           vCPUs (default 2, multi-threaded TCG)
  --mem MB          guest memory (default 1024)
  --icount          virtual time: -icount shift=0,sleep=off, 1 vCPU
  --timeout SECS    kill the VM after SECS of wall time (default 600)
  --append ARGS     more kernel command line
  --env VAR[=VAL]   pass VAR (the host's value, or VAL) to the command
  --rw DIR          share host DIR writable at the same path in the guest
  --log FILE        write the guest's kernel log to FILE
  --accel auto|tcg|kvm   (default auto: KVM only if a probe boots with it)
  --verbose         print the QEMU command line and the boot time
EOF
	exit 2
}

kernel=${ST2110_VM_KERNEL:-6.1}
smp=
mem=1024
icount=0
timeout_s=600
append=
accel=${ST2110_VM_ACCEL:-auto}
logfile=
verbose=0
envs=()
rws=()

while [ $# -gt 0 ]; do
	case $1 in
	--kernel)	kernel=${2?}; shift ;;
	--smp)		smp=${2?}; shift ;;
	--mem)		mem=${2?}; shift ;;
	--icount)	icount=1 ;;
	--timeout)	timeout_s=${2?}; shift ;;
	--append)	append="$append ${2?}"; shift ;;
	--env)		envs+=("${2?}"); shift ;;
	--rw)		rws+=("${2?}"); shift ;;
	--log)		logfile=${2?}; shift ;;
	--accel)	accel=${2?}; shift ;;
	--verbose|-v)	verbose=1 ;;
	-h|--help)	usage ;;
	--)		shift; break ;;
	-*)		echo "$VM_PROG: unknown option $1" >&2; usage ;;
	*)		break ;;
	esac
	shift
done
[ $# -gt 0 ] || usage

[[ $mem =~ ^[0-9]+$ ]] || die "--mem wants megabytes, got '$mem'"
{ [[ $timeout_s =~ ^[0-9]+$ ]] && [ "$timeout_s" -gt 0 ]; } || die "--timeout wants seconds, got '$timeout_s'"
if [ "$icount" = 1 ]; then
	# With icount TCG runs one thread, and QEMU 7.2 hangs bringing up a
	# second vCPU in that mode.
	[ -z "$smp" ] || [ "$smp" = 1 ] || die "--icount runs 1 vCPU only"
	smp=1
fi
smp=${smp:-2}
{ [[ $smp =~ ^[0-9]+$ ]] && [ "$smp" -ge 1 ]; } || die "--smp wants a count, got '$smp'"
case $accel in auto|tcg|kvm) ;; *) die "--accel wants auto, tcg or kvm" ;; esac

QEMU=${QEMU:-qemu-system-x86_64}
need "$QEMU" qemu-system-x86
need timeout coreutils

cwd=$PWD
case $cwd/ in
/proc/*|/sys/*|/dev/*|/run/*)
	die "the working directory $cwd is hidden in the guest (its /proc, /sys, /dev, /run are its own)" ;;
esac
for dir in "${rws[@]}"; do
	[ -d "$dir" ] || die "--rw $dir: not a directory"
done

kver=$("$VM_DIR/kernels.sh" release "$kernel")
"$VM_DIR/kernels.sh" fetch "$kver"
kdir=$("$VM_DIR/kernels.sh" path "$kver")
initrd=$("$VM_DIR/mkinitramfs.sh" "$kver")

# QEMU's option syntax: a comma in a value is written twice.
qopt()
{
	printf '%s' "${1//,/,,}"
}

# shell-quote for the guest's busybox sh
q()
{
	local s=${1//\'/\'\\\'\'}

	printf "'%s'" "$s"
}

tmp=
qemu_pid=
readers=()
cleanup()
{
	local pid

	[ -z "$qemu_pid" ] || kill "$qemu_pid" 2>/dev/null || true
	# Readers still blocked in open() of a FIFO that QEMU never opened.
	for pid in "${readers[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	[ -z "$qemu_pid" ] || wait "$qemu_pid" 2>/dev/null || true
	for pid in "${readers[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	[ -z "$tmp" ] || rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

tmp=$(mktemp -d "${TMPDIR:-/tmp}/st2110-vm.XXXXXX")
ctl=$tmp/ctl
mkdir "$ctl"

rw_guest=
for dir in "${rws[@]}"; do
	dir=$(cd "$dir" && pwd -P)
	[[ $dir != *[[:space:]]* ]] || die "--rw $dir: no spaces, please"
	rw_guest="$rw_guest $dir"
done
{
	echo "VM_KVER=$(q "$kver")"
	echo "VM_MODDIR=$(q "$(readlink -f "$kdir/modules")")"
	echo "VM_CWD=$(q "$cwd")"
	echo "VM_RW=$(q "${rw_guest# }")"
	# What a PTP-disciplined host has: TAI - UTC since 2017-01-01.
	echo "VM_TAI_OFFSET_S=37"
	# console_loglevel 7 (info and up), the rest as booted
	echo "VM_PRINTK='7 4 1 7'"
} >"$ctl/config"
: >"$ctl/env"
for e in "${envs[@]}"; do
	var=${e%%=*}
	[[ $var =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "--env $e: bad variable name"
	if [[ $e == *=* ]]; then
		echo "export $var=$(q "${e#*=}")" >>"$ctl/env"
	elif [ -n "${!var+set}" ]; then
		echo "export $var=$(q "${!var}")" >>"$ctl/env"
	fi
done
{
	printf 'set --'
	for a in "$@"; do
		printf ' %s' "$(q "$a")"
	done
	echo
} >"$ctl/cmd"

# The guest's consoles end in FIFOs read by cat, which copies them to our
# stdout/stderr whatever those are (tty, pipe, file, socket).
mkfifo "$tmp/out" "$tmp/err" "$tmp/mark"
cat "$tmp/out" &
readers+=($!)
cat "$tmp/err" >&2 &
readers+=($!)
# Progress marks from the guest, stamped with the host's clock on arrival.
while IFS= read -r line; do
	echo "$EPOCHREALTIME ${line%$'\r'}"
done <"$tmp/mark" >"$tmp/marks" &
readers+=($!)

cmdline="console=ttyS0 quiet panic=-1 oops=panic panic_on_warn=1 panic_print=32"
cmdline="$cmdline no_timer_check tsc=reliable cryptomgr.notests acpi=noirq"
cmdline="$cmdline$append"

qemu_args=(
	-nodefaults -no-user-config -display none -no-reboot
	-machine pc
	-m "$mem" -smp "$smp"
	-kernel "$kdir/vmlinux" -initrd "$initrd" -append "$cmdline"
	-chardev "file,id=serial,path=$(qopt "$tmp/serial")"
	-serial chardev:serial
	-device virtio-serial-pci
	-chardev "file,id=out,path=$(qopt "$tmp/out")" -device virtconsole,chardev=out
	-chardev "file,id=err,path=$(qopt "$tmp/err")" -device virtconsole,chardev=err
	-chardev "file,id=mark,path=$(qopt "$tmp/mark")" -device virtconsole,chardev=mark
	-virtfs local,path=/,mount_tag=root,security_model=none,readonly=on,multidevs=remap
	-virtfs "local,path=$(qopt "$ctl"),mount_tag=ctl,security_model=none"
)
i=0
for dir in $rw_guest; do
	qemu_args+=(-virtfs "local,path=$(qopt "$dir"),mount_tag=rw$i,security_model=none,multidevs=remap")
	i=$((i + 1))
done

# KVM counts only if a stock kernel boots with it: on some hosts /dev/kvm
# exists but fails on an MSR (-cpu host) or hangs (-cpu qemu64).  The probe
# boots this very kernel once per host boot and QEMU version; the answer is
# cached.
kvm_works()
{
	local key cache=$VM_CACHE/kvm-probe

	[ -w /dev/kvm ] || return 1
	key="$(uname -r) $(cat /proc/sys/kernel/random/boot_id 2>/dev/null) $("$QEMU" --version | head -n 1)"
	if [ -f "$cache" ] && [ "$(head -n 1 "$cache")" = "$key" ]; then
		[ "$(sed -n 2p "$cache")" = yes ]
		return
	fi
	local answer=no
	if (cd / && "$VM_DIR/run-vm.sh" --kernel "$kver" --accel kvm --timeout 4 \
		-- true >/dev/null 2>&1); then
		answer=yes
	fi
	{ mkdir -p "$VM_CACHE" && printf '%s\n%s\n' "$key" "$answer" >"$cache"; } 2>/dev/null || true
	[ "$answer" = yes ]
}

if [ "$accel" = auto ]; then
	accel=tcg
	[ "$icount" = 1 ] || ! kvm_works || accel=kvm
fi
if [ "$accel" = kvm ]; then
	[ "$icount" = 0 ] || die "--icount needs TCG"
	qemu_args+=(-accel kvm -cpu host)
elif [ "$icount" = 1 ]; then
	qemu_args+=(-accel tcg,thread=single -icount shift=0,sleep=off -cpu max)
else
	qemu_args+=(-accel tcg,thread=multi -cpu max)
fi

if [ "$verbose" = 1 ]; then
	note "kernel $kver, $accel, $smp vCPU, $mem MB$([ "$icount" = 0 ] || echo ", icount")"
	note "$QEMU ${qemu_args[*]}"
fi

t0=$EPOCHREALTIME
timeout -k 5 "$timeout_s" "$QEMU" "${qemu_args[@]}" </dev/null 2>"$tmp/qemu.err" &
qemu_pid=$!
rc=0
wait "$qemu_pid" || rc=$?
qemu_pid=
t1=$EPOCHREALTIME
# QEMU has closed the FIFOs and the readers see EOF, unless QEMU failed
# before it opened them: a read-write open (which never blocks) releases
# a reader still waiting in open().
for f in out err mark; do
	: <>"$tmp/$f"
done
for pid in "${readers[@]}"; do
	wait "$pid" 2>/dev/null || true
done
readers=()

# Kernel log: the guest's dmesg when it got that far, else what reached the
# serial console (on a panic the kernel replays its whole log there:
# panic_print=32).
if [ -f "$ctl/dmesg" ]; then
	guestlog=$ctl/dmesg
else
	guestlog=$tmp/serial
fi
[ -f "$guestlog" ] || : >"$guestlog"
[ -z "$logfile" ] || cp "$guestlog" "$logfile"

# microseconds between two $EPOCHREALTIME values
us_between()
{
	local a=${1/./} b=${2/./}

	echo $((10#$b - 10#$a))
}

ms()
{
	local us=$1

	printf '%d.%03d' $((us / 1000000)) $((us / 1000 % 1000))
}

if [ "$verbose" = 1 ]; then
	root_t=$(awk '$2 == "root" { print $1 }' "$tmp/marks")
	cmd_t=$(awk '$2 == "cmd" { print $1 }' "$tmp/marks")
	end_t=$(awk '$2 == "end" { print $1 }' "$tmp/marks")
	if [ -n "$cmd_t" ] && [ -n "$end_t" ]; then
		note "boot $(ms "$(us_between "$t0" "$cmd_t")") s to command (stage 2 up at $(ms "$(us_between "$t0" "$root_t")") s, guest uptime then $(awk '$2 == "root" { print $3 }' "$tmp/marks") s)," \
			"command $(ms "$(us_between "$cmd_t" "$end_t")") s, shutdown $(ms "$(us_between "$end_t" "$t1")") s, total $(ms "$(us_between "$t0" "$t1")") s"
	fi
fi

log_tail()
{
	echo "---- guest kernel log (tail) ----" >&2
	tail -n 40 "$guestlog" >&2
	echo "----" >&2
}

# The report starts at the first sign of trouble, not at the panic's own
# stack dump that ends the log.
log_failure()
{
	echo "---- guest kernel log (from the first failure) ----" >&2
	re=$KERNEL_FAIL_RE awk 'found || $0 ~ ENVIRON["re"] { found = 1; print }' "$guestlog" |
		head -n 60 >&2
	echo "----" >&2
}

# A WARN panics the guest (panic_on_warn=1); BUG: reports that do not, and
# taints (W warning, D oops, L soft lockup, B bad page) are caught here.
TAINT_FAIL_MASK=$(( (1 << 5) | (1 << 7) | (1 << 9) | (1 << 14) ))
KERNEL_FAIL_RE='(^|\] )(WARNING: CPU:|BUG:|Oops|Kernel panic|general protection fault|UBSAN:|KASAN:|INFO: task .* blocked|INFO: rcu_.* stall|watchdog: BUG)'

if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
	note "timeout: the VM ran more than $timeout_s s, killed"
	log_tail
	exit 124
fi
if [ "$rc" != 0 ]; then
	note "$QEMU failed (exit $rc):"
	cat "$tmp/qemu.err" >&2
	exit 123
fi
if [ ! -f "$ctl/status" ]; then
	if grep -Eq "$KERNEL_FAIL_RE" "$guestlog"; then
		note "guest kernel failure (panic before the command finished)"
		log_failure
		exit 125
	fi
	note "the guest ended without reporting an exit status"
	[ ! -s "$tmp/qemu.err" ] || cat "$tmp/qemu.err" >&2
	log_tail
	exit 123
fi
status=$(cat "$ctl/status")
tainted=$(cat "$ctl/tainted" 2>/dev/null || echo 0)
if [ $((tainted & TAINT_FAIL_MASK)) != 0 ] || grep -Eq "$KERNEL_FAIL_RE" "$guestlog"; then
	note "guest kernel failure (tainted=$tainted, command exit $status)"
	log_failure
	exit 125
fi
exit "$status"
