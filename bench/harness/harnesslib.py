"""harnesslib.py: shared by shuffle.py, callgrind.py and entropy.py: which kernels to measure, running fgk-bench."""
# The make rules (bench/shuffle.mk) write the kernel paths of both configs
# ("<config> <flavour> <kind> <path>", from `make -s kernel-paths`) to one
# file; a config whose fgk vmlinux or map is missing is skipped, and the
# part's section says so.

import argparse
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import benchlib  # noqa: E402,F401  (re-exported for the part scripts)

# (id in the CSVs, name in the text, how it is built)
CONFIGS = [
    ("test", "test config", "tinyconfig + `kernel/config/fgkaslr-test.config`, `make kernel`"),
    ("defconfig", "x86_64_defconfig", "`make bench-kernel-defconfig`"),
    ("test-clang", "test config, clang", "the test config built by clang 14 (GNU ld), `make kernel-clang`"),
]
LABEL = {c: label for c, label, _ in CONFIGS}
HOW = {c: how for c, _, how in CONFIGS}


def arg_parser(what):
    """The options every part script takes from bench/shuffle.mk."""
    p = argparse.ArgumentParser(description=what)
    p.add_argument("--harness", required=True, help="fgk-bench")
    p.add_argument("--paths", required=True, help="kernel paths file")
    p.add_argument("--work", required=True, help="directory for raw harness output")
    p.add_argument("--out", required=True, help="BENCH_OUT")
    p.add_argument("--seeds", type=int, required=True)
    p.add_argument("--base-delta", default="0x1000000")
    return p


def kernels(paths_file, part):
    """[(config, vmlinux, map)] of the built fgk kernels, and [(config, why)] skipped."""
    paths = {}
    with open(paths_file) as f:
        for line in f:
            fields = line.split(None, 3)
            if len(fields) == 4:
                paths[tuple(fields[:3])] = fields[3].strip()
    found, skipped = [], []
    for c, label, how in CONFIGS:
        vml = paths.get((c, "fgk", "vmlinux"), "")
        fmap = paths.get((c, "fgk", "map"), "")
        if vml and fmap and os.path.exists(vml) and os.path.exists(fmap):
            found.append((c, vml, fmap))
            continue
        why = f"its fgk kernel is not built ({vml or 'no path'}; {how})"
        print(f"bench-{part}: {label}: skipped: {why}", flush=True)
        skipped.append((c, why))
    return found, skipped


def run(cmd):
    """Run a command, its output going to ours (progress); stop on failure."""
    print("  $ " + " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True)


def output_of(cmd):
    """A command's first line of output (a tool's version), or "" if it cannot run."""
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, check=False).stdout
    except OSError:
        return ""
    return out.strip().split("\n")[0]


def image_relocs(fmap):
    """The kernel's vmlinux.relocs beside a map that leaves its relocations to it, or None."""
    with open(fmap, "rb") as f:
        head = f.read(52)
    flags = int.from_bytes(head[48:52], "little") if len(head) == 52 else 0
    return os.path.join(os.path.dirname(fmap), "vmlinux.relocs") if flags & 0x2 else None


def harness_cmd(args, mode, config, vmlinux, fmap, out, info, seeds):
    relocs = image_relocs(fmap)
    return [args.harness, "--mode", mode, "--config", config, "--vmlinux", vmlinux,
            "--map", fmap, "--info", info, "--seeds", str(seeds),
            "--base-delta", str(args.base_delta)] + (["--out", out] if out else []) + \
        (["--relocs", relocs] if relocs else [])


def read_info(path):
    """fgk-bench's key,value file as an ordered dict."""
    return {r["key"]: r["value"] for r in benchlib.read_csv(path)}


def skipped_md(skipped):
    """Markdown lines naming the configs that were not measured."""
    return "".join(f"- {LABEL[c]}: not measured, {why}.\n" for c, why in skipped)


def plural(n, word):
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def mib(n):
    return f"{int(n) / 2**20:.2f} MiB"


def kernel_md(info):
    """One bullet line describing a kernel and its map."""
    tables = ", ".join(f"{k[6:]} {int(v):,}" for k, v in info.items() if k.startswith("table:"))
    return (f"{int(info['units']):,} units ({mib(info['unit_bytes'])}) in "
            f"{plural(int(info['regions']), 'region')} ({mib(info['region_bytes'])}), "
            f"{int(info['xrefs']):,} xrefs, tables: {tables or 'none'}, "
            f"{int(info['syms']):,} kallsyms, {int(info['relocs']):,} base relocations; "
            f"image {mib(info['image_bytes'])}, map {mib(info['map_bytes'])}, "
            f"scratch {mib(info['scratch_bytes'])}")


def reproduce_md(target, settings):
    """How to run the part again, with its settings and their values."""
    s = " ".join(f"{k}={v}" for k, v in settings.items())
    return f"Reproduce: `make {target}` (settings: `{s}`).\n"
