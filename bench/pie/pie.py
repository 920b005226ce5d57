#!/usr/bin/python3
"""pie.py: bench-pie: what linking the kernel as PIE (CONFIG_X86_PIE) costs, without and with fgkaslr."""
# usage: pie.py --out DIR --work DIR --paths PATHS --paths-pie PATHS --harness RELOCS
#               --boot-initrd CPIO --hack-initrd CPIO [--boots N] [--hack-seeds "1 2"] ...
# PATHS and PATHS_PIE are saved `make -s kernel-paths` / `kernel-paths-pie`.
# Four kernels of one config: base, fgk (linked at a fixed address, base
# relocations in vmlinux.relocs) and pie-base, pie-fgk (linked -pie, RELA/RELR);
# with --prev-paths a fifth, base-prev: the base kernel built without the PIE
# patches, whose assembly changes (RIP-relative references) apply to every kernel.
# Writes DIR/pie.csv (every measurement) and DIR/pie.md.

import argparse
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(os.path.dirname(HERE), "qemu"), os.path.dirname(HERE)]
import benchlib  # noqa: E402
import hackbench  # noqa: E402
import qemu  # noqa: E402

FLAVOURS = ["base", "pie-base", "fgk", "pie-fgk"]
PAIRS = [("base", "pie-base"), ("fgk", "pie-fgk")]
PAIR_NAMES = {("base", "pie-base"): "pie-base vs base", ("fgk", "pie-fgk"): "pie-fgk vs fgk",
              ("base-prev", "base"): "base vs base-prev"}
FIELDS = ["part", "flavour", "metric", "value", "run", "seed", "status"]


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def sections(vmlinux):
    """{name: (addr, size)} of the ELF's sections."""
    out = {}
    for line in run(["readelf", "-SW", vmlinux]).splitlines():
        if "]" not in line or line.lstrip().startswith("[Nr]"):
            continue
        w = line.split("]", 1)[1].split()
        if len(w) >= 5:
            out[w[0]] = (int(w[2], 16), int(w[4], 16))
    return out


def code_bytes(vmlinux):
    """Bytes of code: the sizes of the function symbols (nm -S, t/T), init code included."""
    total = 0
    for line in run(["nm", "-S", "--defined-only", vmlinux]).splitlines():
        w = line.split()
        if len(w) == 4 and w[2] in ("t", "T"):
            total += int(w[1], 16)
    return total


def symbol(vmlinux, name):
    for line in run(["nm", vmlinux]).splitlines():
        w = line.split()
        if len(w) == 3 and w[2] == name:
            return int(w[0], 16)
    raise SystemExit(f"pie.py: no {name} in {vmlinux}")


def harness(a, fl, p, work):
    """Sites, list bytes and ns per pass of the decompressor's relocation loop, on the host."""
    vml = p["vmlinux"]
    text, end = symbol(vml, "_text"), symbol(vml, "_end")
    cmd = [a.harness]
    if fl.startswith("pie-"):
        secs = sections(vml)
        lists = []
        for sec in (".rela.dyn", ".relr.dyn"):
            path = os.path.join(work, f"{fl}{sec}.bin")
            if sec in secs:
                run(["objcopy", "-O", "binary", "-j", sec, vml, path])
            else:
                open(path, "wb").close()
            lists.append(path)
        cmd += ["pie", str(end - text), hex(text)] + lists
    else:
        relocs = os.path.join(p["builddir"], "arch/x86/boot/compressed/vmlinux.relocs")
        cmd += ["relocs", str(end - text), hex(text), relocs]
    w = run(cmd + [str(a.passes)]).split()
    return {"reloc_sites": int(w[2]), "reloc_bytes": int(w[4]), "reloc_ns": int(w[6])}


def static(a, paths, work):
    """Sizes and relocation figures of each kernel: {flavour: {metric: value}}."""
    out = {}
    for fl in FLAVOURS:
        p = paths[fl]
        secs = sections(p["vmlinux"])
        out[fl] = {"code_bytes": code_bytes(p["vmlinux"]), "text_section_bytes": secs[".text"][1],
                   "bzimage_bytes": os.path.getsize(p["bzImage"])}
        out[fl].update(harness(a, fl, p, work))
    return out


def boots(a, paths, tsc, logs):
    """Interleaved boots to /init, a random layout each for the fgk kernels."""
    rows = []
    groups = [tuple(FLAVOURS) for _ in range(a.boots + a.warmup)]
    for k, (fl, pos) in enumerate(qemu.plan(groups, a.order_seed)):
        cmd = qemu.command(paths[fl]["bzImage"], a.boot_initrd, a.boot_append, a.smp, a.mem)
        b = qemu.Boot(cmd, a.timeout, os.path.join(logs, f"boot-{k:03d}-{fl}.log"), tsc)
        c, why = b.common(), b.problem()
        warm = k < a.warmup * len(FLAVOURS)
        for metric in ("wall_to_init_s", "uptime_at_init_s", "wall_decompressor_s"):
            rows.append({"part": "boot", "flavour": fl, "metric": metric, "value": c[metric],
                         "run": k, "seed": "", "status": "warmup" if warm else (why or "ok")})
        print(f"bench-pie: boot {k + 1}/{len(groups) * len(FLAVOURS)} {fl:8} to /init "
              f"{c['wall_to_init_s'] or '-'} s, decompressor {c['wall_decompressor_s'] or '-'} s"
              + (f"  FAILED: {why}" if why else ""), flush=True)
    return rows


def hack(a, paths, tsc, logs):
    """hackbench, one group of the four kernels per seed (the fgk ones laid out by it)."""
    rows = []
    groups = [tuple((fl, s) for fl in FLAVOURS) for s in a.hack_seeds.split()]
    append = f"{a.hack_append} bhack={','.join(a.hack_args.split())} bhack_runs={a.hack_runs}"
    for k, ((fl, seed), pos) in enumerate(qemu.plan(groups, a.order_seed)):
        cmd = qemu.command(paths[fl]["bzImage"], a.hack_initrd, f"{append} fgkaslr.seed={seed}",
                           a.smp, a.mem)
        b = qemu.Boot(cmd, a.timeout, os.path.join(logs, f"hack-{k:03d}-{fl}-{seed}.log"), tsc)
        got = hackbench.one_boot(b, {"flavour": fl}, a.hack_runs)
        for r in got:
            rows.append({"part": "hackbench", "flavour": fl, "metric": "time_s", "value": r["time_s"],
                         "run": f"{k}.{r['run']}", "seed": seed,
                         "status": "warmup" if r["warmup"] else r["status"]})
        times = [r["time_s"] for r in got if r["time_s"] and not r["warmup"]]
        print(f"bench-pie: hackbench {k + 1}/{len(groups) * len(FLAVOURS)} {fl:8} seed {seed}: "
              f"{' '.join(times) or '-'} s", flush=True)
    return rows


def sample(rows, part, fl, metric):
    return [float(r["value"]) for r in rows if r["part"] == part and r["flavour"] == fl
            and r["metric"] == metric and r["status"] == "ok" and r["value"] != ""]


def pct(num, den):
    return f"{100 * (num / den - 1):+.1f}%"


def ratio_cell(rows, part, metric, a, b):
    x, y = sample(rows, part, b, metric), sample(rows, part, a, metric)
    if len(x) < 2 or len(y) < 2:
        return "-"
    r, lo, hi = benchlib.ratio(x, y)
    return f"{100 * (r - 1):+.1f}% [{100 * (lo - 1):+.1f}, {100 * (hi - 1):+.1f}]"


def median(rows, part, fl, metric):
    s = sample(rows, part, fl, metric)
    return f"{benchlib.stats(s)['median']:.3f} (n={len(s)})" if s else "-"


def failures(rows):
    """One line per boot that did not count (part, flavour, run, why)."""
    seen, out = set(), []
    for r in rows:
        if r["part"] == "static" or r["status"] in ("ok", "warmup"):
            continue
        key = (r["part"], r["flavour"], str(r["run"]).split(".")[0])
        if key not in seen:
            seen.add(key)
            out.append(f"- {r['part']} boot {key[2]}, {r['flavour']}"
                       + (f" (fgkaslr.seed={r['seed']})" if r["seed"] else "") + f": {r['status']}\n")
    return out


def report(a, st, rows, elapsed):
    size_rows = []
    for metric, what in [("code_bytes", "code bytes (function symbols)"),
                         ("text_section_bytes", ".text section bytes (2 MiB aligned)"),
                         ("bzimage_bytes", "bzImage bytes"),
                         ("reloc_sites", "base relocations (sites)"),
                         ("reloc_bytes", "base relocation list bytes"),
                         ("reloc_ns", "relocation pass, ns (host, median)")]:
        cells = [f"{st[fl][metric]:,}" for fl in FLAVOURS]
        cells += [pct(st[p][metric], st[b][metric]) for b, p in PAIRS]
        size_rows.append([what] + cells)
    run_rows = []
    for part, metric, what in [("boot", "wall_to_init_s", "boot to /init, s (host clock)"),
                               ("boot", "uptime_at_init_s", "boot to /init, s (guest uptime)"),
                               ("boot", "wall_decompressor_s", "decompressor, s (host clock)"),
                               ("hackbench", "time_s", f"hackbench {a.hack_args}, s")]:
        run_rows.append([what] + [median(rows, part, fl, metric) for fl in FLAVOURS]
                        + [ratio_cell(rows, part, metric, b, p) for b, p in PAIRS])
    head = [""] + FLAVOURS + [PAIR_NAMES[p] for p in PAIRS]
    text = [
        "## PIE kernel (CONFIG_X86_PIE)\n\n",
        "`make bench-pie` (bench/pie/pie.py): the test config's kernels linked at a fixed "
        "address (base, fgk: base relocations in vmlinux.relocs) and as PIE (pie-base, "
        "pie-fgk: `-fpie`, every symbol hidden, linked `-pie`, R_X86_64_RELATIVE in "
        ".rela.dyn and RELR). Same tree, compiler and config otherwise."
        + (" base-prev is the base kernel built from the series without the PIE patches: "
           "their assembly changes (RIP-relative references in entry, startup, sync_core and "
           "rethook code) apply to every kernel, and `base vs base-prev` is what they cost."
           if "base-prev" in FLAVOURS else "") + "\n\n",
        "### Sizes and relocations\n\n",
        "Exact figures. The relocation pass is the decompressor's own loop "
        "(handle_relocations(), both forms, with its bounds checks) run on the host over "
        f"a buffer of the image's size, median of {a.passes} passes: what the boot does "
        "with plain KASLR (with fgkaslr the runtime applies the same lists after the "
        "shuffle, counted in its shuffle time).\n\n",
        benchlib.md_table(head, size_rows), "\n",
        "### Boot and hackbench (QEMU TCG)\n\n",
        f"Medians; the last columns are the PIE kernel's ratio to its fixed-address twin in "
        f"this run with a 95% bootstrap interval. {a.boots} interleaved groups of the four "
        f"boots (after {a.warmup} warm-up group), random fgkaslr layouts; hackbench: one "
        f"group per seed ({a.hack_seeds}), {a.hack_runs} runs per boot, the first a warm-up. "
        "Under TCG, code size and addressing modes are not timed as a CPU would.\n\n",
        benchlib.md_table(head, run_rows), "\n",
    ]
    failed = failures(rows)
    text += (["Boots that did not count (left out of the medians):\n\n"] + failed + [
        "\nAn `Oops: int3` at a static-key or ftrace site is the multi-threaded TCG race "
        "bench/qemu/README.md describes (plain FG_KASLR=n kernels hit it too); the boot "
        "tests run single-threaded TCG and have none.\n\n"] if failed else
        ["Every boot counted.\n\n"])
    text += [
        "Machine and settings:\n\n",
        benchlib.md_machine(({"elapsed": f"{elapsed:.1f} min"} if elapsed is not None else {})
                            | {"smp": a.smp, "mem": f"{a.mem} MiB", "order seed": a.order_seed}),
    ]
    with open(os.path.join(a.out, "pie.md"), "w") as f:
        f.write("".join(text))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--paths", required=True)
    ap.add_argument("--paths-pie", required=True)
    ap.add_argument("--harness", required=True)
    ap.add_argument("--prev-paths", help="kernel-paths lines of base-prev")
    ap.add_argument("--boot-initrd", required=True)
    ap.add_argument("--hack-initrd", required=True)
    ap.add_argument("--passes", type=int, default=200)
    ap.add_argument("--boots", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--boot-append", default="console=ttyS0 panic=-1 earlyprintk=serial,ttyS0")
    ap.add_argument("--hack-seeds", default="1 2 3 4 5")
    ap.add_argument("--hack-runs", type=int, default=6)
    ap.add_argument("--hack-args", default="-p -g 4 -l 500")
    ap.add_argument("--hack-append", default="console=ttyS0 panic=-1")
    ap.add_argument("--smp", type=int, default=2)
    ap.add_argument("--mem", type=int, default=512)
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--order-seed", type=int, default=1)
    ap.add_argument("--tsc-khz", default="auto")
    ap.add_argument("--report-only", action="store_true",
                    help="rewrite pie.md from pie.csv (no builds read, no boots)")
    a = ap.parse_args()
    t0 = time.monotonic()
    if a.report_only:
        rows = benchlib.read_csv(os.path.join(a.out, "pie.csv"))
        if any(r["flavour"] == "base-prev" for r in rows):
            FLAVOURS.insert(0, "base-prev")
            PAIRS.append(("base-prev", "base"))
        st = {fl: {} for fl in FLAVOURS}
        for r in rows:
            if r["part"] == "static":
                st[r["flavour"]][r["metric"]] = int(r["value"])
        report(a, st, rows, None)
        print(f"bench-pie: {a.out}/pie.md (from pie.csv)", flush=True)
        return
    paths = qemu.kernel_paths(a.paths)
    paths.update(qemu.kernel_paths(a.paths_pie))
    if a.prev_paths:
        paths.update(qemu.kernel_paths(a.prev_paths))
        FLAVOURS.insert(0, "base-prev")
        PAIRS.append(("base-prev", "base"))
    missing = [fl for fl in FLAVOURS if not os.path.exists(paths.get(fl, {}).get("bzImage", "/-"))]
    if missing:
        raise SystemExit(f"pie.py: not built: {' '.join(missing)} (make kernel kernel-pie)")
    os.makedirs(a.out, exist_ok=True)
    logs = os.path.join(a.work, "pie-logs")
    os.makedirs(logs, exist_ok=True)
    for old in os.listdir(logs):
        os.remove(os.path.join(logs, old))
    st = static(a, paths, a.work)
    rows = [{"part": "static", "flavour": fl, "metric": m, "value": v, "run": "", "seed": "",
             "status": "ok"} for fl in FLAVOURS for m, v in st[fl].items()]
    a.boot_append, tsc = qemu.tsc_append(a.boot_append, a.tsc_khz)
    a.hack_append, _ = qemu.tsc_append(a.hack_append, a.tsc_khz)
    rows += boots(a, paths, tsc, logs)
    benchlib.write_csv(os.path.join(a.out, "pie.csv"), FIELDS, rows)
    rows += hack(a, paths, tsc, logs)
    benchlib.write_csv(os.path.join(a.out, "pie.csv"), FIELDS, rows)
    report(a, st, rows, (time.monotonic() - t0) / 60)
    print(f"bench-pie: {a.out}/pie.md", flush=True)


if __name__ == "__main__":
    main()
