#!/bin/sh
# /init of the bench-boot initramfs (bench/qemu/mkinitramfs): the marker the host times, then reboot.
#   BENCH-INIT uptime=<s>   first thing: the host timestamps this line; the
#                           guest's /proc/uptime at that moment
#   BENCH-DMESG fgkaslr: ...  the decompressor's outcome (shuffle time)
#   BENCH-END
# QEMU runs with -no-reboot: reboot -f ends it.
export PATH=/bin
mount -t proc proc /proc
read up idle < /proc/uptime
echo "BENCH-INIT uptime=$up"
dmesg | sed -n 's/^\[[^]]*\] *\(fgkaslr: \)/BENCH-DMESG \1/p'
echo "BENCH-END"
reboot -f
