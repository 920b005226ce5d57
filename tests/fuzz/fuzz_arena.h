/* fuzz_arena.h: free what fgk-mkmap allocated during one fuzz input (fuzz_arena.c). */
#ifndef FGK_FUZZ_ARENA_H
#define FGK_FUZZ_ARENA_H

/* Remember fgk-mkmap's allocations from here on. */
void fuzz_arena_begin(void);
/* Free those still live, and stop remembering. */
void fuzz_arena_end(void);

#endif /* FGK_FUZZ_ARENA_H */
