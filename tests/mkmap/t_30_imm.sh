# t_30_imm.sh: a rel32 followed by an immediate resolves to the right unit (not S + A); unit-edge owners.

case_imm() {
	new_case imm
	cc_obj imm.s imm.o
	link_exec img imm.o
	mkmap -c 'region .data' -c 'region .text' --ldmap img.map img -o img.fgkmap --dump
	ok || return
	stat_is units 4
	stat_is regions 2
	a=$(uid .data.a) b=$(uid .data.b) c=$(uid .data.c) f=$(uid .text.f)
	has "^unit $b: off 0x[0-9a-f]+ size 0x4 align 4 \.data\.b \(imm\.o\) (a_end|b)\$"
	count "^xref PC32 0x[0-9a-f]+ u$f -> u$b\$" 5
	count "^xref PC32 0x[0-9a-f]+ u$f -> u$a\$" 1
	count "^xref PC32 0x[0-9a-f]+ u$f -> u$c\$" 0
	stat_is xrefs 6
	rt_ok img img.fgkmap
}
case_imm
