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


def section(out, cfg, rows, targets):
    """The markdown of one config; appends its target row."""
    name = cfg["name"]
    ok = [r for r in rows if r["config"] == name and r["warmup"] == "0" and r["status"] == "ok"]
    bad = [r for r in rows if r["config"] == name and r["status"] != "ok"]
    base = [r for r in ok if r["flavour"] == "base"]
    fgk = [r for r in ok if r["flavour"] == "fgk"]
    text = [f"### {name} config\n\n",
            f"{len(base)} base and {len(fgk)} fgk boots counted ({cfg['boots']} each asked, "
            f"after a discarded warm-up pair); kernels `{cfg['base']}`, `{cfg['fgk']}`.\n"]
    if bad:
        text.append(f"{len(bad)} boot(s) failed and are left out: "
                    + "; ".join(f"{r['flavour']} run {r['run']}: {r['status']}" for r in bad) + ".\n")
    text.append("\n")
    if not base or not fgk:
        text.append("Not enough boots to compare.\n\n")
        return "".join(text)
    table = []
    for col, label, _, unit in METRICS:
        b = qr.col(base, col)
        f = qr.col(fgk, col)
        if not f:
            continue
        if not b:  # the shuffle: fgk only
            table.append([label, "-", qr.fmt_stats(f, unit), "-", "-"])
            continue
        r, lo, hi = benchlib.ratio(f, b)
        diff = benchlib.stats(f)["median"] - benchlib.stats(b)["median"]
        table.append([label, qr.fmt_stats(b, unit), qr.fmt_stats(f, unit),
                      f"{diff:+.3f} {unit}", qr.fmt_ratio(r, lo, hi)])
    text.append(benchlib.md_table(["median [q1–q3]", "base", "fgk", "fgk − base", "fgk/base [95% CI]"],
                                  table))
    text.append("\n")

    b, f = qr.col(base, "wall_to_init_s"), qr.col(fgk, "wall_to_init_s")
    r, lo, hi = benchlib.ratio(f, b)
    diff = benchlib.stats(f)["median"] - benchlib.stats(b)["median"]
    sh = qr.col(fgk, "shuffle_ms")
    shuffle = benchlib.stats(sh)["median"] / 1000 if sh else float("nan")
    bd, fd = qr.col(base, "wall_decompressor_s"), qr.col(fgk, "wall_decompressor_s")
    ddiff = (benchlib.stats(fd)["median"] - benchlib.stats(bd)["median"]) if bd and fd else float("nan")
    fn = fgk[0]["functions"]
    met = qr.met(r, lo, hi, GOAL)
    targets.append({"target": f"boot time to /init ({name} config)", "goal": "<= +1%",
                    "measured": qr.fmt_pct(r, lo, hi), "met": met})
    text.append(f"Time to /init: fgk/base = {qr.fmt_ratio(r, lo, hi)}, a difference of "
                f"{diff * 1000:+.0f} ms (medians) on {benchlib.stats(b)['median']:.2f} s. "
                f"The decompressor's own clock puts the shuffle of {fn} functions at "
                f"{shuffle * 1000:.0f} ms (median)")
    if diff > 0:
        text.append(f", {100 * shuffle / diff:.0f}% of that difference")
    text.append(f"; on the host clock the decompressor takes {ddiff * 1000:+.0f} ms more with fgk "
                f"(shuffle, plus a larger image to load and gunzip, plus the base relocations "
                f"it applies itself).\n\n")
    if met.startswith("no"):
        text.append(qr.boot_miss(name, r, diff, shuffle, ddiff, b))
    elif met != "yes":
        text.append(f"Not shown either way ({name} config): the interval "
                    f"{qr.fmt_pct(r, lo, hi)} spans +1%; more boots (`BENCH_BOOTS`) narrow it.\n\n")
    text.append(qr.guest_note(base + fgk))
    svg = f"boot-{name}.svg"
    plot(os.path.join(out, svg), name, base, fgk)
    text.append(f"![boot times, {name} config]({svg})\n\n")
    return "".join(text)


def plot(path, name, base, fgk):
    """Box and strip plots per flavour: host time to /init, decompressor, guest uptime."""
    panels = [("wall_to_init_s", "host: start to /init (s)"),
              ("wall_decompressor_s", "host: decompressor (s)"),
              ("uptime_at_init_s", "guest: uptime at /init (s)")]
    fig, axes = benchlib.figure(10, 3.8)
    fig.delaxes(axes)
    for i, (col, label) in enumerate(panels):
        ax = fig.add_subplot(1, len(panels), i + 1)
        qr.boxstrip(ax, [qr.col(base, col), qr.col(fgk, col)], ["base", "fgk"])
        ax.set_title(label, fontsize=9)
    fig.suptitle(f"boot under QEMU TCG, {name} config (each dot one boot)", fontsize=10)
    benchlib.save(fig, path)


def report(out, settings):
    path = os.path.join(out, "boot.csv")
    rows = benchlib.read_csv(path) if os.path.exists(path) else []
    targets = []
    text = ["## Boot time\n\n",
            "QEMU boots of the plain-KASLR kernel (`base`, FG_KASLR=n) and the fgkaslr kernel "
            "(`fgk`, a random layout every boot: no `fgkaslr.seed=`), in pairs whose order is "
            "drawn at random (recorded in `order`, `pair_pos` of boot.csv), same QEMU command line, "
            "same initramfs: busybox and a `/init` (bench/qemu/init-boot.sh) that prints a marker "
            "with `/proc/uptime` at once, the `fgkaslr:` line, and reboots (QEMU exits). "
            "The host timestamps every serial console line as it arrives: the time to `/init` "
            "covers QEMU's start, the firmware, the decompressor and its shuffle, which the "
            "guest's own clock (`/proc/uptime`) does not see.\n\n",
            "TCG emulates the CPU (about 20x slower than hardware for the shuffle): absolute "
            "times are not those of a real machine, and the shuffle is a larger share of the "
            "boot here than on hardware, where the kernel's own boot is I/O- and "
            "firmware-bound.\n\n",
            f"- settings: {settings['make']}\n",
            f"- QEMU: `{settings['command']}`\n",
            f"- this part took {settings.get('elapsed_min', '?')} min\n",
            f"- kernel command line: `{settings['append']}`\n"]
    text.append(benchlib.md_machine())
    text.append("\n")
    for cfg in settings["configs"]:
        text.append(section(out, cfg, rows, targets))
    for name, why in settings["skipped"].items():
        text.append(f"### {name} config\n\nSkipped: {why}. Build them with "
                    f"`make bench-kernel-defconfig`, then run `make bench-boot` again.\n\n")
    with open(os.path.join(out, "boot.md"), "w") as f:
        f.write("".join(text).rstrip() + "\n")
    benchlib.write_csv(os.path.join(out, "boot.target.csv"),
                       ["target", "goal", "measured", "met"], targets)
    print(f"bench-boot: {out}/boot.md, boot.csv, boot.target.csv")


if __name__ == "__main__":
    with open(sys.argv[2]) as fh:
        report(sys.argv[1], json.load(fh))
