/* mkmap_ksym_names.c: a kallsyms name as text, expanded through the token table if any. */
#include "mkmap.h"

/*
 * A kallsyms_names entry (kernel/kallsyms.c, kallsyms_expand_symbol()):
 *
 *   | len (ULEB128, 1-2 bytes) | len bytes |
 *
 * With kallsyms_token_table and kallsyms_token_index in the image (what
 * scripts/kallsyms writes), byte b stands for the NUL-terminated token at
 * kallsyms_token_table + kallsyms_token_index[b] (u16 each); without them
 * the bytes are the text. The text starts with the symbol's type letter.
 */

void ksym_names_init(struct ksym_names *kn, const struct mk *mk)
{
	const struct mk_sym *table = sym_find(&mk->img, "kallsyms_token_table");
	const struct mk_sym *index = sym_find(&mk->img, "kallsyms_token_index");

	kn->img = &mk->img;
	kn->tokens = table && index;
	if (kn->tokens) {
		kn->table = sym_off(&mk->img, mk->cfg.symtab_where, table->name);
		kn->index = sym_off(&mk->img, mk->cfg.symtab_where, index->name);
		img_at(&mk->img, kn->index, 2 * 256, "kallsyms_token_index");
	}
}

static size_t put_token(const struct ksym_names *kn, uint8_t b, char *buf, size_t n, size_t cap)
{
	uint64_t at = kn->table + img_rd(kn->img, kn->index + 2 * b, 2, "kallsyms_token_index");
	uint8_t c;

	while (n + 1 < cap && (c = img_rd(kn->img, at++, 1, "kallsyms_token_table")))
		buf[n++] = (char)c;
	return n;
}

/*
 * The text of the entry whose len bytes start at image offset `at`, into
 * buf (cap bytes, NUL-terminated, cut if longer); returns the name after
 * the type letter.
 */
const char *ksym_name(const struct ksym_names *kn, uint64_t at, uint32_t len, char *buf, size_t cap)
{
	const unsigned char *p = img_at(kn->img, at, len, "kallsyms_names");
	size_t n = 0;

	for (uint32_t i = 0; i < len && n + 1 < cap; i++) {
		if (kn->tokens)
			n = put_token(kn, p[i], buf, n, cap);
		else
			buf[n++] = (char)p[i];
	}
	buf[n] = 0;
	return n ? buf + 1 : buf;
}
