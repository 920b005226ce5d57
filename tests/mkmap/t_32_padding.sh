# t_32_padding.sh: references computed into region padding: a named symbol's unit, else refused.

case_padding() {
	new_case padding
	cc_obj pad.s pad.o
	link_exec img pad.o
	mkmap -c 'region .data' -c 'region .text' --ldmap img.map img -o img.fgkmap --dump
	ok || return
	a=$(uid .data.a) f=$(uid .text.f)
	has "^xref PC32 0x[0-9a-f]+ u$f -> u$a\$"
	has "^xref ABS32S 0x[0-9a-f]+ u$f -> u$a\$"
	# a+8 points into the padding after a's unit: the map stores its target
	# (the leaq's field, read as self-relative, still points into a: found)
	stat_is xrefs-stored 1
	grep -q "warning: 2 reference(s) computed into region padding were given their symbol's unit, e.g. a: a+0x6 from \.text+0x3 <_start+0x3>" err ||
		fail "no warning about the references into padding"
	rt_ok img img.fgkmap
	cc_obj pad.s bad.o -Wa,--defsym,BAD=1
	link_exec bad bad.o
	mkmap -c 'region .data' -c 'region .text' --ldmap bad.map bad -o bad.fgkmap
	fails '^fgk-mkmap: bad: \.text\+0x[0-9a-f]+ <g\+0x3>: symbol \.data: R_X86_64_PC32 relocation: the target 0x[0-9a-f]+ \(\.data\+0x6 <a\+0x6>\) lies in region padding, in no unit'
}

case_padding
