#!/usr/bin/python3
"""boot.py: bench-boot: boot base and fgk in QEMU, interleaved, and time each boot to /init (bench/qemu/README.md)."""
# usage: boot.py --out DIR --work DIR --initrd CPIO [--config NAME PATHS BOOTS]...
# PATHS is a saved `make -s kernel-paths`; a config whose kernels are not
# built is skipped (and says so in boot.md). Writes DIR/boot.csv after
# every boot, then boot.md, boot*.svg and boot.target.csv (boot_report.py).

import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.dirname(HERE)]
import benchlib  # noqa: E402
import boot_report  # noqa: E402
import qemu  # noqa: E402

FIELDS = ["config", "flavour", "run", "order", "group_pos", "warmup", "seed", "status",
          "wall_to_init_s", "uptime_at_init_s", "wall_to_kernel_s", "wall_decompressor_s",
          "wall_shuffle_ms", "shuffle_ms", "functions", "cpus", "clocksource", "total_s",
          "fgkaslr_line"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--initrd", required=True)
    ap.add_argument("--config", nargs=3, action="append", default=[],
                    metavar=("NAME", "PATHS", "BOOTS"))
    ap.add_argument("--warmup", type=int, default=1, help="discarded groups first")
    ap.add_argument("--control", type=int, default=1, help="1: also fgk-off (fgk with nofgkaslr)")
    ap.add_argument("--append", default="console=ttyS0 earlyprintk=serial,ttyS0 panic=-1")
    ap.add_argument("--smp", type=int, default=2)
    ap.add_argument("--mem", type=int, default=512)
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("--order-seed", type=int, default=1)
    ap.add_argument("--tsc-khz", default="auto", help="guest tsc_early_khz=: auto, N, 0 (none)")
    ap.add_argument("--settings", default="", help="make variables, 'NAME=value;...'")
    a = ap.parse_args()
    t0 = time.monotonic()
    a.append, tsc = qemu.tsc_append(a.append, a.tsc_khz)
    os.makedirs(a.out, exist_ok=True)
    logs = os.path.join(a.work, "boot-logs")
    os.makedirs(logs, exist_ok=True)
    for old in os.listdir(logs):  # this run's logs only
        os.remove(os.path.join(logs, old))

    flavours = ["base", "fgk"] + (["fgk-off"] if a.control else [])
    settings = {"make": a.settings, "append": a.append, "smp": a.smp, "mem": a.mem,
                "warmup": a.warmup, "flavours": flavours, "order_seed": a.order_seed,
                "configs": [], "skipped": {},
                "command": " ".join(qemu.command("<bzImage>", "<initrd>", a.append, a.smp, a.mem))}
    rows = []
    csv_path = os.path.join(a.out, "boot.csv")
    for name, paths_file, boots in a.config:
        paths = qemu.kernel_paths(paths_file)
        if not qemu.built(paths):
            why = "kernels not built (" + ", ".join(paths.get(f, {}).get("builddir", "?")
                                                     for f in ("base", "fgk")) + ")"
            print(f"bench-boot: {name}: skipped: {why}", flush=True)
            settings["skipped"][name] = why
            continue
        boots = int(boots)
        settings["configs"].append({"name": name, "boots": boots,
                                    "base": paths["base"]["bzImage"], "fgk": paths["fgk"]["bzImage"]})
        groups = [tuple((f, i) for f in flavours) for i in range(-a.warmup, boots)]
        order = qemu.plan(groups, a.order_seed)
        for k, ((flavour, run), pos) in enumerate(order):
            cmd = qemu.flavour_cmd(paths, flavour, a.initrd, a.append, a.smp, a.mem)
            log = os.path.join(logs, f"{name}-{k:03d}-{flavour}-{run}.log")
            b = qemu.Boot(cmd, a.timeout, log, tsc)
            r = {"config": name, "flavour": flavour, "run": run, "order": k, "group_pos": pos,
                 "warmup": int(run < 0), "seed": "random" if flavour == "fgk" else ""}
            r.update(b.common())
            r["status"] = b.problem() or "ok"
            if r["status"] != "ok":
                log = b.keep(a.work)
                r["status"] += f" (log {log})"
            rows.append(r)
            benchlib.write_csv(csv_path, FIELDS, rows)  # after every boot: kept if interrupted
            what = "warm-up" if run < 0 else f"run {run}"
            sh = f", shuffle {r['shuffle_ms']} ms" if r["shuffle_ms"] else ""
            print(f"bench-boot: {name} {k + 1}/{len(order)} {flavour:7} {what}: "
                  f"/init at {r['wall_to_init_s'] or '-'} s (uptime {r['uptime_at_init_s'] or '-'} s"
                  f"{sh}), exit {r['total_s']} s"
                  + ("" if r["status"] == "ok" else f"  FAILED: {r['status']}"),
                  flush=True)
    settings["elapsed_min"] = round((time.monotonic() - t0) / 60, 1)
    with open(os.path.join(a.work, "boot.settings.json"), "w") as f:
        json.dump(settings, f, indent=1)
    boot_report.report(a.out, settings)


if __name__ == "__main__":
    main()
