/* loader_call.h: call into image code with a guard that turns crashes and hangs into reports. */
#ifndef E2E_LOADER_CALL_H
#define E2E_LOADER_CALL_H

#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <unistd.h>

struct guard {
	sigjmp_buf env;
	volatile sig_atomic_t armed;
	volatile int sig;		/* what ended the call early, or 0 */
	volatile uint64_t ip;
};

extern struct guard guard;

/*
 * GUARDED(ok, stmt) runs stmt with the guard armed and a 2 s alarm; ok
 * becomes 1 when stmt completed, 0 (with guard.sig and guard.ip set) when
 * a signal cut it short. A macro because sigsetjmp must be called in the
 * frame it returns to; a statement because that is where C allows it.
 */
#define GUARDED(ok, stmt)						\
	do {								\
		if (sigsetjmp(guard.env, 1) == 0) {			\
			guard.sig = 0;					\
			guard.armed = 1;				\
			alarm(2);					\
			stmt;						\
			alarm(0);					\
			guard.armed = 0;				\
			(ok) = 1;					\
		} else {						\
			alarm(0);					\
			(ok) = 0;					\
		}							\
	} while (0)

#endif /* E2E_LOADER_CALL_H */
