#!/usr/bin/python3
"""callgrind.py: make bench-callgrind: fgk-bench --mode callgrind under valgrind per kernel, write callgrind.{csv,md,svg}."""
# fgk-bench asks callgrind for a dump at every phase and table boundary
# (CALLGRIND_DUMP_STATS_AT, labelled "fgkbench CONFIG SEED WHAT"), so each
# dump's summary is the instruction count (Ir) of one stretch: no
# inlining or sampling error, and no noise from the machine.

import glob
import os
import shutil

import harnesslib as hl
from harnesslib import benchlib

IGNORED = {"restore"}  # the harness's own stretches (loading, restoring the image)
# (label, raw stretches summed; "table:*" is every table), indent
ROWS = [
    ("map open (fgk_map_open)", ["map_open"], 0),
    ("permute and copy", ["plan", "move"], 0),
    ("plan: permutation, layout", ["plan"], 1),
    ("move: copy the units", ["move"], 1),
    ("references (xrefs)", ["xrefs"], 0),
    ("tables", ["tables", "table:*"], 0),
    ("kallsyms", ["symtab"], 0),
    ("base relocations", ["relocs"], 0),
    ("**shuffle total** (fgk_shuffle)", ["enter", "plan", "xrefs", "move", "tables", "table:*",
                                         "symtab", "relocs", "exit"], 0),
    ("**floor**", ["floor_read", "floor_copy", "floor_fields", "floor_tables", "floor_kallsyms",
                   "floor_relocs"], 0),
    ("read the map once", ["floor_read"], 1),
    ("copy the movable bytes (memcpy)", ["floor_copy"], 1),
    ("rewrite each reference field once", ["floor_fields"], 1),
    ("copy each re-sorted table once (memcpy)", ["floor_tables"], 1),
    ("copy the kallsyms arrays once (memcpy)", ["floor_kallsyms"], 1),
    ("rewrite each base relocation once", ["floor_relocs"], 1),
    ("old floor: copy + map read", ["floor_copy", "floor_read"], 0),
]
SHUFFLE = ROWS[8][1]
FLOOR = ROWS[9][1]


def read_dump(path):
    """(config, seed, what, Ir) of one callgrind dump, or None."""
    desc, ir = None, None
    with open(path, errors="replace") as f:
        for line in f:
            if line.startswith("desc: Trigger: Client Request: fgkbench "):
                desc = line.split("fgkbench ", 1)[1].split()
            elif line.startswith("summary:"):
                ir = int(line.split()[1])
                break
    if not desc or ir is None or len(desc) != 3:
        return None
    return desc[0], int(desc[1]), desc[2], ir


def collect(dump_dir):
    """{(config, seed, what): Ir} summed over the dumps of each stretch."""
    counts = {}
    for p in glob.glob(os.path.join(dump_dir, "cg.out.*")):
        d = read_dump(p)
        if d and d[2] not in IGNORED:
            key = d[:3]
            counts[key] = counts.get(key, 0) + d[3]
    return counts


def total(counts, config, seed, names):
    s = 0
    for (c, sd, what), ir in counts.items():
        if c != config or sd != seed:
            continue
        if what in names or ("table:*" in names and what.startswith("table:")):
            s += ir
    return s


def seeds_of(counts, config):
    return sorted({sd for (c, sd, _) in counts if c == config})


def table_names(info):
    """The map's tables in map order, as stretch names."""
    return [k for k in info if k.startswith("table:")]


def config_table(counts, config, info):
    seeds = seeds_of(counts, config)
    rows = []
    for label, names, indent in ROWS:
        rows.append([("&nbsp;&nbsp;" * 2 * indent) + label] +
                    [f"{total(counts, config, s, names) / 1e6:.2f}" for s in seeds])
        if label == "tables":
            for t in table_names(info):
                rows.append(["&nbsp;" * 4 + "table " + t[6:]] +
                            [f"{total(counts, config, s, [t]) / 1e6:.2f}" for s in seeds])
    rows.append(["Ir shuffle / floor"] +
                [f"{total(counts, config, s, SHUFFLE) / total(counts, config, s, FLOOR):.2f}x"
                 for s in seeds])
    return benchlib.md_table([f"M instructions, {hl.LABEL[config]}"] +
                             [f"seed {s}" for s in seeds], rows)


def plot(counts, configs, path):
    segs = [("permute and copy", ["plan", "move"]), ("references", ["xrefs"]),
            ("tables", ["tables", "table:*"]), ("kallsyms", ["symtab"]),
            ("base relocations", ["relocs"])]
    colors = ["tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple"]
    fig, _ = benchlib.figure(7.5, 1.9 * len(configs) + 0.8)
    fig.clf()
    for i, c in enumerate(configs):
        ax = fig.add_subplot(len(configs), 1, i + 1)
        s = seeds_of(counts, c)[0]
        left = 0.0
        for (name, names), col in zip(segs, colors):
            v = total(counts, c, s, names) / 1e6
            ax.barh("shuffle", v, left=left, color=col, label=name if i == 0 else None)
            left += v
        left = 0.0
        for name, names, col in [("floor: copy", ["floor_copy"], "0.45"),
                                 ("floor: fields", ["floor_fields"], "0.55"),
                                 ("floor: tables", ["floor_tables"], "0.65"),
                                 ("floor: kallsyms", ["floor_kallsyms"], "0.75"),
                                 ("floor: relocs", ["floor_relocs"], "0.82"),
                                 ("floor: map read", ["floor_read"], "0.9")]:
            v = total(counts, c, s, names) / 1e6
            ax.barh("floor", v, left=left, color=col, label=name if i == 0 else None)
            left += v
        ax.barh("map open", total(counts, c, s, ["map_open"]) / 1e6, color="tab:cyan",
                label="map open" if i == 0 else None)
        ax.set_title(f"{hl.LABEL[c]} (seed {s})", fontsize=10)
        ax.set_xlabel("million instructions (Ir)")
        ax.invert_yaxis()
        if i == 0:
            ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    benchlib.save(fig, path)


def measure(args, found):
    counts, infos = {}, {}
    for c, vml, fmap in found:
        d = os.path.join(args.work, c)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        print(f"bench-callgrind: {hl.LABEL[c]}: {args.seeds} seeds under callgrind", flush=True)
        info = os.path.join(d, "info.csv")
        hl.run(["valgrind", "-q", "--tool=callgrind", "--dump-instr=no",
                "--callgrind-out-file=" + os.path.join(d, "cg.out.%p")] +
               hl.harness_cmd(args, "callgrind", c, vml, fmap, None, info, args.seeds))
        counts.update(collect(d))
        infos[c] = hl.read_info(info)
    return counts, infos


def main():
    args = hl.arg_parser(__doc__).parse_args()
    found, skipped = hl.kernels(args.paths, "callgrind")
    counts, infos = measure(args, found)
    configs = [c for c, _, _ in found]
    out = args.out
    rows = [{"config": c, "seed": s, "what": w, "Ir": ir}
            for (c, s, w), ir in sorted(counts.items(), key=lambda kv: (kv[0][0], kv[0][1]))]
    benchlib.write_csv(os.path.join(out, "callgrind.csv"), ["config", "seed", "what", "Ir"], rows)
    md = ["## Instruction counts (callgrind)\n\n",
          "The same harness and kernels as the shuffle cost, under `valgrind --tool=callgrind`: "
          "the harness asks for a callgrind dump at every phase and table callback, so each "
          "figure is the exact number of instructions executed (Ir) in that stretch, free of "
          "timing noise (not of cache or branch effects: those it does not count). "
          f"Seeds 1..{args.seeds}, base delta {args.base_delta}. Per seed, so that what "
          "depends on the permutation shows.\n\n",
          hl.reproduce_md("bench-callgrind", {"BENCH_CALLGRIND_SEEDS": args.seeds,
                                              "BENCH_BASE_DELTA": args.base_delta}), "\n"]
    for c in configs:
        md.append(f"- {hl.LABEL[c]} ({hl.HOW[c]}): {hl.kernel_md(infos[c])}.\n")
    md.append(hl.skipped_md(skipped))
    for c in configs:
        md += ["\n", config_table(counts, c, infos[c])]
        irs = [total(counts, c, s, SHUFFLE) for s in seeds_of(counts, c)]
        if len(irs) > 1 and max(irs) - min(irs) <= 0.001 * min(irs):
            md.append(f"\nThe shuffle's count differs between seeds by {max(irs) - min(irs):,} "
                      "instructions at most: the work of each phase hardly depends on the "
                      "permutation.\n")
    if configs:
        plot(counts, configs, os.path.join(out, "callgrind.svg"))
        md.append("\nThe floor's `memcpy` is libc's vector code: few instructions per byte, "
                  "so the Ir ratio is larger than the time ratio of the shuffle cost.\n\n"
                  "![instructions per phase against the floor](callgrind.svg)\n")
    md += ["\nMachine:\n\n", benchlib.md_machine({"valgrind": hl.output_of(["valgrind", "--version"])}), "\n"]
    with open(os.path.join(out, "callgrind.md"), "w") as f:
        f.write("".join(md))
    print("bench-callgrind: " + os.path.join(out, "callgrind.md"))
    for c in configs:
        s = seeds_of(counts, c)
        if s:
            r = total(counts, c, s[0], SHUFFLE) / total(counts, c, s[0], FLOOR)
            print(f"  {hl.LABEL[c]}: shuffle {total(counts, c, s[0], SHUFFLE) / 1e6:.1f} M Ir, "
                  f"floor {total(counts, c, s[0], FLOOR) / 1e6:.1f} M Ir ({r:.1f}x), seed {s[0]}")


if __name__ == "__main__":
    main()
