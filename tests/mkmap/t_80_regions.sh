# t_80_regions.sh: fixed ranges, kept sections and blocks split regions; region capacity from end=.

REGION_CFG=(-c 'region .text end=text_end' -c 'fixed fixed_start fixed_end'
	-c 'keep .text.keep*' -c 'block block_start block_end')

case_regions() {
	new_case regions
	cc_obj regions.s regions.o
	link_exec img regions.o -Wl,-T,"$SRC/regions.lds"
	mkmap "${REGION_CFG[@]}" --ldmap img.map img -o img.fgkmap --dump
	ok || return
	stat_is regions 3
	stat_is units 6
	hasnt '\.text\.(c|keepme) '
	has '^unit 0: .* \.text \(regions\.o\) _start$'
	has '^unit 1: .* \.text\.a \(regions\.o\) a$'
	has '^unit 2: .* \.text\.b \(regions\.o\) b$'
	has '^unit 3: .* \.text\.d \(regions\.o\) d$'
	has '^unit 4: .* align 64 block block_start\.\.block_end \(-\) (block_start|e)$'
	has '^unit 5: .* \.text\.g \(regions\.o\) g$'
	has '^region 0: \[0x0, 0x[0-9a-f]+\) units 0\+3 '
	has '^region 1: \[0x[0-9a-f]+, 0x[0-9a-f]+\) units 3\+1 '
	has '^region 2: \[0x[0-9a-f]+, 0x[0-9a-f]+\) units 4\+2 capacity 0x[0-9a-f]+ slack 0x[0-9a-f]+$'
	# the fixed range, the kept section and the block are not cut by xrefs
	has '^xref PC32 0x[0-9a-f]+ u1 -> -$'
	has '^xref PC32 0x[0-9a-f]+ - -> u1$'
	has '^xref PC32 0x[0-9a-f]+ u3 -> -$'
	has '^xref PC32 0x[0-9a-f]+ - -> u3$'
	has '^xref PC32 0x[0-9a-f]+ u5 -> u4$'
	hasnt '^xref PC32 0x[0-9a-f]+ u4 '
	stat_is xrefs 6
	# regions 0 and 1 end where a hole starts: too tight for the worst case
	# (every unit losing align - 1 bytes); the slack up to end= leaves
	# room in region 2
	has '^region 0: .* WARNING: worst case exceeds capacity'
	has '^region 1: .* WARNING: worst case exceeds capacity'
	hasnt '^region 2: .*WARNING'
	[ "$(grep -c NOSPACE err)" = 2 ] || fail "expected two NOSPACE warnings on stderr"
	rt_ok img img.fgkmap
}

case_regions_bad() {
	new_case regions_bad
	cc_obj regions.s regions.o
	link_exec img regions.o -Wl,-T,"$SRC/regions.lds"
	mkmap -c 'region .text' -c 'fixed fixed_start mid_c' --ldmap img.map img -o img.fgkmap
	fails '^fgk-mkmap: -c #2: \.text\+0x[0-9a-f]+ <mid_c\+0x0>: symbol mid_c: fixed range boundary is not an input-section boundary: it cuts \.text\.c \(regions\.o\)'
	mkmap -c 'region .text' -c 'block a mid_c' --ldmap img.map img -o img.fgkmap
	fails 'symbol mid_c: block range boundary is not an input-section boundary'
	mkmap -c 'region .text' -c 'fixed fixed_start no_such_symbol' --ldmap img.map img -o img.fgkmap
	fails '^fgk-mkmap: -c #2: symbol no_such_symbol: symbol not found in img'
	mkmap -c 'region .text' -c 'block block_start block_end' -c 'fixed f block_end' \
		--ldmap img.map img -o img.fgkmap
	fails 'symbol block_start: block overlaps a fixed range or a kept input section'
	mkmap -c 'region .data' -c 'fixed fixed_start fixed_end' --ldmap img.map img -o img.fgkmap
	ok
	grep -q '^fgk-mkmap: warning: -c #2: fixed range fixed_start\.\.fixed_end lies in no region: it has no effect$' err ||
		fail "no warning for a range outside every region"
	mkmap -c 'region .nosuch' --ldmap img.map img -o img.fgkmap
	fails '^fgk-mkmap: -c #1: \.nosuch: region: no loaded output section of this name in img'
}

# Input sections after end= are in no region: they stay put, and a fixed
# range over them needs no unit (no "no effect" warning either).
case_regions_tail() {
	new_case regions_tail
	cc_obj regions_tail.s regions_tail.o
	link_exec img regions_tail.o -Wl,-T,"$SRC/regions_tail.lds"
	mkmap -c 'region .text end=text_end' -c 'fixed tail_start tail_end' \
		--ldmap img.map img -o img.fgkmap --dump
	ok || return
	stat_is regions 1
	stat_is units 3
	hasnt '\.text\.tail '
	has '^region 0: \[0x0, 0x[0-9a-f]+\) units 0\+3 capacity 0x[0-9a-f]+ slack 0x[0-9a-f]+$'
	has '^xref PC32 0x[0-9a-f]+ u1 -> -$'
	has '^xref PC32 0x[0-9a-f]+ - -> u2$'
	! grep -q 'warning' err || fail "unexpected warning: $(cat err)"
	rt_ok img img.fgkmap
	# end= inside an input section would cut it
	mkmap -c 'region .text end=mid_tail' --ldmap img.map img -o img.fgkmap
	fails 'symbol mid_tail: region end cuts input section \.text\.tail \(regions_tail\.o\)'
}

case_regions
case_regions_bad
case_regions_tail
