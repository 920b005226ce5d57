/* gen_image.h: the plan of the generated e2e image sources, shared by the planner and the emitter. */
#ifndef E2E_GEN_IMAGE_H
#define E2E_GEN_IMAGE_H

#define NR_FILES	8
#define PER_FILE	64
#define NR_FUNCS	(NR_FILES * PER_FILE)
#define NR_PROBES	4	/* per file */
#define NR_PTRS		8	/* per file, writable pointer array */
#define NAME_MAX_LEN	240

enum kind {
	K_LEAF,		/* arithmetic only */
	K_TWO_CALLS,	/* r + a(..) * 3 - b(..) */
	K_TAIL,		/* return a(..): a jmp */
	K_SWITCH,	/* dense switch: a jump table (ET_EXEC) */
	K_TABLE,	/* call through a static const pointer table */
	K_DATA,		/* call through this file's writable pointer array */
	K_APPLY,	/* pass a function pointer to apply_<F> */
	K_COLD,		/* unlikely block: foo.cold and a cold helper */
	K_ASM,		/* call into the assembly group */
	NR_KINDS
};

/*
 * Where a function's section goes (image.lds, image.conf): most move
 * alone; some stay put one by one (keep, scattered through the text, so
 * they split the region), some sit in a fixed range, and some form a
 * block that moves as one; some live in a second output section with a
 * region of its own. Their names start with the placement.
 */
enum placement {
	PLACE_MOVABLE,
	PLACE_KEEP,	/* .text.e2e_keep.<name> */
	PLACE_FIXED,	/* .text.e2e_fixed.<name> */
	PLACE_BLOCK,	/* .text.e2e_block.<name> */
	PLACE_ALT,	/* .alttext.<name>: a second region */
};

struct func {
	char name[NAME_MAX_LEN + 1];
	enum placement place;
	int align64;		/* aligned(64): the move must keep it */
	int is_static;
	int ptr_only;		/* never called directly, only through pointers */
	enum kind kind;
	int callee[4];
	unsigned long c[4];	/* constants that make every body unique */
};

/* A function that loads through a pointer which may fault (__ex_table). */
struct probe {
	int rax_variant;	/* fixup by the handler, not by cold fixup code */
	int callee;
	unsigned long c;
};

extern struct func funcs[NR_FUNCS];
extern struct probe probes[NR_FILES][NR_PROBES];
extern int ptrs[NR_FILES][NR_PTRS];	/* -1: none */

static inline int file_of(int i)
{
	return i / PER_FILE;
}

void emit_decls(const char *dir);
void emit_file(const char *dir, int file);

#endif /* E2E_GEN_IMAGE_H */
