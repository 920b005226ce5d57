# t_33_outside.sh: values computed from a symbol in a unit but outside the image (__pa_symbol) follow the symbol's unit.

case_outside() {
	new_case outside
	cc_obj outside.s outside.o
	link_exec img outside.o
	mkmap -c 'region .text' -c 'keep .text.keep_*' --ldmap img.map img -o img.fgkmap --dump
	ok || return
	local entry f
	entry=$(uid .text.entry) f=$(uid .text.f)
	has "^xref ABS32S 0x[0-9a-f]+ u$entry -> u$f\$"
	has "^xref ABS32 0x[0-9a-f]+ u$entry -> u$f\$"
	has "^xref ABS64 0x[0-9a-f]+ u$entry -> u$f\$"
	has "^xref PC32 0x[0-9a-f]+ u$entry -> u$f\$"
	# fixed_fn and datum stay put: an absolute field to them never changes
	# (only its site moves), so it is no xref
	hasnt "^xref ABS32S 0x[0-9a-f]+ u$entry -> -\$"
	stat_is xrefs 4
	rt_ok img img.fgkmap
	# a section symbol (.text + A) does not say which unit the value is from
	cc_obj outside.s bad.o -Wa,--defsym,SECSYM=1
	link_exec bad bad.o
	mkmap -c 'region .text' -c 'keep .text.keep_*' --ldmap bad.map bad -o bad.fgkmap
	fails '^fgk-mkmap: bad: \.text\+0x[0-9a-f]+ <_start\+0x[0-9a-f]+>: symbol \.text: R_X86_64_32S relocation: the value 0x[0-9a-f]+ lies outside the image .*section symbol'
}

case_outside
