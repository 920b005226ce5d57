#!/usr/bin/python3
"""hackbench.py: bench-hackbench: hackbench in QEMU, base against fgk with several seeds, interleaved boots (bench/qemu/README.md)."""
# usage: hackbench.py --out DIR --work DIR --initrd CPIO
#                     [--config NAME PATHS SEEDS HACKBENCH-ARGS]...
# Each round boots, per seed, one group (base, fgk with fgkaslr.seed=<seed>,
# fgk-off: fgk with nofgkaslr) in a random order; each boot runs hackbench --runs times, the first one a
# warm-up. Writes DIR/hackbench.csv (one row per run) after every boot, then
# hackbench.md, hackbench*.svg, hackbench.target.csv (hackbench_report.py).

import argparse
import json
import os
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.dirname(HERE)]
import benchlib  # noqa: E402
import hackbench_report  # noqa: E402
import qemu  # noqa: E402

FIELDS = ["config", "flavour", "seed", "boot", "group_pos", "run", "warmup", "status",
          "time_s", "host_s", "uptime_s", "boot_total_s", "cpus", "clocksource", "shuffle_ms",
          "fgkaslr_line"]
RUN = re.compile(r"BENCH-HACK run=(\d+) rc=(\d+) time=(\S+) uptime=([\d.]+)")


def one_boot(b, base_row, runs):
    """The rows of one boot: one per hackbench run (or one saying why none)."""
    c = b.common()
    base_row.update({"boot_total_s": c["total_s"], "shuffle_ms": c["shuffle_ms"], "cpus": c["cpus"],
                     "clocksource": c["clocksource"],
                     "fgkaslr_line": c["fgkaslr_line"]})
    why = b.problem()
    got, host, prev = {}, {}, None
    for t, _, text in b.lines:
        m = RUN.search(text)
        if m:
            got[int(m.group(1))] = m
            if prev is not None:  # on the host clock, line to line (with exec and sed)
                host[int(m.group(1))] = f"{t - prev:.3f}"
        if m or text.startswith("BENCH-ARGS"):
            prev = t
    rows = []
    for i in range(runs):
        r = dict(base_row, run=i, warmup=int(i == 0), host_s=host.get(i, ""))
        m = got.get(i)
        if m and m.group(2) == "0" and m.group(3) != "none":
            r.update(time_s=m.group(3), uptime_s=m.group(4), status=why or "ok")
        else:
            r.update(time_s="", uptime_s=m.group(4) if m else "",
                     status=why or (f"hackbench exit {m.group(2)}" if m else "no result"))
        rows.append(r)
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--initrd", required=True)
    ap.add_argument("--config", nargs=4, action="append", default=[],
                    metavar=("NAME", "PATHS", "SEEDS", "ARGS"))
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--control", type=int, default=1, help="1: also fgk-off (fgk with nofgkaslr)")
    ap.add_argument("--runs", type=int, default=6, help="hackbench runs per boot, the first a warm-up")
    ap.add_argument("--append", default="console=ttyS0 panic=-1")
    ap.add_argument("--smp", type=int, default=2)
    ap.add_argument("--mem", type=int, default=512)
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--order-seed", type=int, default=1)
    ap.add_argument("--tsc-khz", default="auto", help="guest tsc_early_khz=: auto, N, 0 (none)")
    ap.add_argument("--settings", default="")
    a = ap.parse_args()
    t0 = time.monotonic()
    a.append, tsc = qemu.tsc_append(a.append, a.tsc_khz)
    os.makedirs(a.out, exist_ok=True)
    logs = os.path.join(a.work, "hackbench-logs")
    os.makedirs(logs, exist_ok=True)
    for old in os.listdir(logs):  # this run's logs only
        os.remove(os.path.join(logs, old))

    flavours = ["base", "fgk"] + (["fgk-off"] if a.control else [])
    settings = {"make": a.settings, "append": a.append, "smp": a.smp, "mem": a.mem,
                "flavours": flavours, "rounds": a.rounds, "runs": a.runs, "order_seed": a.order_seed,
                "configs": [], "skipped": {},
                "command": " ".join(qemu.command("<bzImage>", "<initrd>", "<append>", a.smp, a.mem))}
    rows = []
    csv_path = os.path.join(a.out, "hackbench.csv")
    for name, paths_file, seeds, hargs in a.config:
        paths = qemu.kernel_paths(paths_file)
        if not qemu.built(paths):
            why = "kernels not built (" + ", ".join(paths.get(f, {}).get("builddir", "?")
                                                     for f in ("base", "fgk")) + ")"
            print(f"bench-hackbench: {name}: skipped: {why}", flush=True)
            settings["skipped"][name] = why
            continue
        seeds = seeds.replace(",", " ").split()
        append = f"{a.append} bhack={','.join(hargs.split())} bhack_runs={a.runs}"
        settings["configs"].append({"name": name, "seeds": seeds, "args": hargs, "append": append,
                                    "base": paths["base"]["bzImage"], "fgk": paths["fgk"]["bzImage"]})
        groups = [tuple((f, s, rd) for f in flavours) for rd in range(a.rounds) for s in seeds]
        order = qemu.plan(groups, a.order_seed)
        for k, ((flavour, seed, rd), pos) in enumerate(order):
            # the same command line for all: base ignores fgkaslr.seed= (unknown, dotted),
            # fgk-off adds nofgkaslr
            cmd = qemu.flavour_cmd(paths, flavour, a.initrd, f"{append} fgkaslr.seed={seed}",
                                   a.smp, a.mem)
            log = os.path.join(logs, f"{name}-{k:03d}-{flavour}-seed{seed}.log")
            b = qemu.Boot(cmd, a.timeout, log, tsc)
            kept = b.keep(a.work) if b.problem() else ""
            got = one_boot(b, {"config": name, "flavour": flavour, "seed": seed if flavour == "fgk" else "",
                               "boot": k, "group_pos": pos}, a.runs)
            for r in got:
                if kept and r["status"] != "ok":
                    r["status"] += f" (log {kept})"
            rows += got
            benchlib.write_csv(csv_path, FIELDS, rows)  # after every boot: kept if interrupted
            times = [r["time_s"] for r in got if r["time_s"] and not r["warmup"]]
            bad = [r["status"] for r in got if r["status"] != "ok"]
            what = f"seed {seed}" if flavour == "fgk" else "     "
            print(f"bench-hackbench: {name} {k + 1}/{len(order)} {flavour:7} {what}: "
                  f"hackbench {' '.join(times) or '-'} s (warm-up {got[0]['time_s'] or '-'}), "
                  f"boot {b.total:.1f} s"
                  + (f"  FAILED: {bad[0]}" + ("" if kept else f" (log {log})") if bad else ""),
                  flush=True)
    settings["elapsed_min"] = round((time.monotonic() - t0) / 60, 1)
    with open(os.path.join(a.work, "hackbench.settings.json"), "w") as f:
        json.dump(settings, f, indent=1)
    hackbench_report.report(a.out, settings)


if __name__ == "__main__":
    main()
