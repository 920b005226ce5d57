#!/usr/bin/python3
"""entropy.py: make bench-entropy: what moves, what stays and why, and how uniformly functions land; entropy.{csv,md,svg}."""
# fgk-bench --mode entropy shuffles each kernel with many seeds and writes,
# per seed, the units and bytes moved, the summed displacement (bytes and
# places), and the new index of a few tracked units of the largest region;
# its info file adds the region's old-bucket x new-bucket landing counts.
# The fixed parts of .text come from the GNU ld map (vmlinux.map) beside
# the vmlinux: every input section and fill of .text outside the regions.

import math
import os
import subprocess

from scipy import stats as sps

import harnesslib as hl
from harnesslib import benchlib

# Why the parts of .text outside every region stay put: kernel/fgkaslr.conf
# (keep .head.text; fixed __noinstr_text_start _etext; keep .text..__x86.*)
# and kernel/NOTES-6.12.md. Matched by input-section name prefix.
WHY = [
    (".head.text", "startup_64: the ELF entry point and `_text` (`keep .head.text`)"),
    (".noinstr.text", "noinstr code, tested by address (`fixed __noinstr_text_start _etext`)"),
    (".cpuidle.text", "cpuidle code, tested by address (in the noinstr range)"),
    (".ref.text", "placed after the slack by the linker script, so inside the fixed range"),
    (".sched.text", "scheduler functions, tested by address (`__sched_text_start/_end`)"),
    (".spinlock.text", "lock functions, tested by address (`__lock_text_start/_end`)"),
    (".kprobes.text", "kprobes refuse this address range"),
    (".softirqentry.text", "softirq entry, tested by address"),
    (".text..__x86.", "retpoline and return thunks: the SRSO aliases need fixed addresses, "
                      "linker-script ASSERTs check them (`keep .text..__x86.*`)"),
    (".static_call.text", "static call trampolines (`__static_call_text_start/_end`)"),
    (".entry.text", "entry code: mapped into the user page tables with PTI"),
    ("*fill*", "alignment fill (int3), not code: the 2 MiB alignments of the PTI entry "
               "text and the SRSO alias, and `ALIGN` statements"),
]


def why(name):
    for prefix, text in WHY:
        if name.startswith(prefix):
            return text
    return "outside every region of the map (kernel/fgkaslr.conf)"


def is_hex(s):
    try:
        int(s, 16)
        return s.startswith("0x")
    except ValueError:
        return False


def ldmap_text(path):
    """(address of .text, [(input section or *fill*, address, size)]) from a GNU ld -Map file."""
    base, entries, pending, inside = None, [], None, False
    with open(path, errors="replace") as f:
        for line in f:
            fields = line.split()
            if not line.startswith(" "):
                if inside and line.strip():
                    break
                inside = bool(fields) and fields[0] == ".text"
                if inside and len(fields) > 1 and is_hex(fields[1]):
                    base = int(fields[1], 16)
                continue
            if not inside or not fields:
                continue
            if pending and len(fields) >= 2 and is_hex(fields[0]) and is_hex(fields[1]):
                entries.append((pending, int(fields[0], 16), int(fields[1], 16)))
            elif fields[0] == "*fill*" and len(fields) >= 3:
                entries.append(("*fill*", int(fields[1], 16), int(fields[2], 16)))
            elif fields[0].startswith(".") and len(fields) >= 3 and is_hex(fields[1]) and is_hex(fields[2]):
                entries.append((fields[0], int(fields[1], 16), int(fields[2], 16)))
            pending = fields[0] if len(fields) == 1 and fields[0].startswith(".") else None
    return base, entries


def regions_of(info):
    """[(start, end, nr_units)] image offsets."""
    out = []
    for k, v in info.items():
        if k.startswith("region:"):
            s, e, n = (int(x) for x in v.split())
            out.append((s, e, n))
    return out


def overlap(a0, a1, regions):
    return sum(max(0, min(a1, e) - max(a0, s)) for s, e, _ in regions)


def text_layout(info, ldmap):
    """Bytes of .text by kind and the fixed input sections (name -> bytes), or None without a map."""
    if not os.path.exists(ldmap):
        return None
    base, entries = ldmap_text(ldmap)
    if base is None:
        return None
    text_off = int(info["text_offset"])
    regions = regions_of(info)
    fixed, fill_out, code = {}, 0, 0
    for name, addr, size in entries:
        off = addr - base + text_off
        outside = size - overlap(off, off + size, regions)
        if name != "*fill*":
            code += size
        if not outside:
            continue
        if name == "*fill*":
            fill_out += outside
        else:
            key = ".text..__x86.*" if name.startswith(".text..__x86.") else name
            fixed[key] = fixed.get(key, 0) + outside
    return {"fixed": fixed, "fill": fill_out, "code": code}


def other_exec_sections(vmlinux):
    """[(name, bytes)] of executable sections other than .text (not in the map)."""
    out = subprocess.run(["readelf", "-SW", vmlinux], capture_output=True, text=True).stdout
    secs = []
    for line in out.splitlines():
        line = line.replace("[ ", "[")
        f = line.split()
        if len(f) > 7 and f[0].startswith("[") and f[1] != ".text" and "X" in f[7] and "A" in f[7]:
            secs.append((f[1], int(f[5], 16)))
    return secs


def kib(n):
    return f"{n / 1024:,.1f} KiB"


def pct(a, b):
    return f"{100.0 * a / b:.1f}%" if b else "–"


def per_seed(rows, config, what):
    return [float(r["value"]) for r in rows if r["config"] == config and r["what"] == what]


def bucket_sizes(n, bins):
    sizes = [0] * bins
    for k in range(n):
        sizes[k * bins // n] += 1
    return sizes


def tracked_units(info):
    """[(k, local index, size, align, name)]"""
    out = []
    for key, v in info.items():
        if key.startswith("track:"):
            idx, size, align, name = v.split(" ", 3)
            out.append((int(key[6:]), int(idx), int(size), int(align), name))
    return out


def landing_tests(rows, config, info):
    """Chi-square of each tracked unit's landing bucket, and of every old bucket's row."""
    n, bins = int(info["landing_units"]), int(info["bins"])
    sizes = bucket_sizes(n, bins)
    tracked = []
    for k, idx, size, align, name in tracked_units(info):
        land = per_seed(rows, config, f"land:{k}")
        obs = [0] * bins
        for v in land:
            obs[int(v) * bins // n] += 1
        exp = [len(land) * s / n for s in sizes]
        chi, p = sps.chisquare(obs, exp)
        tracked.append({"name": name, "index": idx, "size": size, "align": align,
                        "obs": obs, "exp": exp, "chi2": chi, "p": p})
    matrix = [[0] * bins for _ in range(bins)]
    for key, v in info.items():
        if key.startswith("matrix:"):
            _, i, j = key.split(":")
            matrix[int(i)][int(j)] = int(v)
    chi_total, df = 0.0, 0
    rows_p = []
    for i in range(bins):
        tot = sum(matrix[i])
        exp = [tot * s / n for s in sizes]
        chi, p = sps.chisquare(matrix[i], exp)
        rows_p.append(p)
        chi_total += chi
        df += bins - 1
    return tracked, matrix, sizes, rows_p, chi_total, df, sps.chi2.sf(chi_total, df)


def log2_factorial(n):
    return math.lgamma(n + 1) / math.log(2)


def config_md(c, rows, info, layout, others, seeds):
    n_units = int(info["units"])
    text = int(info["text_bytes"])
    unit_bytes, region_bytes = int(info["unit_bytes"]), int(info["region_bytes"])
    moved = per_seed(rows, c, "units_moved")
    bmoved = per_seed(rows, c, "bytes_moved")
    disp_b = [v / n_units for v in per_seed(rows, c, "disp_bytes_sum")]
    disp_p = [v / n_units for v in per_seed(rows, c, "disp_places_sum")]
    regions = regions_of(info)
    exp_disp = sum((n * n - 1) / 3.0 for _, _, n in regions if n) / max(1, n_units)
    bits = sum(log2_factorial(n) for _, _, n in regions)
    largest = max(n for _, _, n in regions) if regions else 0
    m = lambda v: benchlib.stats(v)["median"]  # noqa: E731
    md = [f"### {hl.LABEL[c]}\n\n",
          f"{hl.kernel_md(info)}.\n\n",
          "| per seed (median over seeds) | value |\n|---|---|\n",
          f"| units (functions) that move | {m(moved):,.0f} of {n_units:,} ({pct(m(moved), n_units)}) |\n",
          f"| bytes that move | {kib(m(bmoved))} of {kib(unit_bytes)} in units |\n",
          f"| ... of the `.text` section ({kib(text)}) | {pct(m(bmoved), text)} |\n"]
    if layout:
        md.append(f"| ... of the code in `.text` ({kib(layout['code'])}, fill excluded) | "
                  f"{pct(m(bmoved), layout['code'])} |\n")
    md += [f"| mean displacement of a unit | {kib(m(disp_b))} |\n",
           f"| mean displacement in places (new index - old) | {m(disp_p):,.0f} "
           f"(a uniform permutation: {exp_disp:,.0f}) |\n\n"]
    md.append(f"Layouts: log2(n!) = {bits:,.0f} bits over "
              f"{hl.plural(len(regions), 'region')}; at boot the order comes from ChaCha20 "
              f"keyed with 256 bits (four `kaslr_get_random_long()` calls), so at most 2^256 "
              f"layouts are reachable, and the positions of a few leaked functions do not "
              f"give away the generator's state (these runs use `fgkaslr.seed=`-style 64-bit "
              f"seeds, which are repeatable and not random). "
              f"A leaked function address says little about another function: its index "
              f"in the new order is uniform over the {largest:,} units of the largest "
              f"region, log2({largest:,}) = {math.log2(max(largest, 1)):.1f} bits.\n\n")
    if layout:
        fixed_total = sum(layout["fixed"].values())
        md.append(f"`.text` ({kib(text)}): units {kib(unit_bytes)} ({pct(unit_bytes, text)}), "
                  f"region padding and slack (int3 after a shuffle) {kib(region_bytes - unit_bytes)} "
                  f"({pct(region_bytes - unit_bytes, text)}), fixed code {kib(fixed_total)} "
                  f"({pct(fixed_total, text)}), fill outside the regions {kib(layout['fill'])} "
                  f"({pct(layout['fill'], text)}). The fixed ranges:\n\n")
        trows = [[f"`{name}`", f"{size:,}", why(name)]
                 for name, size in sorted(layout["fixed"].items(), key=lambda kv: -kv[1])]
        trows.append(["fill outside the regions", f"{layout['fill']:,}", why("*fill*")])
        md.append(benchlib.md_table(["input section", "bytes", "why it stays"], trows))
    else:
        md.append("(No `vmlinux.map` beside the vmlinux: the fixed ranges are not broken down.)\n")
    if others:
        md.append("\nOther executable sections, not in the map (never shuffled): " +
                  ", ".join(f"`{n}` {kib(s)}" for n, s in others) +
                  " (`.init.text` is freed after boot).\n")
    tracked, _, _, rows_p, chi, df, p_all = landing_tests(rows, c, info)
    md.append(f"\nUniformity: where units of the largest region ({int(info['landing_units']):,} "
              f"units) land, by new index in {info['bins']} equal buckets over {seeds} seeds, "
              "against uniform (chi-square):\n\n")
    trows = [[f"`{t['name']}`", f"{t['index']:,}", f"{t['size']:,}", t["align"],
              f"{t['chi2']:.1f}", f"{t['p']:.3f}"] for t in tracked]
    md.append(benchlib.md_table(["unit", "link-order index", "bytes", "align", "chi2",
                                 "p"], trows))
    md.append(f"\nAll units, by old bucket (where a unit starts) against new bucket: "
              f"chi2 = {chi:,.1f} with {df} degrees of freedom, p = {p_all:.3f}; per old "
              f"bucket p from {min(rows_p):.3f} to {max(rows_p):.3f} (within a seed the counts "
              "are not independent: a permutation fills every new bucket exactly, which "
              "makes this test a little conservative). A uniform shuffle gives p-values "
              "spread evenly over 0..1: among several tests, one below 0.05 now and then "
              "is expected.\n\n")
    return "".join(md)


def plot_landing(rows, infos, configs, path):
    fig, _ = benchlib.figure(7.5, 2.6 * len(configs) + 0.3)
    fig.clf()
    for i, c in enumerate(configs):
        ax = fig.add_subplot(len(configs), 1, i + 1)
        tracked = landing_tests(rows, c, infos[c])[0]
        bins = len(tracked[0]["obs"]) if tracked else 0
        for t in tracked:
            ax.plot(range(bins), t["obs"], "o-", ms=3, lw=0.8, label=f"{t['index']}: {t['name'][:26]}")
        if tracked:
            ax.plot(range(bins), tracked[0]["exp"], "k--", lw=1.2, label="uniform")
        ax.set_title(f"{hl.LABEL[c]}: landing bucket of tracked units", fontsize=10)
        ax.set_xlabel("new index bucket (0 = region start)")
        ax.set_ylabel("seeds")
        ax.set_ylim(bottom=0)
        ax.legend(fontsize=6, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    benchlib.save(fig, path)


def plot_matrix(infos, configs, rows, path):
    fig, _ = benchlib.figure(3.6 * len(configs) + 0.8, 3.4)
    fig.clf()
    for i, c in enumerate(configs):
        ax = fig.add_subplot(1, len(configs), i + 1)
        _, matrix, sizes, _, _, _, _ = landing_tests(rows, c, infos[c])
        n = sum(sizes)
        ratio = [[v / (sum(r) * sizes[j] / n) if sum(r) else 0 for j, v in enumerate(r)]
                 for r in matrix]
        im = ax.imshow(ratio, cmap="coolwarm", vmin=0.9, vmax=1.1, origin="lower")
        ax.set_title(hl.LABEL[c], fontsize=10)
        ax.set_xlabel("new bucket")
        ax.set_ylabel("old bucket")
        fig.colorbar(im, ax=ax, shrink=0.8, label="observed / expected")
    benchlib.save(fig, path)


def measure(args, found):
    os.makedirs(args.work, exist_ok=True)
    rows, infos = [], {}
    for c, vml, fmap in found:
        print(f"bench-entropy: {hl.LABEL[c]}: {args.seeds} seeds", flush=True)
        out = os.path.join(args.work, c + ".csv")
        info = os.path.join(args.work, c + ".info.csv")
        hl.run(hl.harness_cmd(args, "entropy", c, vml, fmap, out, info, args.seeds) +
               ["--bins", str(args.bins)])
        rows += benchlib.read_csv(out)
        infos[c] = hl.read_info(info)
    return rows, infos


def main():
    p = hl.arg_parser(__doc__)
    p.add_argument("--bins", type=int, default=10)
    args = p.parse_args()
    found, skipped = hl.kernels(args.paths, "entropy")
    rows, infos = measure(args, found)
    configs = [c for c, _, _ in found]
    out = args.out
    benchlib.write_csv(os.path.join(out, "entropy.csv"), ["config", "seed", "what", "value"], rows)
    md = ["## Entropy: what moves, what stays, where it lands\n\n",
          "Each fgk kernel is shuffled by the runtime (as in the shuffle cost) with "
          f"seeds 1..{args.seeds}; per seed the harness records which units (functions, "
          "or blocks that move as one) moved and by how much, and the new index of a few "
          "tracked units of the largest region (first, quartiles, last, largest, most "
          "aligned). The fixed ranges come from the kernel's GNU ld map (`vmlinux.map`): "
          "every input section and fill of `.text` outside the map's regions.\n\n",
          hl.reproduce_md("bench-entropy", {"BENCH_ENTROPY_SEEDS": args.seeds,
                                            "BENCH_ENTROPY_BINS": args.bins}), "\n",
          hl.skipped_md(skipped), "\n"]
    for c, vml, _ in found:
        ldmap = os.path.join(os.path.dirname(vml), "vmlinux.map")
        md.append(config_md(c, rows, infos[c], text_layout(infos[c], ldmap),
                            other_exec_sections(vml), args.seeds))
    if configs:
        plot_landing(rows, infos, configs, os.path.join(out, "entropy.svg"))
        plot_matrix(infos, configs, rows, os.path.join(out, "entropy-matrix.svg"))
        md.append("![landing buckets of the tracked units against uniform](entropy.svg)\n\n"
                  "![all units: observed / expected count, old bucket x new bucket]"
                  "(entropy-matrix.svg)\n")
    md += ["\nMachine:\n\n", benchlib.md_machine(), "\n"]
    with open(os.path.join(out, "entropy.md"), "w") as f:
        f.write("".join(md))
    print("bench-entropy: " + os.path.join(out, "entropy.md"))


if __name__ == "__main__":
    main()
