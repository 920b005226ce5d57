#!/bin/sh
# /init of the bench-hackbench initramfs (bench/qemu/mkinitramfs): hackbench runs, then reboot.
# Settings from the kernel command line (no dot: not taken for module options):
#   bhack=<hackbench arguments, comma-separated>   e.g. bhack=-p,-g,4,-l,200
#   bhack_runs=<n>                                  runs in this boot (the first is a warm-up)
# Prints, for bench/qemu/hackbench.py:
#   BENCH-INIT uptime=<s>
#   BENCH-DMESG fgkaslr: ...
#   BENCH-HACK run=<i> rc=<status> time=<Time: line> uptime=<s after the run>
#   BENCH-END
export PATH=/bin
mount -t proc proc /proc
read up idle < /proc/uptime
echo "BENCH-INIT uptime=$up"
dmesg | sed -n 's/^\[[^]]*\] *\(fgkaslr: \)/BENCH-DMESG \1/p'
args=-p runs=4
for w in $(cat /proc/cmdline); do
	case $w in
	bhack=*) args=$(echo "${w#bhack=}" | tr , ' ') ;;
	bhack_runs=*) runs=${w#bhack_runs=} ;;
	esac
done
echo "BENCH-ARGS hackbench $args"
i=0
while [ $i -lt "$runs" ]; do
	rc=0
	hackbench $args > /tmp/hack.out 2>&1 || rc=$?
	t=$(sed -n 's/^Time: *//p' /tmp/hack.out)
	read up idle < /proc/uptime
	echo "BENCH-HACK run=$i rc=$rc time=${t:-none} uptime=$up"
	[ $rc -eq 0 ] || sed 's/^/BENCH-HACKOUT /' /tmp/hack.out
	i=$((i + 1))
done
echo "BENCH-END"
reboot -f
