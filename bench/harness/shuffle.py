#!/usr/bin/python3
"""shuffle.py: make bench-shuffle: run fgk-bench --mode time on each kernel, write shuffle.{csv,md,svg} and shuffle.target.csv."""
# Samples: ns per seed of map open, the shuffle and each of its phases and
# tables, and the floor (copy of the movable bytes + one read of the map),
# from one process per config with shuffle and floor samples interleaved.

import os

import harnesslib as hl
from harnesslib import benchlib

GOAL = 2.0  # the target: the shuffle within 2x of the copy floor
# Map open (the checks the boot runs) as a share of map open + shuffle.
OPEN_GOAL = 0.10
# (label, raw names summed per seed, indent); "tables" rows are added per table.
ROWS = [
    ("map open (fgk_map_open)", ["map_open"], 0),
    ("permute and copy", ["plan", "move"], 0),
    ("plan: permutation, layout", ["plan"], 1),
    ("move: copy the units", ["move"], 1),
    ("references (xrefs)", ["xrefs"], 0),
    ("tables", ["tables"], 0),
    ("kallsyms", ["symtab"], 0),
    ("base relocations", ["relocs"], 0),
    ("**shuffle total** (fgk_shuffle)", ["shuffle"], 0),
    ("**floor**", ["floor"], 0),
    ("read the map once", ["floor_read"], 1),
    ("copy the movable bytes (memcpy)", ["floor_copy"], 1),
    ("rewrite each reference field once", ["floor_fields"], 1),
    ("copy each re-sorted table once (memcpy)", ["floor_tables"], 1),
    ("copy the kallsyms arrays once (memcpy)", ["floor_kallsyms"], 1),
    ("rewrite each base relocation once", ["floor_relocs"], 1),
    ("old floor: copy + map read", ["floor_old"], 0),
]
# Each phase against its own share of the floor: (label, phase names, floor names).
SHARES = [("map open / map read", ["map_open"], ["floor_read"]),
          ("move / copy", ["plan", "move"], ["floor_copy"]),
          ("references / field rewrite", ["xrefs"], ["floor_fields"]),
          ("tables / table copy", ["tables"], ["floor_tables"]),
          ("kallsyms / array copy", ["symtab"], ["floor_kallsyms"]),
          ("base relocations / field rewrite", ["relocs"], ["floor_relocs"])]
# Stacked bar segments of the plot: (label, raw names).
SEGMENTS = [("permute and copy", ["plan", "move"]), ("references", ["xrefs"]),
            ("tables", ["tables"]), ("kallsyms", ["symtab"]),
            ("base relocations", ["relocs"])]


def by_seed(rows):
    """{(config, what): {seed: ns}}"""
    out = {}
    for r in rows:
        out.setdefault((r["config"], r["what"]), {})[int(r["seed"])] = float(r["ns"])
    return out


def summed(samples, config, names):
    """Per-seed sums of the named samples, in ms (seeds that have all of them)."""
    parts = [samples.get((config, n), {}) for n in names]
    seeds = set(parts[0]).intersection(*parts[1:]) if parts else set()
    return [sum(p[s] for p in parts) / 1e6 for s in sorted(seeds)]


def fmt_ms(v):
    return f"{v:.1f}" if v >= 10 else f"{v:.2f}" if v >= 0.1 else f"{v:.3f}"


def cell(values):
    if not values:
        return "–"
    s = benchlib.stats(values)
    return f"{fmt_ms(s['median'])} [{fmt_ms(s['q1'])}–{fmt_ms(s['q3'])}]"


def table_rows(infos):
    """ROWS with one indented row per table (names from the first kernel that has it)."""
    names = []
    for info in infos.values():
        for k in info:
            if k.startswith("table:") and k[6:] not in names:
                names.append(k[6:])
    rows = []
    for label, raw, indent in ROWS:
        rows.append((label, raw, indent))
        if raw == ["tables"]:
            rows += [(f"table {n}", ["table:" + n], 1) for n in names]
    return rows


def phase_table(samples, configs, infos):
    header = ["ms: median [q1–q3]"] + [hl.LABEL[c] for c in configs]
    rows = []
    for label, raw, indent in table_rows(infos):
        rows.append([("&nbsp;&nbsp;" * 2 * indent) + label] +
                    [cell(summed(samples, c, raw)) for c in configs])
    return benchlib.md_table(header, rows)


def share_table(samples, configs):
    """Each phase's median against the median of its own part of the floor."""
    rows = []
    for label, phase, part in SHARES:
        cells = []
        for c in configs:
            p = benchlib.stats(summed(samples, c, phase))["median"] if summed(samples, c, phase) else 0
            f = benchlib.stats(summed(samples, c, part))["median"] if summed(samples, c, part) else 0
            cells.append(f"{p / f:.1f}x" if f else "–")
        rows.append([label] + cells)
    return benchlib.md_table(["phase / its floor"] + [hl.LABEL[c] for c in configs], rows)


def dominant(samples, config):
    """The largest phase of the shuffle: (label, median ms, share of the total)."""
    total = benchlib.stats(summed(samples, config, ["shuffle"]))["median"]
    best = max(SEGMENTS, key=lambda s: benchlib.stats(summed(samples, config, s[1]))["median"])
    med = benchlib.stats(summed(samples, config, best[1]))["median"]
    return best[0], med, med / total


def verdict(samples, config):
    """The ratio line of one config, its target row, and what dominates if it misses."""
    shuffle = summed(samples, config, ["shuffle"])
    floor = summed(samples, config, ["floor"])
    with_open = summed(samples, config, ["shuffle", "map_open"])
    r, lo, hi = benchlib.ratio(with_open, floor)
    rs, slo, shi = benchlib.ratio(shuffle, floor)
    ro, _, _ = benchlib.ratio(with_open, summed(samples, config, ["floor_old"]))
    opened = benchlib.stats(summed(samples, config, ["map_open"]))["median"]
    total = benchlib.stats(with_open)["median"]
    met = r <= GOAL
    label = hl.LABEL[config]
    text = (f"- {label}: **(map open + shuffle) / floor = {r:.2f}x** (95% bootstrap interval "
            f"{lo:.2f}–{hi:.2f}), goal <= {GOAL:.1f}x: {'met' if met else 'missed'}. The "
            f"shuffle alone: {rs:.2f}x ({slo:.2f}–{shi:.2f}); map open is "
            f"{opened / total * 100:.0f}% of the total (goal <= {OPEN_GOAL * 100:.0f}%). Against the old floor "
            f"(copy + map read): {ro:.1f}x.\n")
    if not met:
        name, med, share = dominant(samples, config)
        move = benchlib.stats(summed(samples, config, ["move"]))["median"]
        copy = benchlib.stats(summed(samples, config, ["floor_copy"]))["median"]
        text += (f"  It misses by {r - GOAL:.2f}x ({(r / GOAL - 1) * 100:.0f}% over the goal); "
                 f"the largest phase is {name}: {fmt_ms(med)} ms, {share * 100:.0f}% of the "
                 f"shuffle. Moving the units alone takes {move / copy:.1f}x the floor's memcpy "
                 "(each region is copied aside with `rep movsb` and each unit back, gaps "
                 "filled with int3).\n")
    share = opened / total
    targets = [{"target": f"map open + shuffle vs floor ({label})", "goal": f"<= {GOAL:.1f}x",
                "measured": f"{r:.2f}x (95% CI {lo:.2f}-{hi:.2f})", "met": "yes" if met else "no"},
               {"target": f"map open, share of map open + shuffle ({label})",
                "goal": f"<= {OPEN_GOAL * 100:.0f}%",
                "measured": f"{share * 100:.1f}% ({fmt_ms(opened)} ms)",
                "met": "yes" if share <= OPEN_GOAL else "no"}]
    return text, targets


def plot_phases(samples, configs, path):
    fig, _ = benchlib.figure(7.5, 1.9 * len(configs) + 0.8)
    fig.clf()
    colors = ["tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple"]
    for i, c in enumerate(configs):
        ax = fig.add_subplot(len(configs), 1, i + 1)
        left = 0.0
        for (name, raw), col in zip(SEGMENTS, colors):
            v = benchlib.stats(summed(samples, c, raw))["median"]
            ax.barh("shuffle", v, left=left, color=col, label=name if i == 0 else None)
            left += v
        left = 0.0
        for name, raw, col in [("floor: copy", ["floor_copy"], "0.45"),
                               ("floor: fields", ["floor_fields"], "0.55"),
                               ("floor: tables", ["floor_tables"], "0.65"),
                               ("floor: kallsyms", ["floor_kallsyms"], "0.75"),
                               ("floor: relocs", ["floor_relocs"], "0.82"),
                               ("floor: map read", ["floor_read"], "0.9")]:
            v = benchlib.stats(summed(samples, c, raw))["median"]
            ax.barh("floor", v, left=left, color=col, label=name if i == 0 else None)
            left += v
        v = benchlib.stats(summed(samples, c, ["map_open"]))["median"]
        ax.barh("map open", v, color="tab:cyan", label="map open" if i == 0 else None)
        ax.set_title(hl.LABEL[c], fontsize=10)
        ax.set_xlabel("ms (median per phase)")
        ax.invert_yaxis()
        if i == 0:
            ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    benchlib.save(fig, path)


def plot_seeds(samples, configs, path):
    fig, _ = benchlib.figure(7.5, 2.3 * len(configs) + 0.5)
    fig.clf()
    for i, c in enumerate(configs):
        ax = fig.add_subplot(len(configs), 1, i + 1)
        for what, col in [("shuffle", "tab:blue"), ("floor", "0.4"), ("map_open", "tab:cyan")]:
            d = samples.get((c, what), {})
            seeds = sorted(d)
            ax.plot(seeds, [d[s] / 1e6 for s in seeds], ".", color=col, label=what.replace("_", " "))
        ax.set_title(hl.LABEL[c], fontsize=10)
        ax.set_xlabel("seed")
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_ylabel("ms")
        ax.set_ylim(bottom=0)
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    benchlib.save(fig, path)


def measure(args, found):
    """Run the harness per kernel; the merged rows and each kernel's info."""
    os.makedirs(args.work, exist_ok=True)
    rows, infos = [], {}
    for c, vml, fmap in found:
        print(f"bench-shuffle: {hl.LABEL[c]}: {args.seeds} seeds", flush=True)
        out = os.path.join(args.work, c + ".csv")
        info = os.path.join(args.work, c + ".info.csv")
        hl.run(hl.harness_cmd(args, "time", c, vml, fmap, out, info, args.seeds))
        rows += benchlib.read_csv(out)
        infos[c] = hl.read_info(info)
    return rows, infos


def main():
    args = hl.arg_parser(__doc__).parse_args()
    found, skipped = hl.kernels(args.paths, "shuffle")
    rows, infos = measure(args, found)
    configs = [c for c, _, _ in found]
    out = args.out
    benchlib.write_csv(os.path.join(out, "shuffle.csv"), ["config", "seed", "what", "ns"], rows)
    samples = by_seed(rows)
    md = ["## Shuffle cost\n\n",
          "The runtime (optimised host build, `-O2`, no sanitizers: the C the decompressor "
          "runs) shuffles each fgk kernel's vmlinux, loaded as the decompressor sees it "
          "(PT_LOADs by physical address), with the kernel's own map. Per seed: "
          "`fgk_map_open`, then `fgk_shuffle` with a base delta of "
          f"{args.base_delta} (so base relocations are applied), timed with "
          "`CLOCK_MONOTONIC` at every phase and table callback. Beside each shuffle, in "
          "alternating order, the **floor**, the least any shuffler of this image must do: "
          "one read pass over the map (64-bit sums), `memcpy` of the bytes that may move (the "
          "units) into another buffer, one read-modify-write of each reference field and of "
          "each base relocation field (from site lists made before timing), and a `memcpy` of "
          "each re-sorted table (with its parallel array) and of the kallsyms arrays. The old "
          "floor, the copy and the map read alone, is reported beside it. The image is restored from a saved copy before each sample "
          "(not timed); 2 warm-up rounds come first. "
          f"Seeds 1..{args.seeds}.\n\n",
          hl.reproduce_md("bench-shuffle", {"BENCH_SHUFFLE_SEEDS": args.seeds,
                                            "BENCH_BASE_DELTA": args.base_delta}), "\n"]
    for c in configs:
        md.append(f"- {hl.LABEL[c]} ({hl.HOW[c]}): {hl.kernel_md(infos[c])}.\n")
    md.append(hl.skipped_md(skipped))
    targets = []
    if configs:
        md += ["\n", phase_table(samples, configs, infos), "\n",
               "Each phase against its own part of the floor (medians):\n\n",
               share_table(samples, configs), "\n"]
        for c in configs:
            text, target = verdict(samples, c)
            md.append(text)
            targets += target
        plot_phases(samples, configs, os.path.join(out, "shuffle.svg"))
        plot_seeds(samples, configs, os.path.join(out, "shuffle-seeds.svg"))
        md.append("\n![median time per phase against the floor](shuffle.svg)\n\n"
                  "![every seed: shuffle, floor and map open](shuffle-seeds.svg)\n")
    targets += [{"target": f"map open + shuffle vs floor ({hl.LABEL[c]})", "goal": f"<= {GOAL:.1f}x",
                 "measured": "not measured (kernel not built)", "met": "–"} for c, _ in skipped]
    md += ["\nMachine:\n\n", benchlib.md_machine(), "\n"]
    with open(os.path.join(out, "shuffle.md"), "w") as f:
        f.write("".join(md))
    benchlib.write_csv(os.path.join(out, "shuffle.target.csv"),
                       ["target", "goal", "measured", "met"], targets)
    print("bench-shuffle: " + os.path.join(out, "shuffle.md"))
    for t in targets:
        print(f"  {t['target']}: {t['measured']} (goal {t['goal']}): {t['met']}")


if __name__ == "__main__":
    main()
