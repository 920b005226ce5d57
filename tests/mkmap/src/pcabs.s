# pcabs.s: a PC-relative reference to an absolute address: `call 0` with --defsym CALL0=1, else a call to an SHN_ABS symbol (test image for fgk-mkmap).

	.text
	.globl _start
_start:
.ifdef CALL0
	call 0
.else
	call absy
.endif
	ret

	.globl absy
	.set absy, 0x1234

	.section .note.GNU-stack,"",@progbits
