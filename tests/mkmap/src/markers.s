# markers.s: code and data referring to linker-script markers, and a kallsyms table (test image for fgk-mkmap; layout in markers.lds).
#
#   region 0: | .text: _start start_alias | a | b |   fixed: | c |
#   region 1: | d | block: e f | g | h | slack     (16 bytes each, no padding)
#   _stext at region 0's start, fixed_end at region 1's, block_end at g,
#   mid_marker between g and h. With --defsym MIDREF=1 .data refers to it.

	.macro func name, body:vararg
	.section .text.\name,"ax",@progbits
	.p2align 4
	.globl \name
	.type \name, @function
\name:	\body
	.p2align 4, 0xcc
	.size \name, . - \name
	.endm

	.text
	.globl _start, start_alias
	.type _start, @function
_start:
start_alias:
	lea _stext(%rip), %rax		# a fixed marker: PC32 -> none
	ret
	.p2align 4, 0xcc

	func a, lea fixed_end(%rip), %rax; lea block_end(%rip), %rcx; ret
	func b, ret
	func c, ret
	func d, ret
	func e, call f; ret
	func f, ret
	func g, ret
	func h, ret

	.data
	.globl ptrs
ptrs:	.quad fixed_end			# no xref: neither moves
	.quad fixed_end + 8
	.quad block_end			# follows the block, not g
.ifdef MIDREF
	.quad mid_marker
.endif

	.section .data.kallsyms,"aw",@progbits
	.p2align 3
	.globl kallsyms_relative_base, kallsyms_num_syms, kallsyms_offsets
	.globl kallsyms_names, kallsyms_markers, kallsyms_seqs_of_names
kallsyms_relative_base:
	.quad _stext
	.include "ksyms_data.s"

	.section .note.GNU-stack,"",@progbits
