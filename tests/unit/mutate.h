/* mutate.h: table-driven "break the world one way, expect this error, image untouched" tests. */
#ifndef FGK_TEST_MUTATE_H
#define FGK_TEST_MUTATE_H

#include <stdlib.h>

#include "fixture.h"

struct mutation {
	const char *what;
	void (*mutate)(struct fx *fx, const struct world *w);
	int err;
};

/* Each mutation on a fresh world: open + shuffle fail with its error, image unchanged. */
static inline void run_mutations(const struct mutation *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct world w;
		struct fx *fx = world_new(&w);

		m[i].mutate(fx, &w);
		fx_expect_error(fx, m[i].err, m[i].what);
		fx_free(fx);
	}
}

#define RUN_MUTATIONS(table) run_mutations(table, sizeof(table) / sizeof(table[0]))

#endif /* FGK_TEST_MUTATE_H */
