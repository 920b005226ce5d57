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
	# region 0 ends where a hole starts: too tight for the bound on the
	# worst case (an align-1 unit among 16-aligned ones); region 1 is one
	# 16-aligned unit followed by a 16-aligned hole: it always fits; the
	# slack up to end= leaves room in region 2
	has '^region 0: .* WARNING: worst case exceeds capacity'
	hasnt '^region 1: .*WARNING'
	hasnt '^region 2: .*WARNING'
	[ "$(grep -c NOSPACE err)" = 1 ] || fail "expected one NOSPACE warning on stderr"
	# it says by how much, and where the slack must grow: before the fixed range
	grep -Eq 'capacity 0x22: some seeds may fail with NOSPACE .*: reserve 0x8 more bytes of slack before \.text\+0x22 <(fixed_start|c)\+0x0>, where a range that stays put starts' err ||
		fail "NOSPACE warning lacks what to grow: $(cat err)"
	stat_is region-0-needed 42
	stat_is region-0-capacity 34
	stat_is region-2-capacity 294
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
	no_warnings
	rt_ok img img.fgkmap
	# end= inside an input section would cut it
	mkmap -c 'region .text end=mid_tail' --ldmap img.map img -o img.fgkmap
	fails 'symbol mid_tail: region end cuts input section \.text\.tail \(regions_tail\.o\)'
}

# The worst-case bound: eight 16-byte functions aligned to 16 and a 6-byte
# one aligned to 1 (0x86 bytes in link order). Any order fits in 0x86 + 15
# (the 16-aligned ones after the odd one move by 15 at most) = 0x95, while
# "every unit loses align - 1" would ask for 0x104. must-fit turns the
# warning into an error.
case_regions_bound() {
	new_case regions_bound
	cc_obj aligned16.s aligned16.o
	link_exec img aligned16.o -Wl,-T,"$SRC/aligned16.lds",--defsym,SLACK=0xf
	mkmap -c 'region .text end=text_end must-fit' --ldmap img.map img -o img.fgkmap --dump
	ok || return
	has '^region 0: \[0x0, 0x95\) units 0\+9 capacity 0x95 slack 0x0$'
	no_warnings
	rt_ok img img.fgkmap
	link_exec img2 aligned16.o -Wl,-T,"$SRC/aligned16.lds",--defsym,SLACK=0xe
	mkmap -c 'region .text end=text_end' --ldmap img2.map img2 -o img2.fgkmap --dump
	ok || return
	has '^region 0: .* slack -0x1 WARNING: worst case exceeds capacity'
	stat_is region-0-needed 149
	stat_is region-0-capacity 148
	grep -q 'capacity 0x94: some seeds may fail with NOSPACE .*: reserve 0x1 more bytes of slack before end=text_end$' err ||
		fail "NOSPACE warning lacks what to grow: $(cat err)"
	mkmap -c 'region .text end=text_end must-fit' --ldmap img2.map img2 -o img2.fgkmap
	fails 'worst-case layout needs 0x95 bytes, capacity 0x94 \(must-fit\): reserve 0x1 more bytes of slack before end=text_end$'
	# no end=: the output section's end is the capacity
	mkmap -c 'region .text' --ldmap img2.map img2 -o img2.fgkmap
	grep -q 'reserve 0x1 more bytes of slack at the end of output section \.text (and name its end with end=)$' err ||
		fail "NOSPACE warning lacks what to grow: $(cat err)"
	mkmap -c 'region .text must-fit must-fit' --ldmap img.map img -o img.fgkmap
	fails "expected end=<symbol> or must-fit, got 'must-fit'"
}

case_regions
case_regions_bad
case_regions_tail
case_regions_bound
