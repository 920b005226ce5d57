# t_50_kallsyms.sh: a kallsyms symbol table, linked twice as the kernel does; owners and overrides.

KSYMS="_start f1 f2 f2_end f3 etext"

# kname SYMBOL: its kallsyms text; KSYM_AS="SYMBOL TEXT" lists one under
# another name (to give two symbols one name).
kname() {
	set -- "$1" ${KSYM_AS:-}
	[ "$1" = "${2:-}" ] && echo "$3" || echo "$1"
}

# gen_ksyms IMAGE MODE [ABS-AT]: ksyms_data.s from IMAGE's addresses (zeros if no
# IMAGE). abs-percpu adds an absolute symbol "pcp" (0x20), first in address
# order as scripts/kallsyms.c sorts it, or last with ABS-AT=last (unsorted).
# KSYM_SEQS_SWAP=1 swaps the first two entries of kallsyms_seqs_of_names.
gen_ksyms() {
	local img=$1 mode=$2 at=${3:-first} base s a v syms=$KSYMS
	base=$([ -n "$img" ] && sym_addr "$img" _start || echo 0)
	if [ "$mode" != relative ]; then
		[ "$at" = first ] && syms="pcp $KSYMS" || syms="$KSYMS pcp"
	fi
	{
		echo "kallsyms_num_syms: .long $(echo $syms | wc -w)"
		echo "kallsyms_offsets:"
		for s in $syms; do
			a=$([ -n "$img" ] && sym_addr "$img" "$s" || echo 0)
			if [ "$s" = pcp ]; then
				v=0x20			# absolute: a per-CPU offset
			elif [ "$mode" = relative ]; then
				v=$((0x$a - 0x$base))
			else			# abs-percpu: negative, relative_base - 1 - v
				v=$((0x$base - 0x$a - 1))
			fi
			echo "	.long $v	# $s"
		done
		echo "kallsyms_names:"
		for s in $syms; do
			s=$(kname "$s")
			echo "	.byte ${#s}; .ascii \"$s\""
		done
		echo "kallsyms_markers: .long 0"
		echo "kallsyms_seqs_of_names:"
		# the first character is the type letter
		ksyms_seqs $(for s in $syms; do s=$(kname "$s"); echo "${s#?}"; done) |
			if [ -n "${KSYM_SEQS_SWAP:-}" ]; then sed '1{h;d};2G'; else cat; fi
	} >ksyms_data.s
}

# link_ksyms MODE: two passes; the second must not move anything.
link_ksyms() {
	gen_ksyms "" "$1" "${2:-}"
	must gcc -c -Wa,-I. "$SRC/ksyms.s" -o ksyms.o
	link_exec pass1 ksyms.o
	gen_ksyms pass1 "$1" "${2:-}"
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
	rt_ok img img.fgkmap
}

case_kallsyms_percpu() {
	new_case kallsyms_percpu
	link_ksyms abs-percpu
	mkmap -c 'region .text' -c 'symtab kallsyms abs-percpu' --ldmap img.map img -o img.fgkmap --dump
	ok || return
	stat_is syms 7
	has '^symtab: syms 7 .* abs-percpu .* overrides 1$'
	has "^override symtab entry 4 -> u$(uid .text.f2)\$"
	rt_ok img img.fgkmap
	# an absolute symbol after the others breaks the address order
	link_ksyms abs-percpu last
	mkmap -c 'region .text' -c 'symtab kallsyms abs-percpu' --ldmap img.map img -o img.fgkmap
	fails '^fgk-mkmap: img: kallsyms_offsets\+0x18: symbol 6 at 0x20 .*: kallsyms is not sorted by address'
}

# Two symbols of one name (static functions of two files): their seqs
# positions are a tie the runtime puts back in address order.
case_kallsyms_ties() {
	new_case kallsyms_ties
	KSYM_AS="f3 t1" link_ksyms relative
	mkmap -c 'region .text' -c 'symtab kallsyms' --ldmap img.map img -o img.fgkmap --dump
	ok || return
	# by name: 1 (f1), 1 (f3), 2, 2_end, start, text
	has '^tie seqs 0 \+2$'
	stat_is sym-ties 1
	rt_ok img img.fgkmap
	# seqs not sorted by name is no kallsyms the runtime can keep sorted
	KSYM_AS="f3 t1" KSYM_SEQS_SWAP=1 link_ksyms relative
	mkmap -c 'region .text' -c 'symtab kallsyms' --ldmap img.map img -o img.fgkmap
	fails '^fgk-mkmap: img: kallsyms_seqs_of_names\+0x3: not sorted by name, then address: 1 \(symbol 1\) after 1 \(symbol 4\)$'
}

case_kallsyms
case_kallsyms_percpu
case_kallsyms_ties
