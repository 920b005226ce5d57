"""qemu.py: boot a kernel in QEMU (TCG) and timestamp its serial console on the host, for bench-boot and bench-hackbench."""
# The guest's own clock starts late (after the firmware, the decompressor
# and the shuffle); the host sees the whole boot. Each console line gets
# the host time, from QEMU's start, at which its first and its last byte
# arrived (the decompressor prints "Decompressing Linux... Parsing ELF...
# done." in pieces).

import os
import random
import re
import selectors
import signal
import subprocess
import time

# A crash or a warning makes the boot invalid (as kernel/test/boot).
CRASH = re.compile(r"Kernel panic|BUG: |Oops|general protection fault|WARNING:|"
                   r"Call Trace:|invalid opcode")
SHUFFLED = re.compile(r"fgkaslr: shuffled (\d+) functions \(([\d.]+) MiB\) in ([\d.]+) (ms|TSC cycles)")


def host_tsc_khz():
    """The host's TSC frequency in kHz, or 0 if unknown.

    Under TCG the guest's TSC is the host's (QEMU reads it with rdtsc), so
    tsc_early_khz=<this> gives the guest the right frequency; without it the
    guest calibrates against the emulated PIT, which fails at random under
    TCG and leaves the guest on the jiffies clock (4 ms steps, runs slow).
    tsc=reliable: no clocksource watchdog, whose reference (jiffies, which
    lose ticks under TCG on a loaded host) marks the TSC unstable at random.
    """
    try:
        log = subprocess.run(["dmesg"], capture_output=True, text=True, check=False).stdout
    except OSError:
        log = ""
    for rx in (r"Refined TSC clocksource calibration: ([\d.]+) MHz", r"tsc: Detected ([\d.]+) MHz"):
        m = re.search(rx, log)
        if m:
            return int(float(m.group(1)) * 1000)
    try:
        with open("/proc/cpuinfo") as f:
            info = f.read()
    except OSError:
        return 0
    m = re.search(r"cpu MHz\s*:\s*([\d.]+)", info)
    if m and re.search(r"\bconstant_tsc\b", info) and re.search(r"\btsc_known_freq\b", info):
        return int(float(m.group(1)) * 1000)
    return 0


def tsc_append(append, khz):
    """(append + tsc_early_khz= tsc=reliable, kHz): khz 'auto' (host_tsc_khz), a number, 0 (none)."""
    khz = host_tsc_khz() if khz == "auto" else int(khz or 0)
    return (f"{append} tsc_early_khz={khz} tsc=reliable" if khz > 0 else append), khz


def kernel_paths(path):
    """{flavour: {kind: path}} from a saved `make -s kernel-paths` output."""
    out = {}
    with open(path) as f:
        for line in f:
            w = line.split()
            if len(w) == 3:
                out.setdefault(w[0], {})[w[1]] = w[2]
    return out


def built(paths):
    """Whether both flavours are fully built (kernel.mk's stamp and bzImage)."""
    for fl in ("base", "fgk"):
        p = paths.get(fl, {})
        if not (os.path.exists(p.get("bzImage", "/nonexistent"))
                and os.path.exists(os.path.join(p.get("builddir", "/nonexistent"), ".fgk-built"))):
            return False
    return True


def command(kernel, initrd, append, smp=2, mem=512):
    """The QEMU command line: TCG, -cpu max, serial console on stdout, exit on reboot.

    One socket per CPU: SeaBIOS's MP table lists one CPU per socket, and the
    test config has no ACPI, so with a plain "-smp N" it would see one CPU.
    """
    return ["qemu-system-x86_64", "-accel", "tcg", "-cpu", "max", "-m", str(mem),
            "-smp", f"{smp},sockets={smp},cores=1,threads=1",
            "-nographic", "-no-reboot", "-monitor", "none",
            "-serial", "stdio", "-kernel", kernel, "-initrd", initrd, "-append", append]


class Boot:
    """One boot: lines [(t_first, t_last, text)], exit time, status."""

    def __init__(self, cmd, timeout, log=None, tsc_khz=0):
        self.cmd = cmd
        self.tsc_khz = tsc_khz
        self.lines = []
        self.timed_out = False
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, start_new_session=True)
        fd = p.stdout.fileno()
        sel = selectors.DefaultSelector()
        sel.register(fd, selectors.EVENT_READ)
        part, part_t = b"", None
        while True:
            left = t0 + timeout - time.monotonic()
            if left <= 0 or not sel.select(left):
                self.timed_out = True
                os.killpg(p.pid, signal.SIGKILL)
                break
            chunk = os.read(fd, 65536)
            t = time.monotonic() - t0
            if not chunk:
                break
            if part_t is None:
                part_t = t
            part += chunk
            while b"\n" in part:
                line, part = part.split(b"\n", 1)
                self.lines.append((part_t, t, line.decode("utf-8", "replace").replace("\r", "")))
                part_t = t if part else None
        if part:
            self.lines.append((part_t, time.monotonic() - t0,
                               part.decode("utf-8", "replace").replace("\r", "")))
        sel.close()
        self.rc = p.wait()
        self.total = time.monotonic() - t0
        p.stdout.close()
        self.log = log
        if log:
            with open(log, "w") as f:
                f.write("# " + " ".join(cmd) + "\n")
                for a, b, text in self.lines:
                    f.write(f"{a:9.3f} {b:9.3f} {text}\n")
                f.write(f"# exit {self.rc} after {self.total:.3f} s"
                        f"{' (timeout)' if self.timed_out else ''}\n")

    def find(self, pattern):
        """First (t_first, t_last, match) whose text matches the regex, or None."""
        rx = re.compile(pattern)
        for a, b, text in self.lines:
            m = rx.search(text)
            if m:
                return a, b, m
        return None

    def problem(self):
        """Why this boot does not count ('' if it does)."""
        if self.timed_out:
            return "timeout"
        for _, _, text in self.lines:
            if CRASH.search(text):
                rip = self.find(r"RIP: \S+:(\S+)")
                return ("crash: " + text.strip()[:80]
                        + (f", RIP {rip[2].group(1)}" if rip else ""))
        if not self.find(r"^BENCH-END"):
            return f"no BENCH-END (qemu exit {self.rc})"
        return ""

    def keep(self, work):
        """Copy the log of a failed boot to WORK/failed/ (the logs directory is emptied per run)."""
        if not self.log:
            return ""
        d = os.path.join(work, "failed")
        os.makedirs(d, exist_ok=True)
        dest = os.path.join(d, time.strftime("%Y%m%d-%H%M%S-") + os.path.basename(self.log))
        with open(self.log) as src, open(dest, "w") as out:
            out.write(src.read())
        return dest

    def common(self):
        """The measurements every bench boot has: dict of strings."""
        r = {}
        m = self.find(r"BENCH-INIT uptime=([\d.]+)")
        r["wall_to_init_s"] = f"{m[0]:.3f}" if m else ""
        r["uptime_at_init_s"] = m[2].group(1) if m else ""
        # decompressor, on the host clock: first byte of its first message to
        # the first of "Booting the kernel" (gunzip, ELF, shuffle, relocations)
        d0 = self.find(r"Decompressing Linux")
        d1 = self.find(r"Booting the kernel")
        r["wall_decompressor_s"] = f"{d1[0] - d0[0]:.3f}" if d0 and d1 else ""
        r["wall_to_kernel_s"] = f"{d1[0]:.3f}" if d1 else ""
        m = self.find(r"BENCH-DMESG (fgkaslr: .*)") or self.find(r"^\[[^]]*\] *(fgkaslr: .*)")
        line = m[2].group(1).strip() if m else ""
        s = SHUFFLED.search(line)
        r["fgkaslr_line"] = line
        r["functions"] = s.group(1) if s else ""
        r["shuffle_ms"] = ""
        if s and s.group(4) == "ms":
            r["shuffle_ms"] = s.group(3)
        elif s and self.tsc_khz:  # no TSC frequency in the guest: cycles of the host's TSC
            r["shuffle_ms"] = f"{float(s.group(3)) / self.tsc_khz:.2f}"
        # the decompressor's "fgkaslr: shuffling... done.", on the host clock
        m = self.find(r"^fgkaslr: shuffling")
        r["wall_shuffle_ms"] = f"{1000 * (m[1] - m[0]):.0f}" if m and "done" in m[2].string else ""
        r["clocksource"] = ""
        for _, _, text in self.lines:
            c = re.search(r"clocksource: Switched to clocksource (\S+)", text)
            if c:
                r["clocksource"] = c.group(1)
        m = self.find(r"smp: Brought up \d+ nodes?, (\d+) CPU")
        r["cpus"] = m[2].group(1) if m else ""
        r["total_s"] = f"{self.total:.3f}"
        return r


# flavour: (kernel-paths flavour, extra kernel parameters). fgk-off is the
# fgk kernel in link order (nofgkaslr): the same image without the shuffle,
# a control that tells the shuffle and the layout from the rest of what
# CONFIG_FG_KASLR=y changes (image size, code generation).
FLAVOURS = {"base": ("base", ""), "fgk": ("fgk", ""), "fgk-off": ("fgk", "nofgkaslr")}


def flavour_cmd(paths, flavour, initrd, append, smp, mem):
    """The QEMU command line of a flavour (FLAVOURS)."""
    kernel, extra = FLAVOURS[flavour]
    return command(paths[kernel]["bzImage"], initrd, f"{append} {extra}".rstrip(), smp, mem)


def plan(groups, rng_seed):
    """Interleaved order: each group (base, fgk[, fgk-off]) in a random order of its own.

    groups: list of tuples; returns [(item, position in its group)].
    """
    rng = random.Random(rng_seed)
    out = []
    for g in groups:
        g = list(g)
        rng.shuffle(g)
        out += [(item, pos) for pos, item in enumerate(g)]
    return out
