# t_35_objects.sh: unit alignments from the objects: same-named sections in order, archive members.

case_dup_sections() {
	new_case dup_sections
	cc_obj dup.s dup.o
	link_exec img dup.o
	mkmap -c 'region .text' --ldmap img.map img -o img.fgkmap --dump
	ok || return
	stat_is units 3
	# two .text.dup of one byte each: the first listed is the first in dup.o
	has '^unit 1: off 0x[0-9a-f]+ size 0x1 align 32 \.text\.dup \(dup\.o\) dup_one$'
	has '^unit 2: off 0x[0-9a-f]+ size 0x1 align 8 \.text\.dup \(dup\.o\) dup_two$'
	count '^xref PC32 0x[0-9a-f]+ u0 -> u[12]$' 2
	rt_ok img img.fgkmap
}

case_archive() {
	new_case archive
	cc_obj dup.s dup.o
	cc_obj funcs.c funcs.o -fno-pie
	must ar rcs libt.a dup.o
	link_exec img funcs.o -Wl,--whole-archive libt.a -Wl,--no-whole-archive -Wl,-e,_start
	grep -q 'libt\.a(dup\.o)' img.map || fail "the link map does not name the archive member"
	mkmap -c 'region .text' --ldmap img.map img -o img.fgkmap --dump
	ok || return
	has '^unit [0-9]+: off 0x[0-9a-f]+ size 0x1 align 32 \.text\.dup \(libt\.a\(dup\.o\)\) dup_one$'
	has '^unit [0-9]+: off 0x[0-9a-f]+ size 0x1 align 8 \.text\.dup \(libt\.a\(dup\.o\)\) dup_two$'
	has '^unit [0-9]+: .* \.text\.foo \(funcs\.o\) foo$'
	# an archive that lacks the member the map names
	must ar d libt.a dup.o
	must ar rcs libt.a funcs.o
	mkmap -c 'region .text' --ldmap img.map img -o img.fgkmap
	fails 'libt\.a\(dup\.o\): member dup\.o not in archive libt\.a'
}

case_dup_sections
case_archive
