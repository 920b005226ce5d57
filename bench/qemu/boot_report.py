#!/usr/bin/python3
"""boot_report.py: boot.md, boot-<config>.svg and boot.target.csv from boot.csv (bench-boot)."""
# usage: boot_report.py OUT SETTINGS.json   (boot.py calls report() itself)

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.dirname(HERE)]
import benchlib  # noqa: E402
import qemu_report as qr  # noqa: E402

# (column, label, unit scale, unit)
METRICS = [
    ("wall_to_init_s", "host: QEMU start to /init", 1, "s"),
    ("uptime_at_init_s", "guest: /proc/uptime at /init", 1, "s"),
    ("wall_to_kernel_s", "host: QEMU start to \"Booting the kernel\"", 1, "s"),
    ("wall_decompressor_s", "host: decompressor (first message to \"Booting the kernel\")", 1, "s"),
    ("wall_shuffle_ms", "host: the decompressor's \"fgkaslr: shuffling... done.\"", 1, "ms"),
    ("shuffle_ms", "kernel: fgkaslr shuffle (TSC, from the dmesg line)", 1, "ms"),
    ("total_s", "host: QEMU start to exit", 1, "s"),
]
GOAL = 1.01


def med(values):
    return benchlib.stats(values)["median"]


def section(out, cfg, rows, targets):
    """The markdown of one config; appends its target row."""
    name = cfg["name"]
    ok = [r for r in rows if r["config"] == name and r["warmup"] == "0" and r["status"] == "ok"]
    bad = [r for r in rows if r["config"] == name and r["status"] != "ok"]
    by = {f: [r for r in ok if r["flavour"] == f] for f in ("base", "fgk", "fgk-off")}
    base, fgk, off = by["base"], by["fgk"], by["fgk-off"]
    text = [f"### {name} config\n\n",
            f"{len(base)} base, {len(fgk)} fgk" + (f" and {len(off)} fgk-off" if off else "")
            + f" boots counted ({cfg['boots']} each asked, after a discarded warm-up group); "
            f"kernels `{cfg['base']}`, `{cfg['fgk']}`.\n"]
    if bad:
        text.append(f"{len(bad)} boot(s) failed and are left out: "
                    + "; ".join(f"{r['flavour']} run {r['run']}: {r['status']}" for r in bad) + ".\n")
    text.append("\n")
    if not base or not fgk:
        text.append("Not enough boots to compare.\n\n")
        return "".join(text)
    header = ["median [q1–q3]", "base", "fgk"] + (["fgk-off"] if off else []) + \
        ["fgk − base", "fgk/base [95% CI]"] + (["fgk-off/base [95% CI]"] if off else [])
    table = []
    for col, label, _, unit in METRICS:
        b, f, o = qr.col(base, col), qr.col(fgk, col), qr.col(off, col)
        if not f:
            continue
        cells = [label, qr.fmt_stats(b, unit) if b else "-", qr.fmt_stats(f, unit)]
        if off:
            cells.append(qr.fmt_stats(o, unit) if o else "-")
        if b:
            cells += [f"{med(f) - med(b):+.3f} {unit}", qr.fmt_ratio(*benchlib.ratio(f, b))]
        else:  # the shuffle: fgk only
            cells += ["-", "-"]
        if off:
            cells.append(qr.fmt_ratio(*benchlib.ratio(o, b)) if o and b else "-")
        table.append(cells)
    text.append(benchlib.md_table(header, table))
    text.append("\n")

    b, f = qr.col(base, "wall_to_init_s"), qr.col(fgk, "wall_to_init_s")
    r, lo, hi = benchlib.ratio(f, b)
    diff = med(f) - med(b)
    sh = qr.col(fgk, "shuffle_ms")
    shuffle = med(sh) / 1000 if sh else float("nan")
    bd, fd = qr.col(base, "wall_decompressor_s"), qr.col(fgk, "wall_decompressor_s")
    ddiff = (med(fd) - med(bd)) if bd and fd else float("nan")
    fn = fgk[0]["functions"]
    met = qr.met(r, lo, hi, GOAL)
    targets.append({"target": f"boot time to /init ({name} config)", "goal": "<= +1%",
                    "measured": qr.fmt_pct(r, lo, hi), "met": met})
    text.append(f"Time to /init: fgk/base = {qr.fmt_ratio(r, lo, hi)}, a difference of "
                f"{diff * 1000:+.0f} ms (medians) on {med(b):.2f} s. "
                f"The decompressor's own clock puts the shuffle of {fn} functions at "
                f"{shuffle * 1000:.0f} ms (median)")
    if diff > 0:
        text.append(f", {100 * shuffle / diff:.0f}% of that difference")
    text.append(f"; on the host clock the decompressor takes {ddiff * 1000:+.0f} ms more with fgk "
                f"(shuffle, plus a larger image to load and gunzip, plus the base relocations "
                f"it applies itself).")
    o = qr.col(off, "wall_to_init_s")
    if o:
        od = qr.col(off, "wall_decompressor_s")
        text.append(f" The control, the fgk kernel booted with `nofgkaslr` (the same image in link "
                    f"order), takes {1000 * (med(o) - med(b)):+.0f} ms against base to /init "
                    f"({1000 * (med(od) - med(bd)):+.0f} ms in the decompressor): what FG_KASLR=y costs "
                    f"without the shuffle (a larger image, the build). fgk against fgk-off: "
                    f"{1000 * (med(f) - med(o)):+.0f} ms, the shuffle and the new layout.")
    text.append("\n\n")
    if met.startswith("no"):
        text.append(qr.boot_miss(name, r, diff, shuffle, ddiff, b))
    elif met != "yes":
        text.append(f"Not shown either way ({name} config): the interval "
                    f"{qr.fmt_pct(r, lo, hi)} spans +1%; more boots (`BENCH_BOOTS`) narrow it.\n\n")
    text.append(qr.guest_note(base + fgk + off))
    svg = f"boot-{name}.svg"
    plot(os.path.join(out, svg), name, by)
    text.append(f"![boot times, {name} config]({svg})\n\n")
    return "".join(text)


def plot(path, name, by):
    """Box and strip plots per flavour: host time to /init, decompressor, guest uptime."""
    panels = [("wall_to_init_s", "host: start to /init (s)"),
              ("wall_decompressor_s", "host: decompressor (s)"),
              ("uptime_at_init_s", "guest: uptime at /init (s)")]
    flavours = [f for f in ("base", "fgk", "fgk-off") if by.get(f)]
    fig, axes = benchlib.figure(10, 3.8)
    fig.delaxes(axes)
    for i, (col, label) in enumerate(panels):
        ax = fig.add_subplot(1, len(panels), i + 1)
        qr.boxstrip(ax, [qr.col(by[f], col) for f in flavours], flavours)
        ax.set_title(label, fontsize=9)
    fig.suptitle(f"boot under QEMU TCG, {name} config (each dot one boot)", fontsize=10)
    benchlib.save(fig, path)


def report(out, settings):
    path = os.path.join(out, "boot.csv")
    rows = benchlib.read_csv(path) if os.path.exists(path) else []
    targets = []
    text = ["## Boot time\n\n",
            "QEMU boots of the plain-KASLR kernel (`base`, FG_KASLR=n) and the fgkaslr kernel "
            "(`fgk`, a random layout every boot: no `fgkaslr.seed=`) and, as a control, the fgk "
            "kernel with `nofgkaslr` (`fgk-off`: link order, no shuffle), in groups (one boot of "
            "each) whose order is drawn at random (`order`, `group_pos` in boot.csv), same QEMU "
            "command line (fgk-off adds `nofgkaslr`), "
            "same initramfs: busybox and a `/init` (bench/qemu/init-boot.sh) that prints a marker "
            "with `/proc/uptime` at once, the `fgkaslr:` line, and reboots (QEMU exits). "
            "The host timestamps every serial console line as it arrives: the time to `/init` "
            "covers QEMU's start, the firmware, the decompressor and its shuffle, which the "
            "guest's own clock (`/proc/uptime`) does not see.\n\n",
            "TCG emulates the CPU (about 10x slower than the host for the shuffle: compare bench-shuffle): absolute "
            "times are not those of a real machine, and the shuffle is a larger share of the "
            "boot here than on hardware, where the kernel's own boot is I/O- and "
            "firmware-bound.\n\n",
            f"- settings: {settings['make']}\n",
            f"- QEMU: `{settings['command']}`\n",
            f"- this part took {settings.get('elapsed_min', '?')} min\n",
            f"- kernel command line: `{settings['append']}`\n"]
    qr.write_part(out, "boot", text, settings, section, rows, targets)


if __name__ == "__main__":
    with open(sys.argv[2]) as fh:
        report(sys.argv[1], json.load(fh))
