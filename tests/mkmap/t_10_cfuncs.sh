# t_10_cfuncs.sh: C functions with -ffunction-sections: one unit each, calls and pointers between them.

case_cfuncs() {
	new_case cfuncs
	cc_obj funcs.c funcs.o -fno-pie
	link_exec img funcs.o
	mkmap -c 'region .text' --ldmap img.map img -o img.fgkmap --dump
	ok || return
	stat_is units 5
	stat_is regions 1
	has '^map .* checksum ok'
	helper=$(uid .text.helper) foo=$(uid .text.foo) bar=$(uid .text.bar)
	take=$(uid .text.take) start=$(uid _start)
	has "^unit $foo: off 0x[0-9a-f]+ size 0x[0-9a-f]+ align 16 \.text\.foo \(funcs\.o\) foo\$"
	# calls: PC32 from the caller's unit to the callee's
	has "^xref PC32 0x[0-9a-f]+ u$foo -> u$helper\$"
	has "^xref PC32 0x[0-9a-f]+ u$bar -> u$foo\$"
	has "^xref PC32 0x[0-9a-f]+ u$start -> u$take\$"
	count "^xref PC32 0x[0-9a-f]+ u$start -> u$bar\$" 2
	# data references from units to non-units, and from .eh_frame to units
	count "^xref PC32 0x[0-9a-f]+ u[0-9]+ -> -\$" 4
	count "^xref PC32 0x[0-9a-f]+ - -> u[0-9]+\$" 5
	# fptrs[] in .rodata: ABS64 xrefs and base relocations; mov $helper: ABS32
	has "^xref ABS64 0x[0-9a-f]+ - -> u$foo\$"
	has "^xref ABS64 0x[0-9a-f]+ - -> u$bar\$"
	has "^xref ABS32 0x[0-9a-f]+ u$start -> u$helper\$"
	stat_is xrefs-ABS64 2
	stat_is relocs-ABS64 2
	stat_is relocs-ABS32 1
	stat_is relocs-INV32 0
	rt_ok img img.fgkmap
	# no slack after .text: the worst case does not fit, and the dump says so
	has '^region 0: .* WARNING: worst case exceeds capacity'
	grep -q 'some seeds may fail with NOSPACE' err || fail "no NOSPACE warning on stderr"

	# --dump-map prints the same map again, naming units from the image if given
	cp out build.dump
	mkmap --dump-map img.fgkmap img
	ok
	[ "$(grep -c '^xref' out)" = "$(grep -c '^xref' build.dump)" ] || fail "--dump-map: other xrefs"
	has "^unit $foo: off 0x[0-9a-f]+ size 0x[0-9a-f]+ align 16 foo\$"
	mkmap --dump-map img.fgkmap
	ok
	stat_is units 5
}

# The map names its image by the GNU build id in the loaded image; without
# one it cannot, and says so.
case_image_id() {
	new_case image_id
	cc_obj funcs.c funcs.o -fno-pie
	must gcc -nostdlib -no-pie -Wl,--emit-relocs,-Map=img.map,--build-id=sha1 funcs.o -o img
	id=$(readelf -n img | sed -n 's/.*Build ID: //p')
	mkmap -c 'region .text' --ldmap img.map img -o img.fgkmap --dump
	ok || return
	has "^map image-id 0x[0-9a-f]+ $id\$"
	link_exec none funcs.o
	mkmap -c 'region .text' --ldmap none.map none -o none.fgkmap --dump
	ok || return
	has '^map image-id none$'
	grep -q 'warning: none: no GNU build id in the loaded image' err || fail "no warning without a build id"
}

case_cfuncs
case_image_id
