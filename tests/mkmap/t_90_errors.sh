# t_90_errors.sh: malformed inputs are refused with exit status 2 and a message naming file/section/offset/symbol.

# A good image to break: funcs.c as in t_10.
errors_image() {
	cc_obj funcs.c funcs.o -fno-pie
	link_exec img funcs.o
}

case_bad_elf() {
	new_case bad_elf
	errors_image
	head -c 100 img >trunc
	mkmap -c 'region .text' --ldmap img.map trunc -o x.fgkmap
	fails '^fgk-mkmap: trunc: (truncated|.*beyond the end of the file)'
	head -c 12000 img >trunc2
	mkmap -c 'region .text' --ldmap img.map trunc2 -o x.fgkmap
	fails '^fgk-mkmap: trunc2: .*(truncated|beyond the end)'
	cp img arm && printf '\xb7\x00' | dd of=arm bs=1 seek=18 conv=notrunc status=none
	mkmap -c 'region .text' --ldmap img.map arm -o x.fgkmap
	fails '^fgk-mkmap: arm: not an ELF64 x86-64 image \(class 2, machine 183\)'
	echo 'not an ELF' >text
	mkmap -c 'region .text' --ldmap img.map text -o x.fgkmap
	fails '^fgk-mkmap: text: not an ELF file'
	mkmap -c 'region .text' --ldmap img.map funcs.o -o x.fgkmap
	fails '^fgk-mkmap: funcs.o: not a linked image \(e_type 1\)'
	mkmap -c 'region .text' --ldmap img.map nosuch -o x.fgkmap
	fails '^fgk-mkmap: nosuch: cannot open'
}

case_no_emit_relocs() {
	new_case no_emit_relocs
	cc_obj funcs.c funcs.o -fno-pie
	must gcc -nostdlib -no-pie -Wl,-Map=img.map funcs.o -o img
	mkmap -c 'region .text' --ldmap img.map img -o x.fgkmap
	fails '^fgk-mkmap: img: no \.rela\.\* sections for loaded sections: link the image with --emit-relocs'
}

case_bad_relocs() {
	new_case bad_relocs
	cc_obj tls.c tls.o -fno-pie
	link_exec img tls.o
	mkmap -c 'region .text' --ldmap img.map img -o x.fgkmap
	fails '^fgk-mkmap: img: \.text\+0x[0-9a-f]+ <_start\+0x[0-9a-f]+>: symbol tls_var: R_X86_64_TPOFF32 relocation: unsupported relocation type'
	cc_obj reloc_size.s reloc_size.o
	link_exec imgs reloc_size.o
	mkmap -c 'region .text' --ldmap imgs.map imgs -o x.fgkmap
	fails '^fgk-mkmap: imgs: \.data\+0x0 <small\+0x0>: symbol _start: R_X86_64_SIZE32 relocation: unsupported relocation type'
	cc_obj midinsn.s midinsn.o
	link_exec imgm midinsn.o
	mkmap -c 'region .text' --ldmap imgm.map imgm -o x.fgkmap
	fails '^fgk-mkmap: imgm: \.text\+0x14 <u2\+0x4>: symbol u2: reference into the middle of an instruction stream: the field is not an operand of the instruction \[48 b8 [0-9a-f ]*\] at 0x1010'
}

# Base KASLR moves the site of a PC-relative field, never an absolute target.
case_pc_absolute() {
	new_case pc_absolute
	cc_obj pcabs.s call0.o -Wa,--defsym,CALL0=1
	link_exec img0 call0.o
	mkmap -c 'region .text' --ldmap img0.map img0 -o x.fgkmap
	fails '^fgk-mkmap: img0: \.text\+0x1 <_start\+0x1>: symbol \(none\): R_X86_64_PC32 relocation: PC-relative reference to an absolute address \(symbol value 0x0\): base KASLR moves the site but not the target'
	cc_obj pcabs.s absy.o
	link_exec img absy.o
	mkmap -c 'region .text' --ldmap img.map img -o x.fgkmap
	fails '^fgk-mkmap: img: \.text\+0x1 <_start\+0x1>: symbol absy: R_X86_64_PLT32 relocation: PC-relative reference to an absolute address \(symbol value 0x1234\)'
	# unless `abs-relative` says the symbol is an image address after all
	mkmap -c 'region .text' -c 'abs-relative absy' --ldmap img.map img -o x.fgkmap
	ok
}

case_bad_ldmap() {
	new_case bad_ldmap
	# an object name no parent directory has (objects are looked for there too)
	cc_obj funcs.c fgk_mkmap_test_gone.o -fno-pie
	link_exec img fgk_mkmap_test_gone.o
	mkmap -c 'region .text' --ldmap nosuch.map img -o x.fgkmap
	fails '^fgk-mkmap: nosuch\.map: cannot read: No such file or directory$'
	echo 'hello' >junk.map
	mkmap -c 'region .text' --ldmap junk.map img -o x.fgkmap
	fails '^fgk-mkmap: junk\.map: not a GNU ld link map'
	mv fgk_mkmap_test_gone.o moved.o
	mkmap -c 'region .text' --ldmap img.map img -o x.fgkmap
	fails '^fgk-mkmap: fgk_mkmap_test_gone\.o: cannot open the object the link map names'
	mkmap -c 'region .text' --objdir "$D/nowhere" --ldmap img.map img -o x.fgkmap
	fails 'fgk_mkmap_test_gone\.o: cannot open'
	mkdir -p objs && mv moved.o objs/fgk_mkmap_test_gone.o
	mkmap -c 'region .text' --objdir objs --ldmap img.map img -o x.fgkmap
	ok
}

case_bad_config() {
	new_case bad_config
	errors_image
	mkmap -c 'frobnicate x' --ldmap img.map img -o x.fgkmap
	fails "^fgk-mkmap: -c #1: unknown directive 'frobnicate'"
	printf '# comment\n\nregion .text   # the text\nregion .data bogus=1\n' >bad.conf
	mkmap --config bad.conf --ldmap img.map img -o x.fgkmap
	fails "^fgk-mkmap: bad\.conf:4: expected end=<symbol> or must-fit, got 'bogus=1'"
	mkmap -c 'region .text' -c 'table t start=a end=b entry=4 key=0' --ldmap img.map img -o x.fgkmap
	fails '^fgk-mkmap: -c #2: table needs start=, end=, entry=, key= and kind='
	mkmap -c 'table t start=a end=b entry=4 key=0 kind=rel64' --ldmap img.map img -o x.fgkmap
	fails "^fgk-mkmap: -c #1: kind= must be rel32 or abs64, not 'rel64'"
	mkmap -c 'table t start=nosym end=foo entry=4 key=0 kind=rel32' --ldmap img.map img -o x.fgkmap
	fails '^fgk-mkmap: -c #1: symbol nosym: symbol not found in img'
	mkmap -c 'symtab kallsyms' --ldmap img.map img -o x.fgkmap
	fails '^fgk-mkmap: -c #1: symbol kallsyms_num_syms: symbol not found'
	mkmap -c 'fixed a' --ldmap img.map img -o x.fgkmap
	fails "^fgk-mkmap: -c #1: wrong number of arguments to 'fixed'"
	mkmap --config nosuch.conf --ldmap img.map img -o x.fgkmap
	fails '^fgk-mkmap: nosuch\.conf: cannot read: No such file or directory$'
	mkmap --ldmap img.map img
	fails 'need IMAGE, --ldmap and -o'
	mkmap --dump-map img
	fails '^fgk-mkmap: img: not an fgkaslr map'
}

# Inputs a fuzzer or a careless user makes: each is refused with status 2
# and one line (no sanitizer report, no exit status 134 from a leak), or
# accepted when harmless.
case_hostile_inputs() {
	new_case hostile_inputs
	errors_image
	cp img mem && "$HERE/elfpoke" mem phdr-load 0 p_memsz 0xffffffffffffffff
	mkmap -c 'region .text' --ldmap img.map mem -o x.fgkmap
	fails '^fgk-mkmap: mem: offset 0x0: PT_LOAD 0: 0xffffffffffffffff bytes at image offset 0x0: offsets must fit in 32 bits$'
	# 1.25 GiB of bss: more than a kernel can be, so not loaded into memory
	cp img big && "$HERE/elfpoke" big phdr-load 0 p_memsz 0x50000000
	mkmap -c 'region .text' --ldmap img.map big -o x.fgkmap
	fails '^fgk-mkmap: big: image of 0x50000000 bytes: larger than 1 GiB, the most an x86-64 kernel can be'
	# a section whose end wraps past 2^64 (an offset check written as a sum would pass)
	cp img wrap && "$HERE/elfpoke" wrap shdr .rela.text sh_offset 0xfffffffffffff000 &&
		"$HERE/elfpoke" wrap shdr .rela.text sh_size 0x1010
	mkmap -c 'region .text' --ldmap img.map wrap -o x.fgkmap
	fails '^fgk-mkmap: wrap: \.rela\.text: section lies beyond the end of the file'
	cp img ent && "$HERE/elfpoke" ent shdr .symtab sh_entsize 0
	mkmap -c 'region .text' --ldmap img.map ent -o x.fgkmap
	fails '^fgk-mkmap: ent: \.symtab: entries of 0 bytes, [0-9]+ bytes in all: not an array of Elf64_Sym$'
	cp img lnk && "$HERE/elfpoke" lnk shdr .rela.text sh_link 0xffff
	mkmap -c 'region .text' --ldmap img.map lnk -o x.fgkmap
	fails '^fgk-mkmap: lnk: \.rela\.text: sh_link is not the symbol table$'
	# blank lines of blanks in the link map, and one without assignments
	sed '5i\ \t ' img.map >blank.map
	mkmap -c 'region .text' --ldmap blank.map img -o x.fgkmap
	ok
	grep -v ' = \|PROVIDE' img.map >noassign.map
	mkmap -c 'region .text' --ldmap noassign.map img -o x.fgkmap
	ok
	# a refusal after allocations: exit status 2 under LeakSanitizer too
	sed -E '0,/^ \.text\.helper +0x/s/^( \.text\.helper +)0x[0-9a-f]+/\10x0000000000000010/' img.map >out.map
	mkmap -c 'region .text' --ldmap out.map img -o x.fgkmap
	fails '^fgk-mkmap: out\.map: \.text\.helper: input section \[0x10, \+0xa\) lies outside output section \.text$'
	mkdir dir
	mkmap --config dir --ldmap img.map img -o x.fgkmap
	fails '^fgk-mkmap: dir: cannot read: a directory$'
	mkmap --dump-map dir
	fails '^fgk-mkmap: dir: cannot read: a directory$'
	# an output is replaced whole or kept: a write error leaves the old file
	echo old >keep.fgkmap
	{ sh -c 'ulimit -f 0; exec "$0" "$@"' "$MKMAP" -c 'region .text' --ldmap img.map img \
		-o keep.fgkmap; echo $? >rc; } 2>&1 | cat >err
	RC=$(cat rc)
	fails '^fgk-mkmap: keep\.fgkmap: cannot write: File too large$'
	[ "$(cat keep.fgkmap)" = old ] || fail "a failed write changed keep.fgkmap"
	[ -z "$(ls | grep '\.tmp\.')" ] || fail "a failed write left $(ls | grep '\.tmp\.')"
}

case_bad_elf
case_hostile_inputs
case_no_emit_relocs
case_bad_relocs
case_pc_absolute
case_bad_ldmap
case_bad_config
