#!/usr/bin/python3
"""hackbench_report.py: hackbench.md, hackbench-<config>.svg and hackbench.target.csv from hackbench.csv."""
# usage: hackbench_report.py OUT SETTINGS.json   (hackbench.py calls report() itself)

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.dirname(HERE)]
import benchlib  # noqa: E402
import qemu_report as qr  # noqa: E402

GOAL = 1.01


def per_boot(rows):
    """Median time of each boot's timed runs."""
    by = {}
    for r in rows:
        by.setdefault(r["boot"], []).append(float(r["time_s"]))
    return [benchlib.stats(v)["median"] for v in by.values()]


def times(rows, seed=None):
    return [float(x["time_s"]) for x in rows if seed is None or x["seed"] == seed]


def section(out, cfg, rows, targets):
    name = cfg["name"]
    mine = [r for r in rows if r["config"] == name]
    ok = [r for r in mine if r["warmup"] == "0" and r["status"] == "ok" and r["time_s"]]
    bad = [r for r in mine if r["status"] != "ok"]
    by = {f: [r for r in ok if r["flavour"] == f] for f in ("base", "fgk", "fgk-off")}
    base, fgk, off = by["base"], by["fgk"], by["fgk-off"]
    nboots = {fl: len({r["boot"] for r in mine if r["flavour"] == fl}) for fl in by}
    text = [f"### {name} config\n\n",
            f"`hackbench {cfg['args']}`; {nboots['base']} base, {nboots['fgk']} fgk (seeds "
            f"{' '.join(cfg['seeds'])})" + (f" and {nboots['fgk-off']} fgk-off" if nboots["fgk-off"] else "")
            + f" boots; {len(base)}, {len(fgk)}" + (f", {len(off)}" if off else "")
            + f" timed runs counted. Kernels `{cfg['base']}`, `{cfg['fgk']}`; command line "
            f"`{cfg['append']} fgkaslr.seed=<seed>` for all (base ignores the seed; fgk-off adds "
            f"`nofgkaslr`).\n"]
    if bad:
        text.append(f"{len(bad)} run(s) failed and are left out: "
                    + "; ".join(sorted({f"{r['flavour']} boot {r['boot']}: {r['status']}" for r in bad}))
                    + ".\n")
    text.append("\n")
    if not base or not fgk:
        text.append("Not enough runs to compare.\n\n")
        return "".join(text)
    b, f = times(base), times(fgk)
    r, lo, hi = benchlib.ratio(f, b)

    def row(kernel, seed, v):
        return [kernel, seed, len(v), qr.fmt_stats(v, "s"), f"{min(v):.3f}–{max(v):.3f}",
                qr.fmt_ratio(*benchlib.ratio(v, b)) if v is not b else "–"]
    table = [row("base", "", b), row("fgk", "all", f)]
    for s in cfg["seeds"]:
        if times(fgk, s):
            table.append(row("fgk", s, times(fgk, s)))
    if off:
        table.append(row("fgk-off (nofgkaslr)", "", times(off)))
    text.append(benchlib.md_table(["kernel", "seed", "runs", "time median [q1–q3]", "min–max",
                                   "/base [95% CI]"], table))
    text.append("\n")
    pb, pf = per_boot(base), per_boot(fgk)
    text.append(f"fgk/base = {qr.fmt_ratio(r, lo, hi)} over all timed runs "
                f"({qr.fmt_pct(r, lo, hi)}); over the median of each boot "
                f"({len(pb)} and {len(pf)} boots, which keeps the variation between boots and "
                f"layouts in the interval): {qr.fmt_ratio(*benchlib.ratio(pf, pb))}.")
    if off:
        o = times(off)
        text.append(f" The control: fgk-off/base = {qr.fmt_ratio(*benchlib.ratio(o, b))} (what "
                    f"FG_KASLR=y changes besides the order: code built with one section per "
                    f"function, a larger image), fgk/fgk-off = "
                    f"{qr.fmt_ratio(*benchlib.ratio(f, o))} (the shuffled order itself, same "
                    f"image).")
    text.append("\n\n")
    hb, hf = qr.col(base, "host_s"), qr.col(fgk, "host_s")
    if hb and hf:
        text.append(f"The same runs on the host clock (one `BENCH-HACK` line to the next: the run "
                    f"and starting hackbench): base {qr.fmt_stats(hb, 's')}, fgk "
                    f"{qr.fmt_stats(hf, 's')}, fgk/base {qr.fmt_ratio(*benchlib.ratio(hf, hb))}.\n\n")
    text.append(qr.guest_note(mine))
    met = qr.met(r, lo, hi, GOAL)
    targets.append({"target": f"hackbench ({name} config)", "goal": "<= +1%",
                    "measured": qr.fmt_pct(r, lo, hi), "met": met})
    if met != "yes":
        text.append(f"Target {'missed' if met == 'no' else 'not shown (the interval spans +1%)'} "
                    f"({name} config): {qr.fmt_pct(r, lo, hi)} against +1%. ")
        if off:
            o = times(off)
            ro, lso = benchlib.ratio(o, b), benchlib.ratio(f, o)
            text.append(f"The control splits it: fgk-off, the same fgk image in link order, is "
                        f"already at {qr.fmt_pct(*ro)}, and the shuffled order adds "
                        f"{qr.fmt_pct(*lso)} to that. ")
            if ro[1] > 1.0 and (ro[0] - 1) > 0.5 * (r - 1):
                text.append("Most of the cost comes with the FG_KASLR=y image, not with the "
                            "shuffle: look there first (the code compiled with one section per "
                            "function, the layout of the main text, anything else the series "
                            "builds in), e.g. by comparing base and fgk-off System.map and "
                            "`objdump -d` of the hot paths (pipe_read/write, schedule, "
                            "fork). ")
        text.append("Under TCG a different order has costs of the emulator's own: QEMU chains "
                    "translated blocks directly only within a guest page, so a call between "
                    "functions that end up on different pages goes through its block lookup, "
                    "and more code pages pass through its software TLB. On hardware the "
                    "analogous costs are iTLB and I-cache misses, with other weights: the number "
                    "that decides the target needs a run there (`perf stat`). More rounds "
                    "(`BENCH_HACK_ROUNDS`) narrow the interval here.\n\n")
    svg = f"hackbench-{name}.svg"
    plot(os.path.join(out, svg), name, cfg, base, fgk, off)
    text.append(f"![hackbench, {name} config]({svg})\n\n")
    return "".join(text)


def plot(path, name, cfg, base, fgk, off):
    """Box and strip plot: base, fgk per seed, fgk-off."""
    samples = [times(base)]
    labels = ["base"]
    for s in cfg["seeds"]:
        if times(fgk, s):
            samples.append(times(fgk, s))
            labels.append(f"fgk\nseed {s}")
    if off:
        samples.append(times(off))
        labels.append("fgk-off\n(nofgkaslr)")
    fig, ax = benchlib.figure(max(6, 1.0 + 0.9 * len(samples)), 4)
    qr.boxstrip(ax, samples, labels)
    ax.set_ylabel("hackbench time (s)")
    ax.set_title(f"hackbench {cfg['args']}, QEMU TCG, {name} config\n(each dot one timed run)",
                 fontsize=9)
    benchlib.save(fig, path)


def report(out, settings):
    path = os.path.join(out, "hackbench.csv")
    rows = benchlib.read_csv(path) if os.path.exists(path) else []
    targets = []
    text = ["## hackbench\n\n",
            "Debian's rt-tests `hackbench` (dynamically linked, copied into the initramfs with "
            "its libraries) in the same QEMU guest, the plain-KASLR kernel (`base`) against the "
            "fgkaslr kernel (`fgk`) with fixed layouts (`fgkaslr.seed=<seed>`) and, as a control, "
            "the fgk kernel with `nofgkaslr` (`fgk-off`: link order); per seed and round one "
            "group of a boot of each, in an order drawn at random (`group_pos` in hackbench.csv). In each boot the first run is a "
            "warm-up (discarded), then the timed runs; the time is hackbench's own `Time:` line.\n\n",
            "**TCG caveat.** QEMU TCG translates guest code into host code blocks: it does not "
            "model the guest's instruction cache, iTLB or branch predictors, which is where a "
            "different function layout would show on hardware; it has layout effects of its own "
            "(translated blocks are chained only within a guest page, its software TLB maps "
            "code pages too). The absolute times are those of an emulator on a shared machine; "
            "the ratio says whether fgkaslr adds work on these paths and how large the noise "
            "is, not what the layout costs in caches on hardware (that needs a run there, with "
            "`perf stat` of iTLB and I-cache misses).\n\n",
            f"- settings: {settings['make']}\n",
            f"- QEMU: `{settings['command']}`\n",
            f"- this part took {settings.get('elapsed_min', '?')} min\n",
            f"- runs per boot: {settings['runs']} (the first a warm-up); rounds: {settings['rounds']}\n"]
    qr.write_part(out, "hackbench", text, settings, section, rows, targets)


if __name__ == "__main__":
    with open(sys.argv[2]) as fh:
        report(sys.argv[1], json.load(fh))
