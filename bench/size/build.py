#!/usr/bin/python3
"""build.py: make bench-build: cold kernel build and relink time, base vs fgk, and fgk-mkmap's run time."""
# usage: see bench/size.mk (bench-build), which passes every setting.
#
# Each config gets its own BUILD under --dir (its own unpacked tree, tools,
# flock and out-base/out-fgk), built with KERNEL_CC=gcc and CCACHE_DISABLE=1
# so no compiler output comes from or goes to ccache. Not timed: unpacking,
# configuring (make kernel-config) and the host tools. Timed, interleaved:
#   cold    make kernel-<flavour> in a fresh out-<flavour> (the .config only)
#   relink  touch init/version.c, make kernel-<flavour> again: one object,
#           the vmlinux links, kallsyms, the post-link step (fgk: fgk-mkmap,
#           which checks the map in full and sizes the scratch), the
#           decompressor and the bzImage
#   mkmap   fgk-mkmap on the fgk vmlinux as Makefile.postlink runs it (the
#           checked build, ASan + UBSan), and an -O2 build without sanitizers
# Wall-clock and CPU (user + sys of every child process, getrusage).
# build.py --report-only --out OUT --dir DIR --deps-stamp X rewrites the
# report from OUT/build.csv and DIR/build-meta.json (the run's settings).

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import benchlib  # noqa: E402

FLAVOURS = ("base", "fgk")
GOAL_PCT = 10.0  # the target: build within 10 % of plain KASLR
FIELDS = ["config", "kind", "flavour", "rep", "step", "wall_s", "user_s", "sys_s", "cpu_s"]
CONFIG_TITLE = {"test": "test config", "defconfig": "x86_64_defconfig"}


def log(msg):
    print(f"bench-build [{time.strftime('%H:%M:%S')}]: {msg}", flush=True)


def clean_env(**extra):
    """The environment for sub-makes: not this make's MAKEFLAGS (jobserver, -n)."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKEOVERRIDES")}
    env.update(extra)
    return env


def timed(argv, logpath, cwd=None, env=None, steps=None):
    """Run argv; (wall, user, sys) seconds, including all its children.

    With a list `steps`, append (label, seconds) per kbuild step: the time from
    its "  TAG     target" line to the next line (kbuild prints when a command
    starts; with -j the neighbours overlap, so a step's time is approximate).
    """
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    marks = [(0.0, "(make: start, dependency scan)")]
    with open(logpath, "ab") as lf:
        p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=cwd, env=env)
        for line in p.stdout:
            lf.write(line)
            text = line.decode(errors="replace")
            if steps is not None and text.startswith("  ") and text[2:3].isupper():
                marks.append((time.monotonic() - t0, " ".join(text.split()[:2])))
        p.wait()
    wall = time.monotonic() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if steps is not None:
        marks.append((wall, None))
        for (t, label), (t_next, _) in zip(marks, marks[1:]):
            steps.append((label, t_next - t))
    if p.returncode:
        with open(logpath, "rb") as lf:
            tail = lf.read()[-3000:].decode(errors="replace")
        sys.exit(f"bench-build: failed ({p.returncode}): {' '.join(argv)}\n{tail}\n(log: {logpath})")
    return wall, r1.ru_utime - r0.ru_utime, r1.ru_stime - r0.ru_stime


def ccache_calls():
    """Compilations ccache has counted on this machine (any process), or None."""
    try:
        out = subprocess.run(["ccache", "--print-stats"], capture_output=True, text=True).stdout
    except OSError:
        return None
    n = 0
    for line in out.splitlines():
        k, _, v = line.partition("\t")
        if ("hit" in k or "miss" in k) and v.strip().isdigit():
            n += int(v)
    return n


def compiler_of(out_dir):
    """The compiler command kbuild recorded for init/main.o."""
    try:
        with open(os.path.join(out_dir, "init/.main.o.cmd")) as f:
            line = f.readline()
    except OSError:
        return "?"
    return line.split(":=", 1)[1].split()[0] if ":=" in line else "?"


class Config:
    """One kernel config's own BUILD and the sub-make that builds in it."""

    def __init__(self, a, name):
        self.name = name
        self.build = os.path.join(a.dir, name)
        self.kdir = os.path.join(self.build, "kernel")
        kconfig = a.dc_config if name == "defconfig" else ""
        self.make = a.make.split() + [
            "--no-print-directory", f"BUILD={self.build}", f"DEPS_STAMP={a.deps_stamp}",
            "KERNEL_CC=gcc", "KERNEL_NICE=", f"KERNEL_JOBS={a.jobs}", f"KCONFIG={kconfig}"]
        self.env = clean_env(CCACHE_DISABLE="1")
        os.makedirs(self.build, exist_ok=True)
        self.log = os.path.join(self.build, "bench-build.log")
        open(self.log, "w").close()

    def out(self, f):
        return os.path.join(self.kdir, f"out-{f}")

    def run(self, *targets, steps=None):
        return timed(self.make + list(targets), self.log, env=self.env, steps=steps)

    def prepare(self):
        """Tree, tools and .config of both flavours (not timed)."""
        self.run(os.path.join(self.build, "bin/fgk-mkmap"), os.path.join(self.build, "bin/fgk-shuffle"),
                 "kernel-config")


def interleaved(rep):
    """base, fgk on odd repetitions, fgk, base on even ones (drift cancels)."""
    return FLAVOURS if rep % 2 else FLAVOURS[::-1]


def cold_builds(c, a, rows, checks):
    for rep in range(1, a.reps + 1):
        for f in interleaved(rep):
            shutil.rmtree(c.out(f), ignore_errors=True)
            log(f"{c.name}: configuring {f} (not timed)")
            c.run("kernel-config")
            log(f"{c.name}: cold build {f}, rep {rep}/{a.reps}")
            wall, user, sys_ = c.run(f"kernel-{f}")
            log(f"{c.name}: cold build {f}: {wall:.1f} s wall, {user + sys_:.1f} s CPU")
            rows.append(row(c.name, "cold", f, rep, wall, user, sys_))
            checks.append((c.name, f, compiler_of(c.out(f))))


def relinks(c, a, rows):
    version_c = os.path.join(c.kdir, "linux/init/version.c")
    for rep in range(1, a.link_reps + 1):
        for f in interleaved(rep):
            os.utime(version_c)
            os.remove(os.path.join(c.out(f), ".fgk-built"))
            steps = []
            wall, user, sys_ = c.run(f"kernel-{f}", steps=steps)
            merged = {}
            for label, t in steps:
                merged[label] = merged.get(label, 0.0) + t
            for label, t in merged.items():
                rows.append(row(c.name, "relink-step", f, rep, t, 0.0, 0.0, step=label))
            log(f"{c.name}: relink {f}, rep {rep}/{a.link_reps}: {wall:.1f} s wall, "
                f"{user + sys_:.1f} s CPU")
            rows.append(row(c.name, "relink", f, rep, wall, user, sys_))


def mkmap_runs(name, out_dir, tools, a, rows, logpath):
    """fgk-mkmap as Makefile.postlink runs it (with its full check of the map and the scratch size)."""
    comp = "arch/x86/boot/compressed"
    tmp = os.path.abspath(os.path.join(a.dir, f"{name}.bench.fgkmap"))  # not in the build's tree
    scratch = tmp + ".scratch"
    same = True
    for kind, exe in tools:
        argv = [os.path.abspath(exe), "--config", f"{comp}/vmlinux.fgkconf", "--ldmap", "vmlinux.map",
                "vmlinux.unstripped", "--base-relocs", f"{comp}/vmlinux.relocs", "-o", tmp,
                "--scratch-out", scratch]
        for rep in range(1, a.mkmap_reps + 1):
            wall, user, sys_ = timed(argv, logpath, cwd=out_dir, env=clean_env())
            rows.append(row(name, kind, "fgk", rep, wall, user, sys_))
            with open(tmp, "rb") as x, \
                    open(os.path.join(out_dir, comp, "vmlinux.fgkmap"), "rb") as y:
                same = same and x.read() == y.read()
        log(f"{name}: {kind}: {benchlib.stats([r['wall_s'] for r in rows if r['config'] == name and r['kind'] == kind])['median']:.2f} s median")
    os.remove(tmp)
    os.remove(scratch)
    return same


def row(config, kind, flavour, rep, wall, user, sys_, step=""):
    return {"config": config, "kind": kind, "flavour": flavour, "rep": rep, "step": step,
            "wall_s": f"{wall:.3f}", "user_s": f"{user:.3f}", "sys_s": f"{sys_:.3f}",
            "cpu_s": f"{user + sys_:.3f}"}


# ---------------------------------------------------------------- report

def values(rows, config, kind, flavour, field):
    return [float(r[field]) for r in rows
            if r["config"] == config and r["kind"] == kind and r["flavour"] == flavour]


def cell(v, unit="s"):
    s = benchlib.stats(v)
    if s["n"] == 0:
        return ""
    d = 1 if s["median"] >= 10 else 3
    if s["n"] == 1:
        return f"{s['median']:.{d}f} {unit}"
    return f"{s['median']:.{d}f} {unit} [{s['q1']:.{d}f}, {s['q3']:.{d}f}]"


def growth(rows, config, kind, field):
    b = values(rows, config, kind, "base", field)
    f = values(rows, config, kind, "fgk", field)
    if not b or not f:
        return None
    r, lo, hi = benchlib.ratio(f, b)
    return r, lo, hi, len(b) > 1 and len(f) > 1


def growth_cell(g):
    if g is None:
        return ""
    r, lo, hi, ci = g
    return f"{(r - 1) * 100:+.1f} %" + (f" [{(lo - 1) * 100:+.1f}, {(hi - 1) * 100:+.1f}]" if ci else "")


# The relink's serial phases, each starting at the first of these kbuild tags
# (kbuild runs the steps inside a phase up to KERNEL_JOBS at once).
PHASES = [("make: dependency scan, init/version.o, archives", None),
          ("vmlinux.o (ld -r) and modpost", ("LD vmlinux.o",)),
          ("kallsyms links and the final link", ("KSYMS", "LD .tmp_vmlinux")),
          ("post-link: sorttable, fgk-mkmap (FGKMAP), relocs, strip", ("SORTTAB", "FGKMAP", "RELOCS", "RSTRIP")),
          ("decompressor: vmlinux.bin, payload, compression, decompressor link, bzImage", ())]
POSTLINK = ("SORTTAB", "FGKMAP", "RELOCS", "RSTRIP")


def phase_of(labels):
    """The phase index of each step label, in run order."""
    out, ph = [], 0
    for label in labels:
        tag = label.split()[0] if not label.startswith("(") else label
        if ph == 0 and label.startswith("LD vmlinux.o"):
            ph = 1
        if ph <= 1 and (tag == "KSYMS" or label.startswith("LD .tmp_vmlinux")):
            ph = 2
        if ph <= 2 and tag in POSTLINK:
            ph = 3
        if ph == 3 and tag not in POSTLINK:
            ph = 4
        out.append(ph)
    return out


def relink_steps_md(rows, config):
    """The relink by phase, base against fgk: where the difference goes."""
    per = {}  # (flavour, rep) -> [(label, seconds)] in run order
    for r in rows:
        if r["config"] == config and r["kind"] == "relink-step":
            per.setdefault((r["flavour"], r["rep"]), []).append((r["step"], float(r["wall_s"])))
    if not per:
        return ""
    ph = {}  # (flavour, phase) -> [seconds per rep]
    fgkmap = []
    for (f, _), steps in per.items():
        sums = [0.0] * len(PHASES)
        for (label, t), p in zip(steps, phase_of([l for l, _ in steps])):
            sums[p] += t
            if label.startswith("FGKMAP"):
                fgkmap.append(t)
        for p, t in enumerate(sums):
            ph.setdefault((f, p), []).append(t)
    tab = []
    tb = tf = 0.0
    for p, (name, _) in enumerate(PHASES):
        b = benchlib.stats(ph.get(("base", p), []))["median"]
        f = benchlib.stats(ph.get(("fgk", p), []))["median"]
        tb, tf = tb + b, tf + f
        tab.append([name, f"{b:.2f}", f"{f:.2f}", f"{f - b:+.2f}"])
    tab.append(["**sum of the medians**", f"{tb:.2f}", f"{tf:.2f}", f"{tf - tb:+.2f}"])

    def d(p):
        return (benchlib.stats(ph.get(("fgk", p), []))["median"]
                - benchlib.stats(ph.get(("base", p), []))["median"])
    links, post, dec = d(1) + d(2), d(3), d(4)
    why = (f"\n\nfgk's relink takes {tf - tb:+.2f} s: {links:+.2f} s in the links (ld with one "
           f"input section per function: vmlinux.o with `--unique`, the kallsyms links and the "
           f"final one), {post:+.2f} s in the post-link step, {dec:+.2f} s in the decompressor "
           f"phase (a payload with the map to compress, the glue `fgkaslr.o` recompiled like "
           f"`misc.o` because `voffset.h` is rewritten at every link). The links alone are "
           f"{links / tb * 100:+.0f} % of base's relink: with per-function sections the relink "
           f"cannot get within +10 %; the post-link step already runs the kernel's own -O2 "
           f"build of fgk-mkmap (arch/x86/tools/fgkaslr, below), the decompressor phase "
           f"could shrink with a denser map (less to compress: `make bench-size`).\n") if tb else "\n"
    return (f"\n**Where the relink time goes** ({CONFIG_TITLE.get(config, config)}): the kbuild "
            "output timestamped line by line (a step runs from its `  TAG     target` line to the "
            "next), summed per phase (the phases run one after the other), medians over the "
            "relinks, seconds"
            + (f"; fgk's `FGKMAP` step alone (copy to vmlinux.unstripped, fgk-mkmap "
               f"with its check of the map) takes {benchlib.stats(fgkmap)['median']:.2f} s"
               if fgkmap else "") + ":\n\n"
            + benchlib.md_table(["phase", "base", "fgk", "fgk - base"], tab).rstrip("\n") + why)


def plot(rows, configs, path):
    fig, _ = benchlib.figure(width=10.0, height=4.0)
    fig.clf()
    ax1 = fig.add_subplot(1, 2, 1)
    ax2 = fig.add_subplot(1, 2, 2)
    colours = {"base": "#4c72b0", "fgk": "#dd8452"}
    w = 0.38

    def bars(ax, kind, scale, ylabel, title):
        xs = range(len(configs) * 2)
        for j, f in enumerate(FLAVOURS):
            meds, err = [], [[], []]
            for c in configs:
                for field in ("wall_s", "cpu_s"):
                    s = benchlib.stats(values(rows, c, kind, f, field))
                    m = s["median"] / scale
                    meds.append(m)
                    err[0].append(m - s["q1"] / scale)
                    err[1].append(s["q3"] / scale - m)
            bars_ = ax.bar([x + (j - 0.5) * w for x in xs], meds, w, yerr=err, capsize=3, label=f,
                           color=colours[f])
            if f == "fgk":
                for bar, m, hi, b in zip(bars_, meds, err[1], base_meds):
                    if b == b and b > 0 and m == m:
                        ax.annotate(f"{(m / b - 1) * 100:+.1f}%", (bar.get_x() + w / 2, m + hi),
                                    xytext=(0, 3), textcoords="offset points",
                                    ha="center", va="bottom", fontsize=8)
            else:
                base_meds = meds
        ax.set_xticks(list(xs))
        ax.set_xticklabels([f"{CONFIG_TITLE.get(c, c)}\n{k}" for c in configs for k in ("wall", "CPU")],
                           fontsize=8)
        ax.set_ylabel(ylabel)
        ax.set_title(title, fontsize=10)
        ax.legend(fontsize=8)

    bars(ax1, "cold", 60.0, "minutes", "cold build (no ccache)")
    bars(ax2, "relink", 1.0, "seconds", "relink after touching init/version.c")
    benchlib.save(fig, path)


def report(a, rows, configs, checks, mk, ccache_delta, machine_md):
    md = ["## Build time\n\n",
          "What fgkaslr costs at build time: a cold kernel build (every object compiled, no "
          "ccache) and a relink after a one-file change (touch `init/version.c`: one object, "
          "the vmlinux links and kallsyms, the post-link step, which for fgk runs `fgk-mkmap`, "
          "the compression and the bzImage), base "
          "(`CONFIG_FG_KASLR=n`) against fgk in the same tree, interleaved. Wall-clock and CPU "
          "time (user + sys of all processes). fgk's extra work: `-ffunction-sections` "
          "objects, `ld --emit-relocs` and `-Map`, `fgk-mkmap`, a larger payload to compress, "
          "the runtime in the decompressor.\n\n",
          "Reproduce: `make bench-build` (each config in its own BUILD under "
          f"`{a.dir}/`; the unpacked tree is kept, the out dirs "
          + ("kept" if a.keep else "removed after measuring") + "). Settings: "
          f"`BENCH_BUILD_CONFIGS={' '.join(configs)}` (`defconfig` adds x86_64_defconfig, ~25 min "
          f"per cold flavour on 2 cores), `BENCH_BUILD_REPS={a.reps}`, "
          f"`BENCH_LINK_REPS={a.link_reps}`, `BENCH_MKMAP_REPS={a.mkmap_reps}`, "
          f"`KERNEL_JOBS={a.jobs}`, `BENCH_BUILD_KEEP={a.keep}`. "
          "Raw samples: [build.csv](build.csv), plot: [build.svg](build.svg).\n\n"]
    targets = []
    for c in configs:
        title = CONFIG_TITLE.get(c, c)
        g = growth(rows, c, "cold", "wall_s")
        if g:
            targets.append({"target": f"kernel build time, cold ({title})", "goal": f"<= +{GOAL_PCT:g}%",
                            "measured": f"{(g[0] - 1) * 100:+.1f}%",
                            "met": "yes" if (g[0] - 1) * 100 <= GOAL_PCT else "no"})
        g = growth(rows, c, "relink", "wall_s")
        if g:
            targets.append({"target": f"kernel relink time ({title})", "goal": f"<= +{GOAL_PCT:g}%",
                            "measured": f"{(g[0] - 1) * 100:+.1f}%",
                            "met": "yes" if (g[0] - 1) * 100 <= GOAL_PCT else "no"})
    md.append(benchlib.md_table(["target", "goal", "measured", "met"],
                                [[t["target"], t["goal"], t["measured"], t["met"]] for t in targets]))
    md.append("\n![build and relink time, base vs fgk](build.svg)\n\n")
    md.append("Medians [quartiles] over the repetitions; growth is fgk / base - 1 of the "
              "medians [95 % bootstrap interval, with 2+ repetitions]. CPU time is the steadier "
              "measure of the work; wall-clock also moves with whatever else runs on the "
              "machine (the target uses wall-clock).\n\n")
    tab = []
    for c in configs:
        for kind, label in (("cold", "cold build"), ("relink", "relink")):
            for field, fl in (("wall_s", "wall"), ("cpu_s", "CPU")):
                b = values(rows, c, kind, "base", field)
                f = values(rows, c, kind, "fgk", field)
                if b or f:
                    tab.append([CONFIG_TITLE.get(c, c), f"{label}, {fl}", len(b), cell(b), cell(f),
                                growth_cell(growth(rows, c, kind, field))])
    md.append(benchlib.md_table(["config", "time", "n", "base", "fgk", "fgk growth"], tab))

    for c in configs:
        md.append(relink_steps_md(rows, c))

    # fgk-mkmap against the relink difference.
    md.append("\n**fgk-mkmap**, run on the fgk `vmlinux.unstripped` exactly as "
              "`Makefile.postlink` runs it (the project's checked build: ASan + UBSan, -O1; "
              "and the same sources at -O2 without sanitizers, as the kernel's build of "
              "`arch/x86/tools/fgkaslr` compiles them, which is what the post-link step runs), "
              "its full check of the map included:\n\n")
    tab = []
    for c in mk:
        rel_b = benchlib.stats(values(rows, c, "relink", "base", "wall_s"))["median"]
        rel_f = benchlib.stats(values(rows, c, "relink", "fgk", "wall_s"))["median"]
        for kind, label in (("mkmap", "fgk-mkmap (ASan + UBSan, -O1)"), ("mkmap-O2", "fgk-mkmap -O2")):
            v = values(rows, c, kind, "fgk", "wall_s")
            if not v:
                continue
            m = benchlib.stats(v)["median"]
            share = f"{m / (rel_f - rel_b) * 100:.0f} %" if rel_f == rel_f and rel_f > rel_b else ""
            tab.append([CONFIG_TITLE.get(c, c), label, len(v), cell(v),
                        cell(values(rows, c, kind, "fgk", "cpu_s")), share])
    md.append(benchlib.md_table(["config", "tool", "n", "wall", "CPU", "of the relink difference"], tab))
    same = all(mk.values())
    md.append(f"\nThe maps written by these runs are {'identical to' if same else 'NOT identical to'} "
              "the build's (`vmlinux.fgkmap`).\n\n")

    md.append("**No ccache**: the timed builds ran with `KERNEL_CC=gcc` and `CCACHE_DISABLE=1`; "
              "kbuild recorded " + ", ".join(sorted({f"`{x}`" for _, _, x in checks})) +
              f" as the compiler (`gcc` is `{os.path.realpath(shutil.which('gcc') or 'gcc')}`); "
              f"ccache's counters moved by {ccache_delta if ccache_delta is not None else '?'} during "
              "the run (machine-wide). Cold means no objects and no ccache; the source tree is in "
              "the page cache after the first build.\n\n")
    md.append("Machine:\n\n" + machine_md)
    with open(os.path.join(a.out, "build.md"), "w") as fh:
        fh.write("".join(md))
    benchlib.write_csv(os.path.join(a.out, "build.target.csv"), ["target", "goal", "measured", "met"], targets)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="bench/results")
    ap.add_argument("--make", default="make")
    ap.add_argument("--dir", required=True, help="parent of the timed BUILDs")
    ap.add_argument("--deps-stamp", required=True)
    ap.add_argument("--jobs", default="2")
    ap.add_argument("--configs", default="test")
    ap.add_argument("--reps", type=int, default=1)
    ap.add_argument("--link-reps", type=int, default=3)
    ap.add_argument("--mkmap-reps", type=int, default=5)
    ap.add_argument("--keep", type=int, default=0)
    ap.add_argument("--dc-config", default="")
    ap.add_argument("--mkmap-o2", default="")
    ap.add_argument("--built", action="append", default=[],
                    help="NAME=BUILD of kernels already built (fgk-mkmap runs on them if NAME is not timed)")
    ap.add_argument("--report-only", action="store_true",
                    help="rewrite build.md/.svg/.target.csv from build.csv and DIR/build-meta.json")
    a = ap.parse_args()
    meta_path = os.path.join(a.dir, "build-meta.json")
    if a.report_only:
        with open(meta_path) as fh:
            meta = json.load(fh)
        for k in ("configs", "reps", "link_reps", "mkmap_reps", "jobs", "keep"):
            setattr(a, k, meta[k])
        rows = benchlib.read_csv(os.path.join(a.out, "build.csv"))
        configs = a.configs.split()
        plot(rows, configs, os.path.join(a.out, "build.svg"))
        report(a, rows, configs, meta["checks"], meta["mkmap_same"], meta["ccache_delta"],
               meta["machine_md"])
        log(f"rewrote {a.out}/build.md, build.svg, build.target.csv from build.csv")
        return
    configs = a.configs.split()
    for c in configs:
        if c not in ("test", "defconfig"):
            sys.exit(f"bench-build: unknown config {c} (test, defconfig)")
    os.makedirs(a.out, exist_ok=True)
    t0 = time.time()
    rows, checks, mk = [], [], {}
    cc0 = ccache_calls()
    for name in configs:
        c = Config(a, name)
        log(f"{name}: preparing {c.build} (tree, tools, configs; not timed; log {c.log})")
        c.prepare()
        cold_builds(c, a, rows, checks)
        if a.link_reps:
            relinks(c, a, rows)
        tools = [("mkmap", os.path.join(c.build, "bin/fgk-mkmap"))]
        if a.mkmap_o2:
            tools.append(("mkmap-O2", a.mkmap_o2))
        if a.mkmap_reps:
            mk[name] = mkmap_runs(name, c.out("fgk"), tools, a, rows, c.log)
        if not a.keep:
            for f in FLAVOURS:
                shutil.rmtree(c.out(f), ignore_errors=True)
            log(f"{name}: removed the out dirs of {c.kdir}")
    # fgk-mkmap also on the kernels built elsewhere (make kernel, make bench-kernel-defconfig).
    for spec in a.built:
        name, build = spec.split("=", 1)
        out_dir = os.path.join(build, "kernel/out-fgk")
        if name in mk or not a.mkmap_reps or not os.path.exists(os.path.join(out_dir, "vmlinux.unstripped")):
            continue
        tools = [("mkmap", os.path.join(build, "bin/fgk-mkmap"))]
        if a.mkmap_o2:
            tools.append(("mkmap-O2", a.mkmap_o2))
        log(f"{name}: fgk-mkmap on {out_dir}")
        mk[name] = mkmap_runs(name, out_dir, tools, a, rows, os.path.join(a.dir, "mkmap.log"))
    cc1 = ccache_calls()
    delta = None if cc0 is None or cc1 is None else cc1 - cc0
    machine_md = benchlib.md_machine({"bench-build took": f"{(time.time() - t0) / 60:.1f} min"})
    benchlib.write_csv(os.path.join(a.out, "build.csv"), FIELDS, rows)
    with open(meta_path, "w") as fh:
        json.dump({"configs": a.configs, "reps": a.reps, "link_reps": a.link_reps,
                   "mkmap_reps": a.mkmap_reps, "jobs": a.jobs, "keep": a.keep, "checks": checks,
                   "mkmap_same": mk, "ccache_delta": delta, "machine_md": machine_md}, fh, indent=1)
    plot(rows, configs, os.path.join(a.out, "build.svg"))
    report(a, rows, configs, checks, mk, delta, machine_md)
    log(f"wrote {a.out}/build.md, build.csv, build.svg, build.target.csv "
        f"({(time.time() - t0) / 60:.1f} min)")


if __name__ == "__main__":
    main()
