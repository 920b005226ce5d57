/* mkmap_image_id.c: the image's GNU build id, so that the runtime refuses another image. */
#include <elf.h>
#include <string.h>

#include "mkmap.h"

/*
 * A note in an SHT_NOTE section (4-byte aligned fields):
 *
 *   | n_namesz | n_descsz | n_type | name, padded to 4 | desc, padded to 4 |
 *
 * The build id is the note named "GNU" of type NT_GNU_BUILD_ID (ld
 * --build-id, which kbuild passes for vmlinux). Only a note in the loaded
 * image can name it: the runtime sees nothing else.
 */

static uint32_t pad4(uint32_t n)
{
	return (n + 3) & ~3u;
}

/* The build id's descriptor in the loaded section `s`: its image offset and size. */
static bool find_in(const struct mk *mk, const struct mk_sec *s, uint64_t *at, uint32_t *size)
{
	uint64_t p = s->img, end = s->img + s->size;

	while (end - p >= 12) {
		uint32_t namesz = img_rd(&mk->img, p, 4, s->name);
		uint32_t descsz = img_rd(&mk->img, p + 4, 4, s->name);
		uint32_t type = img_rd(&mk->img, p + 8, 4, s->name);
		uint64_t name = p + 12, desc = name + pad4(namesz);

		if (namesz > end - name || descsz > end - desc)
			die_at(mk->img.path, s->name, p - s->img, NULL, "malformed note");
		if (type == NT_GNU_BUILD_ID && namesz == 4 &&
		    !memcmp(img_at(&mk->img, name, 4, s->name), "GNU", 4)) {
			*at = desc;
			*size = descsz;
			return true;
		}
		p = desc + pad4(descsz);
	}
	return false;
}

void image_id_find(struct mk *mk)
{
	uint64_t at;
	uint32_t size;

	for (size_t i = 1; i < mk->img.nsecs; i++) {
		const struct mk_sec *s = &mk->img.secs[i];

		if (s->type != SHT_NOTE || !s->loaded || !find_in(mk, s, &at, &size))
			continue;
		if (!size || size > FGK_IMAGE_ID_MAX)
			die_at(mk->img.path, s->name, at - s->img, NULL,
			       "GNU build id of %u bytes: the map can record 1 to %u", size,
			       FGK_IMAGE_ID_MAX);
		mk->image_id_offset = at;
		mk->image_id_size = size;
		memcpy(mk->image_id, img_at(&mk->img, at, size, s->name), size);
		return;
	}
	warn("%s: no GNU build id in the loaded image: the map cannot tell this image from "
	     "another (link with --build-id)", mk->img.path);
}
