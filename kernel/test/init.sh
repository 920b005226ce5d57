#!/bin/sh
# /init of the fgkaslr test initramfs (busybox-static; built by kernel/test/mkinitramfs).
# Prints a block of FGK-* lines that kernel/test/check-boots parses:
#   FGK-DMESG <line>          the kernel's "fgkaslr: ", "test_fgkaslr: ", "fgk_test_mod: " lines
#                             and, with fgk.selftest, its "kallsyms_selftest: " lines
#   FGK-ADDR <name> 0x<addr>  a few functions, from /proc/kallsyms read as root
#   FGK-ORDER <md5>           digest of the names of all symbols in [_stext, _etext),
#                             sorted by (address, name): the function order
#   FGK-NOBODY lines= nonzero= unsorted=   /proc/kallsyms read as user nobody
#   FGK-DONE
# then reboots: the test config has no ACPI, so poweroff would only halt;
# QEMU runs with -no-reboot and exits on the reboot.
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs dev /dev 2>/dev/null
read up idle < /proc/uptime
echo "FGK-BEGIN uptime=$up"
echo "FGK-CMDLINE $(cat /proc/cmdline)"
if [ -e /fgk_test_mod.ko ]; then
	if insmod /fgk_test_mod.ko; then echo "FGK-INSMOD ok"; else echo "FGK-INSMOD FAIL"; fi
else
	echo "FGK-INSMOD none"
fi
dmesg | sed -n 's/^\[[^]]*\] *\(fgkaslr: \|test_fgkaslr: \|fgk_test_mod: \)/FGK-DMESG \1/p'

# fgk.selftest: wait for the kernel's own self-tests, which run in kthreads
# after boot (CONFIG_KALLSYMS_SELFTEST ends with "finish" or "abort")
case " $(cat /proc/cmdline) " in *" fgk.selftest "*)
	waited=0
	until dmesg | grep -qE 'kallsyms_selftest: (finish|abort)'; do
		[ $waited -ge 600 ] && { echo "FGK-SELFTEST timeout after $waited s"; break; }
		sleep 1
		waited=$((waited + 1))
	done
	dmesg | sed -n 's/^\[[^]]*\] *\(kallsyms_selftest: \)/FGK-DMESG \1/p'
	echo "FGK-SELFTEST waited $waited s"
	;;
esac

cat /proc/kallsyms > /tmp/ks.root
awk -v want="_stext _etext schedule vfs_read do_sys_openat2 __kmalloc_noprof _printk kstrtoint sort memchr_inv fgk_chain_a" '
	BEGIN { n = split(want, w, " ") }
	NF == 3 && !($3 in got) { got[$3] = $1 }
	END { for (i = 1; i <= n; i++) print "FGK-ADDR", w[i], (w[i] in got) ? "0x" got[w[i]] : "none" }
' /tmp/ks.root
# Hex strings of one width compare like numbers: compare them as strings
# ("" x). Root's /proc/kallsyms is in address order: sort only the names at
# one address (busybox sort of the whole list takes seconds under TCG); if
# it is not in address order, sort it all.
stext=$(awk '$3 == "_stext" { print $1; exit }' /tmp/ks.root)
etext=$(awk '$3 == "_etext" { print $1; exit }' /tmp/ks.root)
ksorder=address
awk -v lo="$stext" -v hi="$etext" '
	function flush(  i, j, t) {
		for (i = 2; i <= n; i++) {
			t = name[i]
			for (j = i - 1; j >= 1 && ("" name[j]) > ("" t); j--) name[j + 1] = name[j]
			name[j + 1] = t
		}
		for (i = 1; i <= n; i++) print name[i]
		n = 0
	}
	NF == 3 && ("" $1) >= ("" lo) && ("" $1) < ("" hi) {
		if (("" $1) < ("" prev)) unsorted = 1
		if (("" $1) != ("" prev)) { flush(); prev = $1 }
		name[++n] = $3
	}
	END { flush(); exit unsorted }
' /tmp/ks.root > /tmp/order || {
	ksorder=other
	awk -v lo="$stext" -v hi="$etext" 'NF == 3 && ("" $1) >= ("" lo) && ("" $1) < ("" hi)' /tmp/ks.root |
		sort -k1,1 -k3,3 | awk '{ print $3 }' > /tmp/order
}
# fgk.dump on the command line: the list itself, to diff against System.map
case " $(cat /proc/cmdline) " in *" fgk.dump "*) sed 's/^/FGK-SYM /' /tmp/order ;; esac
echo "FGK-ORDER $(md5sum < /tmp/order | cut -d' ' -f1) $(wc -l < /tmp/order) symbols (root's /proc/kallsyms in $ksorder order)"

# as user nobody: every address must read as 0, and on a shuffled kernel
# the lines come in name order ("unsorted" counts descents in the names)
if su -s /bin/sh nobody -c 'id -u; cat /proc/kallsyms' > /tmp/ks.nobody; then
	awk '
		NR == 1 { uid = $1; next }
		$1 !~ /^0+$/ { nonzero++ }
		NF == 3 { if (n && ("" $3) < ("" prev)) unsorted++; prev = $3; n++ }
		END { printf "FGK-NOBODY uid=%s lines=%d nonzero=%d unsorted=%d\n", uid, NR - 1, nonzero, unsorted }
	' /tmp/ks.nobody
else
	echo "FGK-NOBODY FAIL: su nobody did not work"
fi
read up idle < /proc/uptime
echo "FGK-DONE uptime=$up"
reboot -f
