/* loader_fault.c: recover faults in image code through the image's own __ex_table, as the kernel's fixup_exception does. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

#include "e2e_util.h"
#include "image_abi.h"
#include "loader.h"
#include "loader_call.h"

/*
 * ASan would catch SIGSEGV first; __asan_default_options below turns that
 * off for this binary (ASAN_OPTIONS from the environment can still add
 * flags). A fault at an instruction the image's __ex_table lists resumes
 * at its fixup; any other signal while image code runs jumps back to the
 * guarded call, which reports it: a bad shuffle shows up as a crash report
 * rather than a dead test.
 */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "handle_segv=0:handle_sigbus=0:handle_sigill=0:handle_sigfpe=0";
}

static struct {
	const uint8_t *table;		/* the run's __ex_table, or NULL */
	size_t count;
	volatile sig_atomic_t fixups;
} ex;

struct guard guard;

void fault_use_extable(const struct run *run)
{
	ex.table = run ? run_at(run, run->img->extable) : NULL;
	ex.count = run ? run->img->nr_extable : 0;
}

unsigned fault_fixups(void)
{
	return (unsigned)ex.fixups;
}

/* search_extable(): binary search by the self-relative insn key. */
static const uint8_t *search_extable(uint64_t ip)
{
	size_t lo = 0, hi = ex.count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const uint8_t *e = ex.table + mid * E2E_EX_SIZE;
		uint64_t insn = rel_addr(e);

		if (ip < insn)
			hi = mid;
		else if (ip > insn)
			lo = mid + 1;
		else
			return e;
	}
	return NULL;
}

static int fixup(ucontext_t *uc)
{
	greg_t *regs = uc->uc_mcontext.gregs;
	const uint8_t *e = ex.table ? search_extable((uint64_t)regs[REG_RIP]) : NULL;
	uint32_t data;

	if (!e)
		return 0;
	memcpy(&data, e + 8, 4);
	switch (data & 0xff) {
	case E2E_EX_TYPE_EFAULT_RAX:
		regs[REG_RAX] = -E2E_EFAULT;
		/* fall through */
	case E2E_EX_TYPE_JUMP:
		regs[REG_RIP] = (greg_t)rel_addr(e + 4);
		ex.fixups++;
		return 1;
	}
	return 0;
}

static void on_signal(int sig, siginfo_t *si, void *uc_)
{
	ucontext_t *uc = uc_;

	(void)si;
	if (sig == SIGSEGV && fixup(uc))
		return;
	if (guard.armed) {
		guard.sig = sig;
		guard.ip = (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
		guard.armed = 0;
		siglongjmp(guard.env, 1);
	}
	signal(sig, SIG_DFL);		/* not ours: let it kill the process */
}

/* Broken code may leave rsp anywhere: the handler gets a stack of its own. */
static void alt_stack(void)
{
	static uint8_t stack[256 << 10] __attribute__((aligned(16)));
	stack_t ss = { .ss_sp = stack, .ss_size = sizeof(stack) };

	if (sigaltstack(&ss, NULL))
		die("sigaltstack failed");
}

void fault_init(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGALRM };
	struct sigaction sa;

	alt_stack();
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (sigaction(sigs[i], &sa, NULL))
			die("sigaction %d failed", sigs[i]);
}
