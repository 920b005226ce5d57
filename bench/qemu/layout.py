#!/usr/bin/python3
"""layout.py: make bench-layout: hackbench under TCG on kernels that differ only in where the fixed text lies, against base and fgk-off."""
# usage: layout.py --out DIR --work DIR --initrd CPIO --rounds N --runs N --args HACKBENCH-ARGS
#                  LABEL=BZIMAGE[:EXTRA-PARAMETERS]...
# The first kernel is the reference of the ratios. Each round boots every
# kernel once, in a random order of its own; each boot runs hackbench --runs
# times, the first a warm-up. Writes DIR/layout.csv and DIR/layout.md.
#
# Why: one hackbench run found the FG_KASLR=y kernel in link order (fgk-off)
# 5.5% slower than base, the next none. The kernels here are that same fgk kernel built again
# with FG_KASLR_TEXT_SLACK moved by 64 B and by 4 KiB: not one
# instruction differs, only the fixed text after the slack (entry, noinstr,
# sched, lock, thunks) lies elsewhere. If moving it by 64 B changes
# hackbench as much as fgk-off differs from base, and 4 KiB (which keeps
# every offset within its page) does not, the difference is where code
# lies relative to guest pages, which QEMU TCG's translation works by.

import argparse
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.dirname(HERE)]
import benchlib  # noqa: E402
import hackbench  # noqa: E402
import qemu  # noqa: E402

FIELDS = ["kernel", "round", "boot", "group_pos", "run", "warmup", "status", "time_s", "host_s",
          "uptime_s", "boot_total_s", "cpus", "clocksource", "shuffle_ms", "fgkaslr_line"]


def parse_kernel(spec):
    label, rest = spec.split("=", 1)
    bz, _, extra = rest.partition(":")
    return label, bz, extra


def run(a, kernels):
    logs = os.path.join(a.work, "layout-logs")
    os.makedirs(logs, exist_ok=True)
    for old in os.listdir(logs):
        os.remove(os.path.join(logs, old))
    append, tsc = qemu.tsc_append(a.append, a.tsc_khz)
    append = f"{append} bhack={','.join(a.args.split())} bhack_runs={a.runs}"
    groups = [tuple((k, rd) for k in kernels) for rd in range(a.rounds)]
    rows = []
    for n, (((label, bz, extra), rd), pos) in enumerate(qemu.plan(groups, a.order_seed)):
        cmd = qemu.command(bz, a.initrd, f"{append} {extra}".rstrip(), a.smp, a.mem)
        log = os.path.join(logs, f"{n:03d}-{label}.log")
        b = qemu.Boot(cmd, a.timeout, log, tsc)
        if b.problem():
            b.keep(a.work)
        got = hackbench.one_boot(b, {"kernel": label, "round": rd, "boot": n, "group_pos": pos},
                                 a.runs)
        rows += got
        benchlib.write_csv(os.path.join(a.out, "layout.csv"), FIELDS, rows)
        times = [r["time_s"] for r in got if r["time_s"] and not r["warmup"]]
        print(f"bench-layout: {n + 1}/{len(groups) * len(kernels)} {label:12}: hackbench "
              f"{' '.join(times) or '-'} s" + (f"  FAILED: {b.problem()}" if b.problem() else ""),
              flush=True)
    return rows


def timed(rows, label):
    return [float(r["time_s"]) for r in rows
            if r["kernel"] == label and r["time_s"] and not int(r["warmup"])]


def spread_md(rows, kernels, ref):
    """One sentence: how far the same code moved, against how far base is."""
    same = [label for label, _, extra in kernels[1:] if label.startswith("fgk")]
    parts = []
    for label in same + [k for k, _, _ in kernels[1:] if k not in same]:
        t = timed(rows, label)
        if t:
            r, lo, hi = benchlib.ratio(t, timed(rows, ref))
            parts.append(f"{label} {(r - 1) * 100:+.1f}% [{(lo - 1) * 100:+.1f}%, "
                         f"{(hi - 1) * 100:+.1f}%]")
    return ("Against " + ref + ": " + "; ".join(parts) + ". The fgk-slack kernels run the "
            "very instructions of " + ref + ": what they differ by is what placement alone "
            "does to hackbench under TCG on this host, the scale against which a difference "
            "of base (other code: no `-ffunction-sections`) has to be read.\n\n")


def report(a, kernels, rows, elapsed):
    ref = kernels[0][0]
    tab = []
    for label, bz, extra in kernels:
        t = timed(rows, label)
        s = benchlib.stats(t)
        if not t:
            tab.append([label, 0, "-", "-"])
            continue
        r, lo, hi = benchlib.ratio(t, timed(rows, ref))
        tab.append([label + (f" (`{extra}`)" if extra else ""), s["n"],
                    f"{s['median']:.3f} [{s['q1']:.3f}–{s['q3']:.3f}] s",
                    "–" if label == ref else f"{r:.3f} [{lo:.3f}–{hi:.3f}]"])
    failed = sorted({r["status"] for r in rows if r["status"] != "ok"})
    md = ["## Code layout under TCG: hackbench with the same code elsewhere\n\n",
          "How much does where code lies, alone, move hackbench under TCG? (One hackbench run "
          "found the FG_KASLR=y kernel in link order, fgk-off, 5.5% slower than base; the next "
          "found no difference.) Here the same fgk kernel is built again with "
          "`FG_KASLR_TEXT_SLACK` moved by 64 B and by 4 KiB (`make kernel-layout`): not one "
          "instruction differs, only the fixed text after the slack (entry, noinstr, sched, lock, "
          "thunks) lies elsewhere; 4 KiB keeps every offset within its page. All boot with "
          "`nofgkaslr`; base is the FG_KASLR=n kernel. Each round boots each kernel once, in a "
          "random order; each boot runs hackbench "
          f"`{a.args}` {a.runs} times, the first a warm-up. Ratios are of medians against "
          f"`{ref}`, with 95% bootstrap intervals.\n\n",
          f"- rounds: {a.rounds}; QEMU: `{' '.join(qemu.command('<bzImage>', '<initrd>', '<append>', a.smp, a.mem))}`\n",
          f"- this part took {elapsed:.1f} min\n\n",
          benchlib.md_table(["kernel", "runs", "time median [q1–q3]", f"/{ref} [95% CI]"], tab),
          "\n", spread_md(rows, kernels, ref)]
    if failed:
        md.append("Boots or runs that did not count: " + "; ".join(failed) + ".\n\n")
    md.append("Machine:\n\n" + benchlib.md_machine() + "\n")
    with open(os.path.join(a.out, "layout.md"), "w") as f:
        f.write("".join(md))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--initrd", required=True)
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--runs", type=int, default=6)
    ap.add_argument("--args", default="-p -g 4 -l 500")
    ap.add_argument("--append", default="console=ttyS0 panic=-1")
    ap.add_argument("--smp", type=int, default=2)
    ap.add_argument("--mem", type=int, default=512)
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--order-seed", type=int, default=1)
    ap.add_argument("--tsc-khz", default="auto")
    ap.add_argument("kernels", nargs="+", metavar="LABEL=BZIMAGE[:EXTRA]")
    a = ap.parse_args()
    kernels = [parse_kernel(k) for k in a.kernels]
    missing = [bz for _, bz, _ in kernels if not os.path.exists(bz)]
    if missing:
        sys.exit(f"bench-layout: not built: {', '.join(missing)} (make kernel kernel-layout)")
    os.makedirs(a.out, exist_ok=True)
    t0 = time.monotonic()
    rows = run(a, kernels)
    report(a, kernels, rows, (time.monotonic() - t0) / 60)


if __name__ == "__main__":
    main()
