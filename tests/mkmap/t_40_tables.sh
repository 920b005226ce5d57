# t_40_tables.sh: tables read from their contents: owners, overrides (ORC terminators), fields, refusals.

TABLE_CFG=(-c 'region .text'
	-c 'table ex start=ex_start end=ex_end entry=12 key=0 kind=rel32 fields=4'
	-c 'table orc start=orc_ip_start end=orc_ip_end entry=4 key=0 kind=rel32 parallel=orc_data:2 end-marker=0:0xff:0'
	-c 'table mc start=mc_start end=mc_end entry=8 key=0 kind=abs64')

case_tables() {
	new_case tables
	cc_obj tables.s tables.o
	link_exec img tables.o
	mkmap "${TABLE_CFG[@]}" --ldmap img.map img -o img.fgkmap --dump
	ok || return
	stat_is units 4
	f1=$(uid .text.f1) f2=$(uid .text.f2) f3=$(uid .text.f3)
	has "^table 0: off 0x[0-9a-f]+ entries 3 entry_size 12 key 0 rel32 fields 0x2 parallel 0x0/0 overrides 0\$"
	has "^fields entry 0: u$f2\$"
	has "^fields entry 1: u$f2\$"
	has "^fields entry 2: u$f1\$"
	has "^table 1: off 0x[0-9a-f]+ entries 6 entry_size 4 key 0 rel32 fields 0x0 parallel 0x[0-9a-f]+/2 overrides 3\$"
	has "^override table entry 1 -> u$f1\$"
	has "^override table entry 3 -> u$f2\$"
	has "^override table entry 5 -> u$f3\$"
	count '^override' 3
	has "^table 2: off 0x[0-9a-f]+ entries 3 entry_size 8 key 0 abs64 .* overrides 0\$"
	# table sites carry no xrefs (their relocations are stale once sorted);
	# the abs64 table gets exactly one base relocation per entry
	stat_is xrefs 0
	stat_is relocs-ABS64 3
	mc=$(sym_addr img mc_start) text=$(sym_addr img _start)
	has "^reloc ABS64 $(printf '0x%x' $((0x$mc - 0x$text + 0x1000 + 16)))\$"
	rt_ok img img.fgkmap
}

case_bad_tables() {
	new_case bad_tables
	cc_obj bad_tables.s bad.o
	link_exec img bad.o
	mkmap -c 'region .text' -c 'table u start=uns_start end=uns_end entry=4 key=0 kind=rel32' \
		--ldmap img.map img -o img.fgkmap
	fails 'img: .*uns_start.*table u .*entry 1: the table is not sorted by key'
	mkmap -c 'region .text' -c 'table p start=pad_start end=pad_end entry=4 key=0 kind=rel32' \
		--ldmap img.map img -o img.fgkmap
	fails 'table p .*entry 1: key points into region padding, in no unit: \.text\+0x5'
	mkmap -c 'region .text' -c 'table p start=pad_start end=pad_end entry=3 key=0 kind=rel32' \
		--ldmap img.map img -o img.fgkmap
	fails 'symbol pad_end: table p: 8 bytes, entry=3, key=0 do not make whole entries'
}

# skip-zero: entries zeroed after the link (sorttable does it to overridden
# weak functions in __mcount_loc) sort first and stay out of the table.
case_skip_zero() {
	new_case skip_zero
	cc_obj tables.s tables.o
	link_exec img tables.o
	mc=$(sym_addr img mc_start)
	printf '\0\0\0\0\0\0\0\0' | dd of=img bs=1 seek="$(file_off img "$mc")" conv=notrunc status=none
	# below a low link base, 0 sorts first anyway (above a kernel's it would not)
	mkmap "${TABLE_CFG[@]}" --ldmap img.map img -o img.fgkmap --dump
	ok || return
	has '^table 2: .* entries 3 entry_size 8 key 0 abs64 '
	mkmap "${TABLE_CFG[@]::6}" \
		-c 'table mc start=mc_start end=mc_end entry=8 key=0 kind=abs64 skip-zero' \
		--ldmap img.map img -o img.fgkmap --dump
	ok || return
	off=$(printf '0x%x' $((0x$mc - 0x$(sym_addr img _start) + 0x1000)))
	has "^table 2: off $(printf '0x%x' $((off + 8))) entries 2 entry_size 8 key 0 abs64 "
	# every slot keeps its base relocation, the zeroed one included (relocs.c)
	stat_is relocs-ABS64 3
	has "^reloc ABS64 $off\$"
	stat_is xrefs 0
	rt_ok img img.fgkmap
}

case_tables
case_bad_tables
case_skip_zero
