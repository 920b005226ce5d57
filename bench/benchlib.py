"""benchlib.py: shared helpers of the bench parts: statistics, CSV, machine info, markdown and plots."""
# Every part's report script does: rows = read_csv(...), summarise with
# stats()/ratio(), write <part>.md with md_table() and a plot with figure().
# Only the Python standard library, matplotlib and scipy (Debian packages).

import csv
import os
import platform
import random
import statistics
import subprocess

import matplotlib

matplotlib.use("Agg")  # no display: files only
import matplotlib.pyplot as plt  # noqa: E402


def read_csv(path):
    """Rows of a CSV file with a header line, as dicts of strings."""
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def write_csv(path, fields, rows):
    """Write dict rows under a header of `fields`."""
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        for r in rows:
            w.writerow(r)


def stats(values):
    """Median and spread of a sample: n, median, q1, q3, min, max."""
    v = sorted(float(x) for x in values)
    if not v:
        return {"n": 0, "median": float("nan"), "q1": float("nan"),
                "q3": float("nan"), "min": float("nan"), "max": float("nan")}
    q = statistics.quantiles(v, n=4, method="inclusive") if len(v) > 1 else [v[0]] * 3
    return {"n": len(v), "median": statistics.median(v), "q1": q[0], "q3": q[2],
            "min": v[0], "max": v[-1]}


def ratio(num, den, rounds=2000, seed=1):
    """Ratio of medians num/den and a 95% bootstrap interval.

    Samples from one run, side by side: the ratio cancels most of the
    machine's speed; the interval says how much of it is noise.
    """
    num = [float(x) for x in num]
    den = [float(x) for x in den]
    r = statistics.median(num) / statistics.median(den)
    rng = random.Random(seed)
    boot = []
    for _ in range(rounds):
        a = [rng.choice(num) for _ in num]
        b = [rng.choice(den) for _ in den]
        boot.append(statistics.median(a) / statistics.median(b))
    boot.sort()
    return r, boot[int(0.025 * rounds)], boot[int(0.975 * rounds) - 1]


def _run(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True,
                              check=False).stdout.strip()
    except OSError:
        return ""


def machine():
    """Where the numbers come from: a dict of short strings."""
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    rev = _run(["git", "rev-parse", "--short", "HEAD"])
    if _run(["git", "status", "--porcelain", "--untracked-files=no"]):
        rev += "-dirty"
    return {
        "cpu": cpu,
        "cpus": str(os.cpu_count()),
        "host kernel": platform.release(),
        "gcc": _run(["gcc", "-dumpfullversion"]),
        "qemu": _run(["qemu-system-x86_64", "--version"]).split("\n")[0],
        "git": rev,
        "date": _run(["date", "-u", "+%Y-%m-%d %H:%M UTC"]),
    }


def md_table(header, rows):
    """A markdown table: header is a list of strings, rows lists of cells."""
    out = ["| " + " | ".join(header) + " |",
           "|" + "|".join("---" for _ in header) + "|"]
    for r in rows:
        out.append("| " + " | ".join(str(c) for c in r) + " |")
    return "\n".join(out) + "\n"


def md_machine(extra=None):
    """The machine (and extra key/values) as a markdown bullet list."""
    m = machine()
    if extra:
        m.update(extra)
    return "".join(f"- {k}: {v}\n" for k, v in m.items())


def figure(width=7.0, height=4.0):
    """A new figure and axes of the usual size."""
    return plt.subplots(figsize=(width, height))


def save(fig, path):
    """Write the figure as SVG (path ends in .svg) and close it."""
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
