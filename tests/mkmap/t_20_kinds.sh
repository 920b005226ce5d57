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
	base_relocs_list "$base"
}

# relocs_list FILE BASE [KIND OFFSET]...: a vmlinux.relocs-style list from
# the dump's reloc lines (link address = image offset - 0x1000 + BASE),
# with the given extra sites.
relocs_list() {
	local file=$1 base=$2
	shift 2
	{ grep '^reloc ' out; while [ $# -gt 0 ]; do echo "reloc $1 $2"; shift 2; done; } |
		python3 -c '
import struct, sys
base = int(sys.argv[2], 16) - 0x1000
lists = {"ABS64": [], "INV32": [], "ABS32": []}
for line in sys.stdin:
    _, kind, off = line.split()
    lists[kind].append((base + int(off, 16)) & 0xffffffff)
with open(sys.argv[1], "wb") as f:
    for kind in ("ABS64", "INV32", "ABS32"):
        f.write(struct.pack("<I", 0))
        for v in sorted(lists[kind]):
            f.write(struct.pack("<I", v))' "$file" "$base"
}

# --base-relocs: the same lists as the image's own are left out of the
# map; any other list is refused, naming the site.
base_relocs_list() {
	local base=$1
	relocs_list img.relocs "$base"
	mkmap -c 'region .text' --ldmap img.map img --base-relocs img.relocs -o img2.fgkmap --dump
	ok || return
	has '^map img2\.fgkmap: .*\(image relocs\)'
	stat_is relocs-ABS64 0
	stat_is relocs-ABS32 0
	rt_ok img img2.fgkmap img.relocs
	mkmap -c 'region .text' --ldmap img.map img --dump -o img.fgkmap
	relocs_list extra.relocs "$base" ABS32 0x1000
	mkmap -c 'region .text' --ldmap img.map img --base-relocs extra.relocs -o bad.fgkmap
	fails '^fgk-mkmap: extra\.relocs: offset 0x[0-9a-f]+: ABS32 relocation at .*, but fgk-mkmap found .* there: the lists differ$'
	printf 'junk' > junk.relocs
	mkmap -c 'region .text' --ldmap img.map img --base-relocs junk.relocs -o bad.fgkmap
	fails '^fgk-mkmap: junk\.relocs: not a relocation list \(u32 words, the first 0\): 4 bytes$'
}
case_kinds
