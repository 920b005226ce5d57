# t_50_kallsyms.sh: a kallsyms symbol table, linked twice as the kernel does; owners and overrides.

KSYMS="_start f1 f2 f2_end f3 etext"

# gen_ksyms IMAGE MODE: ksyms_data.s from IMAGE's addresses (zeros if no IMAGE).
gen_ksyms() {
	local img=$1 mode=$2 base n=0 s a v
	base=$([ -n "$img" ] && sym_addr "$img" _start || echo 0)
	{
		echo "kallsyms_num_syms: .long $(echo $KSYMS | wc -w)"
		echo "kallsyms_offsets:"
		for s in $KSYMS; do
			a=$([ -n "$img" ] && sym_addr "$img" "$s" || echo 0)
			if [ "$mode" = relative ]; then
				v=$((0x$a - 0x$base))
			else	# abs-percpu: negative, relative_base - 1 - v
				v=$((0x$base - 0x$a - 1))
			fi
			echo "	.long $v"
		done
		[ "$mode" = relative ] || echo "	.long 0x20	# an absolute (per-CPU) symbol"
		echo "kallsyms_names:"
		for s in $KSYMS; do
			echo "	.byte ${#s}; .ascii \"$s\""
		done
		[ "$mode" = relative ] || echo "	.byte 3; .ascii \"pcp\""
		echo "kallsyms_markers: .long 0"
		echo "kallsyms_seqs_of_names:"
		for s in $KSYMS; do
			echo "	.byte 0, 0, $n"
			n=$((n + 1))
		done
		[ "$mode" = relative ] || echo "	.byte 0, 0, $n"
	} >ksyms_data.s
	[ "$mode" = relative ] || sed -i 's/^kallsyms_num_syms: .long \([0-9]*\)/echo "kallsyms_num_syms: .long $((\1 + 1))"/e' ksyms_data.s
}

# link_ksyms MODE: two passes; the second must not move anything.
link_ksyms() {
	gen_ksyms "" "$1"
	must gcc -c -Wa,-I. "$SRC/ksyms.s" -o ksyms.o
	link_exec pass1 ksyms.o
	gen_ksyms pass1 "$1"
	must gcc -c -Wa,-I. "$SRC/ksyms.s" -o ksyms.o
	link_exec img ksyms.o
	[ "$(nm pass1)" = "$(nm img)" ] || fail "the second kallsyms link moved symbols"
}

case_kallsyms() {
	new_case kallsyms
	link_ksyms relative
	mkmap -c 'region .text' -c 'symtab kallsyms' --ldmap img.map img -o img.fgkmap --dump
	ok || return
	stat_is units 4
	stat_is syms 6
	f2=$(uid .text.f2)
	has '^symtab: syms 6 offsets 0x[0-9a-f]+ relative names 0x[0-9a-f]+\+0x1d markers 0x[0-9a-f]+ seqs 0x[0-9a-f]+ flags 0x1 relative_base 0x401000 overrides 1$'
	# f2_end: zero-size, one past f2 in padding -> f2; etext: the region end -> none
	has "^override symtab entry 3 -> u$f2\$"
	count '^override' 1
	# kallsyms_relative_base keeps its value: a base relocation, no xref
	stat_is xrefs 0
	stat_is relocs-ABS64 1
}

case_kallsyms_percpu() {
	new_case kallsyms_percpu
	link_ksyms abs-percpu
	mkmap -c 'region .text' -c 'symtab kallsyms abs-percpu' --ldmap img.map img -o img.fgkmap --dump
	ok || return
	stat_is syms 7
	has '^symtab: syms 7 .* abs-percpu .* overrides 1$'
	has "^override symtab entry 3 -> u$(uid .text.f2)\$"
}

case_kallsyms
case_kallsyms_percpu
