# t_60_pie.sh: -pie images: R_X86_64_RELATIVE (.rela.dyn) and RELR (.relr.dyn) base relocations, the GOT.

pie_checks() {
	ok || return
	has '^map .* flags 0x1 \(pie\), checksum ok'
	stat_is units 6
	foo=$(uid .text.foo) bar=$(uid .text.bar) got=$(uid .text.gotuser)
	# fptrs[]: static R_X86_64_64 and dynamic RELATIVE at one site: one xref each
	count "^xref ABS64 0x[0-9a-f]+ - -> u$foo\$" 2
	count "^xref ABS64 0x[0-9a-f]+ - -> u$bar\$" 1
	stat_is xrefs-ABS64 3
	stat_is relocs-ABS64 3
	stat_is relocs-ABS32 0
	# the relaxed GOT load points at foo, the other one at the GOT slot
	has "^xref PC32 0x[0-9a-f]+ u$got -> u$foo\$"
	has "^xref PC32 0x[0-9a-f]+ u$got -> -\$"
	slot=$(grep -E "^xref ABS64 0x[0-9a-f]+ - -> u$foo\$" out | awk '{print $3}' | sort | tail -1)
	has "^reloc ABS64 $slot\$"
	rt_ok img img.fgkmap
}

case_pie() {
	new_case pie
	cc_obj funcs.c funcs.o -fPIE
	cc_obj got.s got.o
	link_pie img funcs.o got.o
	mkmap -c 'region .text' --ldmap img.map img -o img.fgkmap --dump
	pie_checks || return
	# a RELATIVE field that does not hold its addend is refused
	site=$(readelf -rW img | awk '/R_X86_64_RELATIVE/ { print $1; exit }')
	printf '\x01\x02\x03\x04\x05\x06\x07\x08' |
		dd of=img bs=1 seek="$(file_off img "$site")" conv=notrunc status=none
	mkmap -c 'region .text' --ldmap img.map img -o img.fgkmap
	fails "img: .*R_X86_64_RELATIVE field holds 0x807060504030201, not its addend .*-z apply-dynamic-relocs"
}

case_pie_relr() {
	new_case pie_relr
	cc_obj funcs.c funcs.o -fPIE
	cc_obj got.s got.o
	link_pie img funcs.o got.o -Wl,-z,pack-relative-relocs
	readelf -SW img | grep -q '\.relr\.dyn' || fail "no .relr.dyn in the image"
	mkmap -c 'region .text' --ldmap img.map img -o img.fgkmap --dump
	pie_checks
}

# Every R_X86_64_RELATIVE, with a static relocation at its site (fptrs[]) or
# not (the GOT slot), is refused when its field does not hold its addend:
# an ABS64 xref would add to the wrong value. (The GOT load's own check
# sees a broken slot first.)
case_pie_relative_stale() {
	new_case pie_relative_stale
	cc_obj funcs.c funcs.o -fPIE
	cc_obj got.s got.o
	link_pie img funcs.o got.o
	local site n=0
	for site in $(readelf -rW img | awk '/R_X86_64_RELATIVE/ { print $1 }'); do
		cp img bad
		printf '\x08\x07\x06\x05\x04\x03\x02\x01' |
			dd of=bad bs=1 seek="$(file_off bad "$site")" conv=notrunc status=none
		mkmap -c 'region .text' --ldmap img.map bad -o bad.fgkmap
		fails "^fgk-mkmap: bad: .*(R_X86_64_RELATIVE field holds 0x102030405060708, not its addend 0x[0-9a-f]+|the GOT slot it uses does not hold the symbol's address)" || return
		n=$((n + 1))
	done
	[ "$n" = 3 ] || fail "$n R_X86_64_RELATIVE sites, expected 3 (fptrs[0..1], the GOT slot)"
}

# Symbolic dynamic relocations (here against a shared library) are refused.
case_pie_symbolic() {
	new_case pie_symbolic
	cc_obj extvar.s extvar.o
	must gcc -shared -nostdlib -o libext.so extvar.o
	cc_obj useext.s useext.o
	link_pie img useext.o -L. -lext
	mkmap -c 'region .text' --ldmap img.map img -o img.fgkmap
	fails '^fgk-mkmap: img: \.rela\.dyn\+0x0: symbol ext_var: unsupported dynamic relocation R_X86_64_64 at 0x[0-9a-f]+: only R_X86_64_RELATIVE in a -pie image'
}

# --image-relocs: the map leaves the relocations out, the runtime decodes
# the image's RELA and RELR (checked equal); a position dependent image
# has none to give.
case_pie_image_relocs() {
	new_case pie_image_relocs
	cc_obj funcs.c funcs.o -fPIE
	cc_obj got.s got.o
	link_pie img funcs.o got.o -Wl,-z,pack-relative-relocs
	mkmap -c 'region .text' --ldmap img.map img -o img.fgkmap --image-relocs --dump
	ok || return
	has '^map .* flags 0x3 \(pie\) \(image relocs\), checksum ok'
	stat_is relocs-ABS64 0
	stat_is xrefs-ABS64 3
	rt_ok img img.fgkmap
	cc_obj funcs.c exec.o
	link_exec exec exec.o
	mkmap -c 'region .text' --ldmap exec.map exec -o exec.fgkmap --image-relocs
	fails '^fgk-mkmap: exec: --image-relocs: not a PIE image'
	# a PIE image's list is not vmlinux.relocs: the runtime would refuse such a map
	printf '\0\0\0\0\0\0\0\0\0\0\0\0' > img.relocs
	mkmap -c 'region .text' --ldmap img.map img -o bm.fgkmap --base-relocs img.relocs
	fails "^fgk-mkmap: img: --base-relocs: a PIE image's base relocations are its own RELA/RELR: use --image-relocs"
}

case_pie
case_pie_image_relocs
case_pie_relative_stale
case_pie_relr
case_pie_symbolic
