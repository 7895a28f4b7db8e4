# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash disable=SC1091
#
# Stage 2 of the test bed guest: PID 1 after switch_root, run by the busybox
# that init.sh copied to /run/vm (the host's shell would have to be loaded
# over 9p).  It runs the command with stdout/stderr on the virtio consoles
# hvc0/hvc1, writes the results to the control share and resets the
# machine; run-vm.sh starts QEMU with -no-reboot, so the reset ends QEMU.
#
# Control share (/run/vm/ctl), written by run-vm.sh: config, env, cmd.
# Written here: status (exit status of the command), tainted, dmesg.
# Console hvc2 carries progress marks ("<what> <guest uptime>") that
# run-vm.sh stamps with the host's clock to measure the boot.
#
# Busybox applets are called by bare name (this busybox runs them without
# exec'ing a program); the command itself is looked up in PATH by run().

CTL=/run/vm/ctl

. $CTL/config

mark()
{
	local up _

	read -r up _ </proc/uptime
	echo "$1 $up" >&5
}

finish()
{
	# tcsetattr(TCSADRAIN) in stty waits until the hvc buffers have reached
	# the host; a reset with data in flight would lose the output's tail.
	stty raw -echo <&3 2>/dev/null
	stty raw -echo <&4 2>/dev/null
	sync
	echo b >/proc/sysrq-trigger
	reboot -f
}

die()
{
	echo "st2110-vm: $*" >&4
	echo 123 >$CTL/status
	finish
}

# The command's own program, found in PATH: this busybox would prefer its
# applets (ip, tc, ping...) to the host's programs for a bare name.
run()
{
	local prog=$1 dir

	shift
	case $prog in
	*/*)	;;
	*)	for dir in $(IFS=:; echo $PATH); do
			if [ -f "$dir/$prog" ] && [ -x "$dir/$prog" ]; then
				prog=$dir/$prog
				break
			fi
		done ;;
	esac
	case $prog in
	*/*)	exec "$prog" "$@" ;;
	esac
	echo "st2110-vm: $prog: command not found" >&2
	exit 127
}

# Keep every console open until the end: the tty layer resets "raw" when
# the last handle closes, and without raw each \n becomes \r\n.
exec 3>/dev/hvc0 4>/dev/hvc1 5>/dev/hvc2 </dev/null
stty raw -echo <&3
stty raw -echo <&4
mark root

# From here on, kernel messages of level info and more urgent reach the
# serial console as they happen: a hang leaves its traces in the host's log.
echo "$VM_PRINTK" >/proc/sys/kernel/printk

export HOME=/root
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export TERM=dumb
. $CTL/env

cd "$VM_CWD" || die "the working directory $VM_CWD does not exist in the guest"

set --
. $CTL/cmd
mark cmd
(run "$@") >&3 2>&4
status=$?
mark end

dmesg >$CTL/dmesg
cat /proc/sys/kernel/tainted >$CTL/tainted
echo "$status" >$CTL/status
finish
