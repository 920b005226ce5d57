# t_20_kinds.sh: one input section with two functions is one unit; each relocation kind.

case_kinds() {
	new_case kinds
	cc_obj kinds.s kinds.o -Wa,-mrelax-relocations=no	# keep a GOT load unrelaxed
	link_exec img kinds.o
	mkmap -c 'region .text' --ldmap img.map img -o img.fgkmap --dump
	ok || return
	stat_is units 2
	two=$(uid .text.two) other=$(uid .text.other)
	has "^unit $two: .* align 16 \.text\.two \(kinds\.o\) two_a\$"
	# references inside .text.two have no relocations: it moves as a whole
	hasnt "^xref [A-Z0-9]+ 0x[0-9a-f]+ u$two "
	count "^xref PC32 0x[0-9a-f]+ u$other -> u$two\$" 2
	has "^xref ABS32S 0x[0-9a-f]+ u$other -> u$two\$"
	has "^xref ABS32 0x[0-9a-f]+ u$other -> u$two\$"
	hasnt "^xref ABS32S 0x[0-9a-f]+ u$other -> -\$"	# never changes: no xref
	has "^xref PC32 0x[0-9a-f]+ u$other -> -\$"
	count "^xref PC32 0x[0-9a-f]+ u$other -> -\$" 2
	# the GOT slot (ET_EXEC: filled by ld) holds two_a: an xref and a base reloc
	count "^xref ABS64 0x[0-9a-f]+ - -> u$two\$" 2
	count "^xref ABS64 0x[0-9a-f]+ - -> u$other\$" 1
	has "^xref PC32 0x[0-9a-f]+ - -> u$two\$"
	has "^xref PC64 0x[0-9a-f]+ - -> u$other\$"
	stat_is xrefs 11
	rt_ok img img.fgkmap
	# base relocations: 64 x2 (not the weak one) and the GOT slot,
	# 32 and 32S to two_a/two_b (not abs_sym)
	stat_is relocs-ABS64 3
	stat_is relocs-ABS32 2
	# sites: the .data pointers at ptrs and ptrs+8
	ptrs=$(sym_addr img ptrs)
	base=$(sym_addr img two_a)
	off=$(printf '0x%x' $((0x$ptrs - 0x$base + 0x1000)))
	has "^reloc ABS64 $off\$"
}
case_kinds
