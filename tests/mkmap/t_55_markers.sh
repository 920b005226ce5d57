# t_55_markers.sh: linker-script markers (_stext, range ends) where a unit starts stay put; a block's own markers follow it.

MARKER_CFG=(-c 'region .text end=text_end' -c 'fixed fixed_start fixed_end'
	-c 'block block_start block_end' -c 'symtab kallsyms')
# kallsyms order: a marker after a function at its address, as scripts/kallsyms sorts
MARKER_SYMS="_start _stext start_alias a b fixed_start c d fixed_end block_start e f block_end g h text_end"

# gen_marker_ksyms IMAGE SYMS: ksyms_data.s listing SYMS in the order given,
# names with a type letter as scripts/kallsyms writes them (zeros if no IMAGE).
gen_marker_ksyms() {
	local img=$1 syms=$2 base s a
	base=$([ -n "$img" ] && sym_addr "$img" _stext || echo 0)
	{
		echo "kallsyms_num_syms: .long $(echo $syms | wc -w)"
		echo "kallsyms_offsets:"
		for s in $syms; do
			a=$([ -n "$img" ] && sym_addr "$img" "$s" || echo 0)
			echo "	.long $((0x$a - 0x$base))	# $s"
		done
		echo "kallsyms_names:"
		for s in $syms; do
			echo "	.byte $((${#s} + 1)); .ascii \"T$s\""
		done
		echo "kallsyms_markers: .long 0"
		echo "kallsyms_seqs_of_names:"
		ksyms_seqs $syms
	} >ksyms_data.s
}

# link_markers LINK SYMS [CFLAGS...]: link twice (LINK: link_exec or link_pie),
# the second time with SYMS' addresses from the first.
link_markers() {
	local link=$1 syms=$2 base=0x400000
	shift 2
	[ "$link" = link_pie ] && base=0
	gen_marker_ksyms "" "$syms"
	cc_obj markers.s markers.o -Wa,-I. "$@"
	$link pass1 markers.o -Wl,-T,"$SRC/markers.lds",--defsym,TEXT_BASE=$base
	gen_marker_ksyms pass1 "$syms"
	cc_obj markers.s markers.o -Wa,-I. "$@"
	$link img markers.o -Wl,-T,"$SRC/markers.lds",--defsym,TEXT_BASE=$base
	[ "$(nm pass1)" = "$(nm img)" ] || fail "the second link moved symbols"
}

marker_checks() {
	ok || return
	stat_is regions 2
	local text a d g blk
	text=$(uid '\.text') a=$(uid '\.text\.a') d=$(uid '\.text\.d') g=$(uid '\.text\.g')
	blk=$(uid 'block_start\.\.block_end')
	# references to _stext and fixed_end target nothing, whatever the addend;
	# block_end follows the block, not g, which starts there
	has "^xref PC32 0x[0-9a-f]+ u$text -> -\$"
	has "^xref PC32 0x[0-9a-f]+ u$a -> -\$"
	has "^xref PC32 0x[0-9a-f]+ u$a -> u$blk\$"
	has "^xref ABS64 0x[0-9a-f]+ - -> u$blk\$"
	hasnt "-> u$d\$"
	hasnt "-> u$g\$"
	stat_is xrefs 4
	# kallsyms: _stext (among .text's symbols) and fixed_end stay, block_end goes with the block
	has '^override symtab entry 1 -> -$'
	has '^override symtab entry 8 -> -$'
	has "^override symtab entry 12 -> u$blk\$"
	count '^override' 3
	rt_ok img img.fgkmap
}

case_markers() {
	new_case markers
	link_markers link_exec "$MARKER_SYMS"
	mkmap "${MARKER_CFG[@]}" --ldmap img.map img -o img.fgkmap --dump
	marker_checks
}

# PIE: the R_X86_64_RELATIVE at a marker's pointer keeps the static decision (no xref).
case_markers_pie() {
	new_case markers_pie
	link_markers link_pie "$MARKER_SYMS" -fPIE
	mkmap "${MARKER_CFG[@]}" --ldmap img.map img -o img.fgkmap --dump
	marker_checks
}

case_markers_refused() {
	new_case markers_refused
	# a marker between two units of a region can neither stay nor follow one
	link_markers link_exec "$MARKER_SYMS" -Wa,--defsym,MIDREF=1
	mkmap "${MARKER_CFG[@]}" --ldmap img.map img -o img.fgkmap
	fails '^fgk-mkmap: img: \.data\+0x18 <ptrs\+0x18>: symbol mid_marker: R_X86_64_64 relocation: linker-script marker mid_marker at \.text\+0x[0-9a-f]+ .*lies inside region \[0x[0-9a-f]+, 0x[0-9a-f]+\) of \.text, where a unit starts: .*make its range `fixed` or `block`'
	link_markers link_exec "${MARKER_SYMS/g h/g mid_marker h}"
	mkmap "${MARKER_CFG[@]}" --ldmap img.map img -o img.fgkmap
	fails '^fgk-mkmap: img: kallsyms_offsets\+0x38: symbol 14 at 0x[0-9a-f]+ .*: linker-script marker mid_marker .*lies inside region'
	# kallsyms listing the block's end marker after g, which starts there
	link_markers link_exec "${MARKER_SYMS/block_end g/g block_end}"
	mkmap "${MARKER_CFG[@]}" --ldmap img.map img -o img.fgkmap
	fails 'symbol 13 at .*: the symbols of one unit are not contiguous: kallsyms lists linker-script marker block_end after symbols of the unit that starts at its address'
}

case_markers
case_markers_pie
case_markers_refused
