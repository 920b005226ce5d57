# tables.s: an exception table, an ORC-like table with terminators and an mcount-like table (test image for fgk-mkmap).
#
#   .text:  | f1 (16) | f2 (5) ...pad... | f3 (3) |
#           ^f1       ^f1_end = f2        ^f3      ^f3_end = end of .text
#                             ^f2_end (in padding)

	.macro func name, size
	.section .text.\name,"ax",@progbits
	.p2align 4
	.globl \name, \name\()_end, \name\()_insn
\name:	nop
\name\()_insn:
	.fill \size - 2, 1, 0x90
	ret
\name\()_end:
	.endm

	func f1, 16
	func f2, 5
	func f3, 3

	.text
	.globl _start
_start:	ret

	# { insn, fixup, data }, self-relative, sorted by insn
	.section __ex_table,"a",@progbits
	.p2align 2
	.globl ex_start, ex_end
ex_start:
	.long f1_insn - ., f2 - ., 1		# fixup in another unit
	.long f2_insn - ., f2_end - ., 2	# fixup one past f2, in padding
	.long f3_insn - ., f1 - ., 3
ex_end:

	# ORC-like: ip keys, and a parallel { type, x } array; type 0 ends a function
	.section .orc_ip,"a",@progbits
	.p2align 2
	.globl orc_ip_start, orc_ip_end
orc_ip_start:
	.long f1 - .
	.long f1_end - .	# == f2: a terminator, so f1's (override)
	.long f2 - .
	.long f2_end - .	# in padding: f2's (override)
	.long f3 - .
	.long f3_end - .	# the end of the region: f3's by its marker (override)
orc_ip_end:
	.section .orc_data,"a",@progbits
	.globl orc_data
orc_data:
	.byte 1, 0,  0, 0,  1, 0,  0, 0,  1, 0,  0, 0

	# absolute addresses, sorted
	.section .mc_loc,"a",@progbits
	.p2align 3
	.globl mc_start, mc_end
mc_start:
	.quad f1, f2 + 1, f3
mc_end:

	.section .note.GNU-stack,"",@progbits
