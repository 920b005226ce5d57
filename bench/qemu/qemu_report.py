"""qemu_report.py: formatting and plot helpers shared by boot_report.py and hackbench_report.py."""

import os

import benchlib


def col(rows, name):
    """The non-empty values of one column, as floats."""
    return [float(r[name]) for r in rows if r.get(name, "") not in ("", "none")]


def fmt_stats(values, unit=""):
    """'median [q1–q3] unit' (n values)."""
    s = benchlib.stats(values)
    d = 1 if unit == "ms" else 3
    return f"{s['median']:.{d}f} [{s['q1']:.{d}f}–{s['q3']:.{d}f}] {unit}".rstrip()


def fmt_ratio(r, lo, hi):
    return f"{r:.3f} [{lo:.3f}–{hi:.3f}]"


def fmt_pct(r, lo, hi):
    """A ratio as a change in percent with its interval: '+3.2% [+1.0%, +5.0%]'."""
    return f"{100 * (r - 1):+.1f}% [{100 * (lo - 1):+.1f}%, {100 * (hi - 1):+.1f}%]"


def met(r, lo, hi, goal):
    """yes: the whole interval within the goal; no: all of it above; else unclear."""
    if hi <= goal:
        return "yes"
    if lo > goal:
        return "no"
    return "unclear (CI spans the goal)" if r <= goal else "no (CI spans the goal)"


def boxstrip(ax, samples, labels):
    """A box plot per sample with its points jittered on top."""
    ax.boxplot(samples, labels=labels, widths=0.5, showfliers=False)
    for i, v in enumerate(samples):
        n = len(v)
        xs = [i + 1 + (0.24 * (2 * k / (n - 1) - 1) if n > 1 else 0) for k in range(n)]
        ax.plot(xs, v, "o", alpha=0.6, markersize=3.5)
    ax.grid(axis="y", alpha=0.3)


def guest_note(rows):
    """What the guests ran on, per boot: CPUs brought up and the last clocksource (markdown)."""
    boots = {}
    for r in rows:  # bench-boot: a row per boot; bench-hackbench: a row per run
        boots[(r["config"], r["flavour"], r.get("boot", r.get("order")))] = r

    def counts(key):
        c = {}
        for r in boots.values():
            c[r.get(key) or "?"] = c.get(r.get(key) or "?", 0) + 1
        return ", ".join(f"{k} in {v}" for k, v in sorted(c.items()))
    return (f"Guest CPUs brought up: {counts('cpus')} boots; clocksource at the end of the "
            f"boot: {counts('clocksource')} boots.\n\n")


def boot_miss(name, r, diff, shuffle, ddiff, base):
    """Why the boot target is missed, and what would close it (markdown paragraph)."""
    bmed = benchlib.stats(base)["median"]
    budget = 0.01 * bmed
    rest = ddiff - shuffle
    after = diff - ddiff
    return (f"**Target missed** ({name} config): fgk takes {100 * (r - 1):+.1f}% against a goal "
            f"of +1%, {100 * (r - 1.01):.1f} points over. Of the {diff * 1000:+.0f} ms, the shuffle "
            f"accounts for {shuffle * 1000:.0f} ms, the rest of the decompressor for "
            f"{rest * 1000:+.0f} ms (larger image to load and gunzip, relocations), and the time "
            f"after it (the kernel's own boot, noise included) for {after * 1000:+.0f} ms. "
            f"1% of this boot is {budget * 1000:.0f} ms. TCG runs the shuffle about 10x slower "
            f"than hardware (bench-shuffle times the same code natively) and emulates the rest "
            f"of the boot at other rates, so this share says little about a real machine, "
            f"whose firmware and devices take seconds. To meet +1% under TCG, the "
            f"decompressor's extra work would have to fall to about {budget * 1000:.0f} ms: "
            f"a faster shuffle (bench-shuffle shows its gap to the copy floor) and a smaller "
            f"image to load and decompress (bench-size).\n\n")


def write_part(out, part, text, settings, section, rows, targets):
    """Finish <part>.md (machine, a section per config, the skipped ones), write it and
    <part>.target.csv."""
    text.append(benchlib.md_machine())
    text.append("\n")
    for cfg in settings["configs"]:
        text.append(section(out, cfg, rows, targets))
    for name, why in settings["skipped"].items():
        text.append(f"### {name} config\n\nSkipped: {why}. Build them with "
                    f"`make bench-kernel-defconfig`, then run `make bench-{part}` again.\n\n")
    with open(os.path.join(out, f"{part}.md"), "w") as f:
        f.write("".join(text).rstrip() + "\n")
    benchlib.write_csv(os.path.join(out, f"{part}.target.csv"),
                       ["target", "goal", "measured", "met"], targets)
    print(f"bench-{part}: {out}/{part}.md, {part}.csv, {part}.target.csv")
