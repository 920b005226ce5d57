# t_70_percpu.sh: an ET_EXEC with a zero-based per-CPU segment: base relocations as arch/x86/tools/relocs.c.

case_percpu() {
	new_case percpu
	cc_obj percpu.s percpu.o
	link_exec img percpu.o -Wl,-T,"$SRC/percpu.lds"
	mkmap -c 'region .text' -c 'percpu .data..percpu' --ldmap img.map img -o img.fgkmap --dump
	ok || return
	stat_is units 2
	f=$(uid .text.f) f2=$(uid .text.f2)
	# leaq pcvar(%rip): INV32; movq %gs:pcvar: nothing; movq $f2: ABS32
	stat_is relocs-INV32 1
	stat_is relocs-ABS32 1
	has "^xref PC32 0x[0-9a-f]+ u$f -> -\$"
	has "^xref ABS32S 0x[0-9a-f]+ u$f -> u$f2\$"
	# .quad f2 in .data and in the per-CPU section; not .quad pcvar
	stat_is relocs-ABS64 2
	count "^xref ABS64 0x[0-9a-f]+ - -> u$f2\$" 2
	# the per-CPU site is at its load address: image offset 0x2008
	has '^reloc ABS64 0x2008$'
	has '^map link_base 0x400000 image_size 0x2010$'
	rt_ok img img.fgkmap
	# without `percpu`, the per-CPU references are plain ones
	mkmap -c 'region .text' --ldmap img.map img -o img.fgkmap --dump
	ok || return
	stat_is relocs-INV32 0
	stat_is relocs-ABS32 2
	stat_is relocs-ABS64 3
}

case_percpu
