#!/usr/bin/python3
"""size.py: make bench-size: vmlinux, bzImage, init_size and the fgkaslr map against vmlinux.relocs, base vs fgk."""
# usage: size.py --out DIR [--make MAKE] NAME=BUILD [NAME=BUILD ...]
# For each kernel config NAME built in BUILD (make BUILD=... kernel), reads
# the files of out-base and out-fgk (make -s kernel-paths), compresses the
# parts of the payload again with the config's own compressor to split the
# bzImage growth into map / vmlinux / decompressor, weighs each section of
# the map (per section, per reference). Writes size.csv, size.md,
# size.svg and size.target.csv (bench/README.md).

import argparse
import os
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import benchlib  # noqa: E402
import mapfile  # noqa: E402  (bench/size/mapfile.py)

GOAL_PCT = 5.0  # the target: bzImage within 5 % of plain KASLR
CONFIG_TITLE = {
    "test": "test config (tinyconfig + kernel/config/fgkaslr-test.config)",
    "defconfig": "x86_64_defconfig",
    "test-clang": "test config built by clang 14 (GNU ld)",
}


def log(msg):
    print(f"bench-size: {msg}", flush=True)


# ---------------------------------------------------------------- files

def kernel_paths(make, build, clang=False):
    """{flavour: {bzImage, vmlinux, map, builddir}} from make -s kernel-paths
    (kernel-paths-clang for the clang kernels, whose flavours lose their prefix)."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS")}
    target = "kernel-paths-clang" if clang else "kernel-paths"
    out = subprocess.run(make.split() + ["-s", "--no-print-directory", f"BUILD={build}", target],
                         capture_output=True, text=True, check=True, env=env).stdout
    paths = {}
    for line in out.splitlines():
        f, key, path = line.split(None, 2)
        paths.setdefault(f.replace("clang-", "", 1), {})[key] = path
    return paths


def read(path):
    with open(path, "rb") as f:
        return f.read()


def fsize(path):
    return os.path.getsize(path) if os.path.exists(path) else None


def kconfig(builddir):
    """The .config as a dict CONFIG_FOO -> value string."""
    cfg = {}
    with open(os.path.join(builddir, ".config")) as f:
        for line in f:
            line = line.strip()
            if line.startswith("CONFIG_") and "=" in line:
                k, v = line.split("=", 1)
                cfg[k] = v.strip('"')
    return cfg


def elf_sections(path):
    """[(name, type, flags, size)] of a 64-bit little-endian ELF."""
    data = read(path)
    if data[:4] != b"\x7fELF" or data[4] != 2:
        raise ValueError(f"{path}: not ELF64")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3a)
    hdrs = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    stroff = hdrs[shstrndx][4]
    out = []
    for h in hdrs[1:]:
        name = data[stroff + h[0]:data.index(b"\0", stroff + h[0])].decode()
        out.append((name, h[1], h[2], h[5]))
    return out


SHT_NOBITS, SHF_ALLOC = 8, 2


def loaded_image(elf):
    """The ELF's PT_LOAD segments placed by physical address, as parse_elf() does."""
    phoff, = struct.unpack_from("<Q", elf, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", elf, 0x36)
    segs = []
    for i in range(phnum):
        p_type, _, off, _, paddr, filesz, memsz, _ = struct.unpack_from("<IIQQQQQQ", elf, phoff + i * phentsize)
        if p_type == 1:
            segs.append((paddr, off, filesz, memsz))
    base = min(s[0] for s in segs)
    img = bytearray(max(s[0] + s[3] for s in segs) - base)
    for paddr, off, filesz, _ in segs:
        img[paddr - base:paddr - base + filesz] = elf[off:off + filesz]
    return bytes(img)


def header_defines(path):
    """#define NAME 0x... lines of voffset.h / zoffset.h as a dict."""
    d = {}
    if not os.path.exists(path):
        return d
    with open(path) as f:
        for line in f:
            p = line.split()
            if len(p) >= 3 and p[0] == "#define":
                v = p[2]
                if v.startswith("_AC("):
                    v = v[4:].split(",")[0]
                try:
                    d[p[1]] = int(v, 0)
                except ValueError:
                    pass
    return d


def system_map(path):
    syms = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                p = line.split()
                if len(p) == 3:
                    syms[p[2]] = int(p[0], 16)
    return syms


def relocs_counts(path):
    """Entries of vmlinux.relocs: 0, ABS64 sites, 0, INV32 sites, 0, ABS32 sites (relocs.c)."""
    data = read(path)
    words = struct.unpack(f"<{len(data) // 4}I", data)
    lists, cur = [], None
    for w in words:
        if w == 0:
            if cur is not None:
                lists.append(cur)
            cur = []
        else:
            cur.append(w)
    lists.append(cur)
    return dict(zip(["ABS64", "INV32", "ABS32"], (len(x) for x in lists)))


# ---------------------------------------------------------------- compression

def compressor(cfg, srctree):
    """(name, argv, env) of the kernel's compressor (scripts/Makefile.lib) for this config."""
    if cfg.get("CONFIG_KERNEL_XZ") == "y":
        return ("xz (scripts/xz_wrap.sh)", ["sh", os.path.join(srctree, "scripts/xz_wrap.sh")],
                {"SRCARCH": "x86", "XZ": "xz"})
    table = [("CONFIG_KERNEL_GZIP", "gzip -n -9", ["gzip", "-n", "-f", "-9"]),
             ("CONFIG_KERNEL_BZIP2", "bzip2 -9", ["bzip2", "-9"]),
             ("CONFIG_KERNEL_LZMA", "lzma -9", ["lzma", "-9"]),
             ("CONFIG_KERNEL_LZO", "lzop -9", ["lzop", "-9"]),
             ("CONFIG_KERNEL_LZ4", "lz4 -l -9", ["lz4", "-l", "-9", "-", "-"]),
             ("CONFIG_KERNEL_ZSTD", "zstd -22 --ultra", ["zstd", "-22", "--ultra"])]
    for opt, name, argv in table:
        if cfg.get(opt) == "y":
            return (name, argv, {})
    return ("gzip -n -9 (no CONFIG_KERNEL_* found)", ["gzip", "-n", "-f", "-9"], {})


class Compress:
    """Compressed sizes with one compressor, cached by content."""

    def __init__(self, comp):
        self.name, self.argv, env = comp
        # All but gzip (whose stream ends with the length) get 4 bytes of
        # size_append after the stream (scripts/Makefile.lib, *_with_size).
        self.trailer = 0 if self.argv[0] == "gzip" else 4
        self.env = dict(os.environ, **env)
        self.cache = {}

    def __call__(self, data):
        key = (len(data), hash(data))
        if key not in self.cache:
            out = subprocess.run(self.argv, input=data, capture_output=True, env=self.env,
                                 check=True).stdout
            self.cache[key] = len(out)
        return self.cache[key]


# ---------------------------------------------------------------- one flavour

def flavour_sizes(paths):
    """Sizes of one flavour's build: a dict of item -> bytes (or None)."""
    b = paths["builddir"]
    comp_dir = os.path.join(b, "arch/x86/boot/compressed")
    s = {"vmlinux": fsize(os.path.join(b, "vmlinux")),
         "vmlinux.unstripped": fsize(os.path.join(b, "vmlinux.unstripped")),
         "bzImage": fsize(paths["bzImage"]),
         "vmlinux.bin": fsize(os.path.join(comp_dir, "vmlinux.bin")),
         "vmlinux.relocs": fsize(os.path.join(comp_dir, "vmlinux.relocs")),
         "map": fsize(os.path.join(comp_dir, "vmlinux.fgkmap"))}
    secs = elf_sections(os.path.join(b, "vmlinux"))
    s["sections"] = {n: size for n, t, fl, size in secs if fl & SHF_ALLOC}
    s[".text"] = s["sections"].get(".text", 0)
    syms = system_map(os.path.join(b, "System.map"))
    if "__noinstr_text_start" in syms:
        s["text before the fixed code"] = syms["__noinstr_text_start"] - syms["_text"]
    s["image (allocated sections)"] = sum(size for n, t, fl, size in secs
                                         if fl & SHF_ALLOC and t != SHT_NOBITS)
    bz = read(paths["bzImage"])
    if bz[0x202:0x206] != b"HdrS":
        raise ValueError(f"{paths['bzImage']}: no setup header")
    s["setup_sects"] = bz[0x1f1] or 4
    s["payload_offset"], s["payload (compressed)"] = struct.unpack_from("<II", bz, 0x248)
    s["init_size"], = struct.unpack_from("<I", bz, 0x260)
    zsecs = elf_sections(os.path.join(comp_dir, "vmlinux"))
    s["decompressor code+data"] = sum(size for n, t, fl, size in zsecs
                                      if fl & SHF_ALLOC and t != SHT_NOBITS
                                      and n != ".rodata..compressed")
    s["decompressor .bss"] = sum(size for n, t, fl, size in zsecs if fl & SHF_ALLOC and t == SHT_NOBITS)
    zo = header_defines(os.path.join(b, "arch/x86/boot/zoffset.h"))
    vo = header_defines(os.path.join(b, "arch/x86/boot/voffset.h"))
    s["payload (decompressed)"] = zo.get("ZO_z_output_len")
    if zo and vo:
        extra = (zo["ZO_z_output_len"] >> 8) + 131072  # arch/x86/boot/header.S
        if s["payload (decompressed)"] > zo["ZO_z_input_len"]:
            ext = zo["ZO_z_output_len"] + extra - zo["ZO_z_input_len"]
        else:
            ext = extra
        ext = max(ext, zo["ZO__ehead"] - zo["ZO_startup_32"])
        ext = (ext + 4095) & ~4095
        s["ZO_INIT_SIZE"] = zo["ZO__end"] - zo["ZO_startup_32"] + ext
        s["VO_INIT_SIZE"] = vo["VO__end"] - vo["VO__text"]
    sc = os.path.join(comp_dir, "vmlinux.fgkscratch")
    s["scratch"] = int(open(sc).read().strip()) if os.path.exists(sc) else None
    return s


def parts_of_payload(paths, s):
    """The decompressed payload's parts: vmlinux.bin, pad, map, vmlinux.relocs (0007)."""
    comp_dir = os.path.join(paths["builddir"], "arch/x86/boot/compressed")
    binb = read(os.path.join(comp_dir, "vmlinux.bin"))
    rel = read(os.path.join(comp_dir, "vmlinux.relocs"))
    mp = read(os.path.join(comp_dir, "vmlinux.fgkmap")) if s["map"] else b""
    pad = b"\0" * ((-len(binb)) % 8) if mp else b""
    return binb, pad, mp, rel


# ---------------------------------------------------------------- one config

def fmt(n):
    return "" if n is None else f"{n:,}"


def pct(a, b):
    return "" if not a or b is None else f"{(b - a) / a * 100:+.1f} %"


def measure_config(name, build, make, rows):
    """Everything about one config; appends CSV rows; returns a dict for the report."""
    paths = kernel_paths(make, build, clang=name.endswith("-clang"))
    missing = [f for f in ("base", "fgk") if not os.path.exists(paths[f]["bzImage"])]
    if missing:
        return {"name": name, "missing": missing, "build": build}
    log(f"{name}: reading {paths['base']['builddir']} and {paths['fgk']['builddir']}")
    cfg = {f: kconfig(paths[f]["builddir"]) for f in ("base", "fgk")}
    comp = Compress(compressor(cfg["fgk"], os.path.join(build, "kernel/linux")))
    sz = {f: flavour_sizes(paths[f]) for f in ("base", "fgk")}
    for f in ("base", "fgk"):
        for k, v in sz[f].items():
            if isinstance(v, int):
                rows.append({"config": name, "flavour": f, "item": k, "bytes": v})
        for sec, v in sz[f]["sections"].items():
            rows.append({"config": name, "flavour": f, "item": "section " + sec, "bytes": v})

    # Recompress the payloads and split the compressed growth exactly.
    log(f"{name}: compressing the payloads again with {comp.name}")
    bb, _, _, rb = parts_of_payload(paths["base"], sz["base"])
    fb, fpad, fmap, frel = parts_of_payload(paths["fgk"], sz["fgk"])
    c_base = comp(bb + rb)
    c_fgk = comp(fb + fpad + fmap + frel)
    c_fgk_nomap = comp(fb + frel)
    g = {"bzImage": sz["fgk"]["bzImage"] - sz["base"]["bzImage"],
         "map (in the payload stream)": c_fgk - c_fgk_nomap,
         "vmlinux.bin + relocs (text growth)": c_fgk_nomap - c_base,
         "decompressor + setup (runtime code)":
             (sz["fgk"]["bzImage"] - sz["fgk"]["payload (compressed)"])
             - (sz["base"]["bzImage"] - sz["base"]["payload (compressed)"])}
    g["rest (recompression vs build, rounding)"] = g["bzImage"] - sum(
        v for k, v in g.items() if k != "bzImage")
    recomp_ok = {"base": c_base + comp.trailer == sz["base"]["payload (compressed)"],
                 "fgk": c_fgk + comp.trailer == sz["fgk"]["payload (compressed)"]}
    for k, v in g.items():
        rows.append({"config": name, "flavour": "growth", "item": k, "bytes": v})

    # What the text growth is made of.
    syms = system_map(os.path.join(paths["fgk"]["builddir"], "System.map"))
    slack = int(cfg["fgk"].get("CONFIG_FG_KASLR_TEXT_SLACK", "0"), 0)
    slack_c = None
    image = loaded_image(fb)
    if "__fgk_text_end" in syms and "_text" in syms and slack:
        end = syms["__fgk_text_end"] - syms["_text"]
        slack_bytes = image[end - slack:end]
        slack_c = comp(slack_bytes)
        slack_int3 = slack_bytes.count(0xcc)
    else:
        slack_int3 = None

    # The map: its sections, each compressed alone.
    m = mapfile.parse(fmap)
    units_pad = mapfile.region_padding(m)
    secs = []
    for sec, count, raw in mapfile.sections(m):
        c = comp(raw) if raw else 0
        secs.append((sec, count, len(raw), c))
        rows.append({"config": name, "flavour": "fgk", "item": f"map.{sec} ({count})", "bytes": len(raw)})
        rows.append({"config": name, "flavour": "fgk", "item": f"map.{sec} compressed", "bytes": c})
    c_map_alone = comp(fmap)
    rcount = relocs_counts(os.path.join(paths["fgk"]["builddir"],
                                        "arch/x86/boot/compressed/vmlinux.relocs"))
    return {"name": name, "build": build, "paths": paths, "cfg": cfg, "comp": comp.name,
            "sz": sz, "growth": g, "recomp_ok": recomp_ok, "slack": slack,
            "slack_c": slack_c, "slack_int3": slack_int3, "units_pad": units_pad,
            "map": m, "map_secs": secs, "c_map_alone": c_map_alone, "relocs": rcount,
            "c_fgk_nomap": c_fgk_nomap, "unit_bytes": sum(u[1] for u in mapfile.units(m))}


# ---------------------------------------------------------------- report

def init_size_note(b, f):
    """Why init_size grows: which of VO/ZO_INIT_SIZE decides, and ZO's parts."""
    if not b.get("ZO_INIT_SIZE") or not f.get("ZO_INIT_SIZE"):
        return ""

    def side(s):
        return "ZO" if s["ZO_INIT_SIZE"] > s["VO_INIT_SIZE"] else "VO"
    text = (f"init_size is the larger of VO_INIT_SIZE (the kernel image) and ZO_INIT_SIZE "
            f"(the decompressor, its `.bss` and the room to extract the payload in place): "
            f"{side(b)} for base, {side(f)} for fgk.")
    if side(f) == "ZO":
        dz = f["ZO_INIT_SIZE"] - max(b["ZO_INIT_SIZE"], b["VO_INIT_SIZE"])
        dbss = f["decompressor .bss"] - b["decompressor .bss"]
        dout = f["payload (decompressed)"] - b["payload (decompressed)"]
        text += (f" Against base's init_size, fgk's ZO_INIT_SIZE is {dz:+,} B: the `.bss` "
                 f"(scratch) {dbss:+,} B, the decompressed payload (map, text) {dout:+,} B, "
                 f"and {dz - dbss - dout:+,} B decompressor code, extraction margin, page "
                 f"rounding" + (" and the VO side base started from" if side(b) == "VO" else "") + ".")
    return text


def section_md(r):
    name = r["name"]
    title = CONFIG_TITLE.get(name, name)
    if "missing" in r:
        return (f"### {title}\n\nNot built ({', '.join(r['missing'])} missing in "
                f"`{r['build']}`): " + ("`make bench-kernel-defconfig` builds it (~50 min on 2 cores).\n\n"
                                        if name == "defconfig" else "`make kernel` builds it.\n\n"))
    b, f, g = r["sz"]["base"], r["sz"]["fgk"], r["growth"]
    m = r["map"]
    out = [f"### {title}\n\n",
           f"Kernel compressor: {r['comp']} (`CONFIG_KERNEL_*`); "
           f"`CONFIG_FG_KASLR_TEXT_SLACK={r['slack']:#x}`; "
           f"{m['nr_units']:,} units, {m['nr_xrefs']:,} xrefs.\n\n"]
    items = [("vmlinux (file, relocations stripped)", "vmlinux"),
             ("vmlinux.unstripped (with --emit-relocs)", "vmlinux.unstripped"),
             ("`.text` (section, ends 2 MiB-aligned)", ".text"),
             ("`.text` up to the fixed code (`__noinstr_text_start - _text`)", "text before the fixed code"),
             ("image: allocated sections of vmlinux", "image (allocated sections)"),
             ("vmlinux.bin (vmlinux stripped, the ELF in the payload)", "vmlinux.bin"),
             ("vmlinux.relocs (plain KASLR's relocations)", "vmlinux.relocs"),
             ("fgkaslr map (vmlinux.fgkmap)", "map"),
             ("payload, decompressed (bin + pad + map + relocs)", "payload (decompressed)"),
             ("payload, compressed (header `payload_length`)", "payload (compressed)"),
             ("decompressor code + data (without the payload)", "decompressor code+data"),
             ("decompressor `.bss` (fgk: + scratch)", "decompressor .bss"),
             ("**bzImage**", "bzImage"),
             ("init_size (header 0x260)", "init_size"),
             ("  VO_INIT_SIZE (kernel `_end - _text`)", "VO_INIT_SIZE"),
             ("  ZO_INIT_SIZE (decompressor + extraction room)", "ZO_INIT_SIZE")]
    rows = []
    for label, k in items:
        bv, fv = b.get(k), f.get(k)
        if bv is None and fv is None:
            continue
        d = "" if bv is None or fv is None else f"{fv - bv:+,}"
        rows.append([label, fmt(bv), fmt(fv), d, pct(bv, fv)])
    rows.append(["map compressed alone", "", fmt(r["c_map_alone"]), "", ""])
    out.append(benchlib.md_table(["bytes", "base", "fgk", "fgk - base", "growth"], rows))
    nu = max(m["nr_units"], 1)
    out.append(f"\nScratch for the boot (`vmlinux.fgkscratch`: the decoded unit table, 12 B a "
               f"unit, then the shuffle's scratch; in the decompressor's `.bss`: init_size, not "
               f"file bytes): {fmt(f['scratch'])} B, the movable text "
               f"({fmt(r['unit_bytes'])} B) plus {(f['scratch'] - r['unit_bytes']) / nu:.0f} B "
               f"a unit. ")
    out.append(init_size_note(b, f) + "\n\n")

    # Where the bzImage growth comes from.
    total = g["bzImage"]
    out.append(f"**Where the bzImage growth ({total:+,} B, {pct(b['bzImage'], f['bzImage'])}) "
               f"comes from**: the payloads compressed again with {r['comp']}; the map's share is "
               f"what the fgk payload compresses to with the map minus without it.\n\n")
    rows = [[k, f"{v:+,}", f"{v / total * 100:.1f} %"] for k, v in g.items() if k != "bzImage"]
    rows.append(["**total**", f"{total:+,}", "100 %"])
    out.append(benchlib.md_table(["part", "bytes", "share"], rows))
    if not all(r["recomp_ok"].values()):
        out.append("\n(Recompressing did not reproduce the build's payload byte for byte: "
                   f"{r['recomp_ok']}; the rest row absorbs the difference.)\n")
    dtext = f["text before the fixed code"] - b["text before the fixed code"]
    out.append(f"\nThe text growth: `.text` up to the fixed code (noinstr, entry, thunks) "
               f"{dtext:+,} B uncompressed, of which "
               f"{r['slack']:,} B is the slack (`FG_KASLR_TEXT_SLACK`"
               + (f", {r['slack_int3']:,} int3 bytes, {r['slack_c']:,} B compressed alone"
                  if r["slack_c"] is not None else "") +
               f") and {dtext - r['slack']:+,} B the code and alignment changes of "
               f"`-ffunction-sections` (each function its own input section, aligned to "
               f"`CONFIG_FUNCTION_ALIGNMENT={r['cfg']['fgk'].get('CONFIG_FUNCTION_ALIGNMENT', '?')}`; "
               f"the padding between the units of the shuffled region is {r['units_pad']:,} B "
               f"in link order).")
    others = []
    for sec in sorted(set(b["sections"]) | set(f["sections"])):
        if sec == ".text":
            continue
        d = f["sections"].get(sec, 0) - b["sections"].get(sec, 0)
        if d:
            others.append((abs(d), sec, d))
    others.sort(reverse=True)
    if others:
        out.append(" Other sections that grow: " + ", ".join(
            f"`{s}` {d:+,}" for _, s, d in others[:6]) + ".")
    out.append(f" The decompressor grows by {g['decompressor + setup (runtime code)']:+,} B "
               f"(the runtime and its glue, compressed into nothing: they are plain code in the "
               f"bzImage).\n\n")

    # The map by section.
    total_raw = sum(x[2] for x in r["map_secs"])
    total_c = sum(x[3] for x in r["map_secs"])
    out.append(f"**The map by section** (each compressed alone with {r['comp']}; the whole "
               f"map compresses to {r['c_map_alone']:,} B, in the payload stream it costs "
               f"{g['map (in the payload stream)']:,} B):\n\n")
    rows = [[sec, fmt(cnt), fmt(raw), f"{raw / total_raw * 100:.1f} %", fmt(c),
             f"{c / total_c * 100:.1f} %" if total_c else ""] for sec, cnt, raw, c in r["map_secs"]]
    rows.append(["**total**", "", fmt(total_raw), "100 %", fmt(total_c), "100 %"])
    out.append(benchlib.md_table(["section", "entries", "bytes", "share", "compressed", "share"], rows))
    nx = max(m["nr_xrefs"], 1)
    xraw = sum(x[2] for x in r["map_secs"] if x[0].startswith("xref"))
    xc = sum(x[3] for x in r["map_secs"] if x[0].startswith("xref"))
    out.append(f"\nPer reference: {xraw / nx:.2f} B raw, {xc / nx:.2f} B compressed alone "
               f"({m['nr_xrefs']:,} xrefs; the whole map in the payload stream: "
               f"{g['map (in the payload stream)'] / nx:.2f} B per xref).\n")
    rc = r["relocs"]
    mr = m["nr_relocs"]
    if m["flags"] & mapfile.FLAG_IMAGE_RELOCS:
        out.append(f"\n**Relocations**: the map holds none (`FGK_MAP_IMAGE_RELOCS`): the runtime "
                   f"applies plain KASLR's own vmlinux.relocs ({f['vmlinux.relocs']:,} B: "
                   f"{rc['ABS64']:,} ABS64, {rc['ABS32']:,} ABS32, {rc['INV32']:,} INV32 sites), "
                   f"which fgk-mkmap checked at build time to equal the sites it found.\n\n")
    else:
        out.append(f"\n**Relocations**: the map holds {mr[0]:,} / {mr[1]:,} / {mr[2]:,} sites of "
                   f"its own besides vmlinux.relocs ({f['vmlinux.relocs']:,} B).\n\n")

    # What would close the gap.
    base_bz = b["bzImage"]
    goal = base_bz * GOAL_PCT / 100
    cur = g["map (in the payload stream)"]
    out.append(f"**Target**: bzImage within +{GOAL_PCT:g} % of base = {goal:,.0f} B; measured "
               f"{total:+,} B ({total / base_bz * 100:+.1f} %), "
               + ("met.\n\n" if total <= goal else
                  f"missed by {total - goal:,.0f} B ({(total - goal) / base_bz * 100:.1f} points). "
                  f"Without any map the growth would be {total - cur:+,} B "
                  f"({(total - cur) / base_bz * 100:+.1f} %).\n\n"))
    return "".join(out)


def plot(results, path):
    """Per config: base vs fgk sizes; last panel: the bzImage growth by part."""
    built = [r for r in results if "missing" not in r]
    if not built:
        return False
    fig, _ = benchlib.figure(width=4.6 * len(built) + 4.2, height=4.2)
    fig.clf()
    n = len(built) + 1
    items = [("text", "text before the fixed code"), ("vmlinux.bin", "vmlinux.bin"), ("map", "map"),
             ("bzImage", "bzImage"), ("init_size", "init_size")]
    w = 0.38
    for i, r in enumerate(built):
        ax = fig.add_subplot(1, n, i + 1)
        xs = range(len(items))
        for j, (f, colour) in enumerate((("base", "#4c72b0"), ("fgk", "#dd8452"))):
            vals = [(r["sz"][f].get(k) or 0) / 2**20 for _, k in items]
            bars = ax.bar([x + (j - 0.5) * w for x in xs], vals, w, label=f, color=colour)
            if f == "fgk":
                for bar, (_, k) in zip(bars, items):
                    bv = r["sz"]["base"].get(k) or 0
                    fv = r["sz"]["fgk"].get(k) or 0
                    if bv:
                        ax.annotate(f"{(fv - bv) / bv * 100:+.0f}%", (bar.get_x() + w / 2, bar.get_height()),
                                    ha="center", va="bottom", fontsize=8)
        ax.set_xticks(list(xs))
        ax.set_xticklabels([l for l, _ in items], rotation=20)
        ax.set_ylabel("MiB")
        ax.set_title(CONFIG_TITLE.get(r["name"], r["name"]).split(" (")[0], fontsize=10)
        ax.legend(fontsize=8)
    # The growth, stacked by part.
    ax = fig.add_subplot(1, n, n)
    parts = [("map (in the payload stream)", "map", "#dd8452"),
             ("decompressor + setup (runtime code)", "decompressor", "#55a868"),
             ("vmlinux.bin + relocs (text growth)", "vmlinux", "#8172b2")]
    labels, x = [], 0
    for r in built:
        base = r["sz"]["base"]["bzImage"]
        bottom = 0.0
        for key, label, colour in parts:
            v = r["growth"][key] / base * 100
            ax.bar(x, v, 0.6, bottom=bottom if v >= 0 else 0, color=colour,
                   label=label if x == 0 else None)
            bottom += max(v, 0)
        ax.annotate(f"{sum(r['growth'][k] for k, _, _ in parts) / base * 100:+.1f}%",
                    (x, bottom), ha="center", va="bottom", fontsize=8)
        labels.append(CONFIG_TITLE.get(r["name"], r["name"]).split(" (")[0])
        x += 1
    ax.axhline(GOAL_PCT, color="black", linestyle="--", linewidth=1, label=f"goal +{GOAL_PCT:g} %")
    ax.set_xticks(list(range(x)))
    ax.set_xticklabels(labels, fontsize=7)
    ax.set_ylabel("bzImage growth, % of base")
    ax.set_title("where the bzImage growth comes from", fontsize=10)
    ax.legend(fontsize=7)
    benchlib.save(fig, path)
    return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="bench/results")
    ap.add_argument("--make", default="make")
    ap.add_argument("configs", nargs="+", help="NAME=BUILD")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    t0 = time.time()
    rows, results = [], []
    for spec in a.configs:
        name, build = spec.split("=", 1)
        r = measure_config(name, build, a.make, rows)
        if "missing" in r:
            log(f"{name}: not built in {build} ({', '.join(r['missing'])}), skipped")
        results.append(r)
    benchlib.write_csv(os.path.join(a.out, "size.csv"), ["config", "flavour", "item", "bytes"], rows)
    have_plot = plot(results, os.path.join(a.out, "size.svg"))
    targets = []
    for r in results:
        if "missing" in r:
            continue
        b, f = r["sz"]["base"]["bzImage"], r["sz"]["fgk"]["bzImage"]
        p = (f - b) / b * 100
        title = "test config" if r["name"] == "test" else CONFIG_TITLE.get(r["name"], r["name"])
        targets.append({"target": f"bzImage growth ({title})", "goal": f"<= +{GOAL_PCT:g}%",
                        "measured": f"{p:+.1f}%", "met": "yes" if p <= GOAL_PCT else "no"})
    benchlib.write_csv(os.path.join(a.out, "size.target.csv"), ["target", "goal", "measured", "met"],
                       targets)
    md = ["## Sizes\n\n",
          "What fgkaslr adds to the kernel's files and boot memory: vmlinux, the bzImage and "
          "its setup header's init_size, and the fgkaslr map, which rides in the compressed "
          "payload next to `vmlinux.relocs` (what plain KASLR already carries). Base is the "
          "same tree built with `CONFIG_FG_KASLR=n`. Sizes are deterministic: one build each, "
          "no repeats.\n\n",
          "Reproduce: `make bench-size` (runs `make kernel` first, a no-op when built; the "
          "x86_64_defconfig kernels from `make bench-kernel-defconfig` are measured when "
          "built). Settings: "
          f"`BENCH_SIZE_CONFIGS={' '.join(s.split('=')[0] for s in a.configs)}`. "
          "Raw numbers: [size.csv](size.csv)"
          + (", plot: [size.svg](size.svg)" if have_plot else "") + ".\n\n"]
    if targets:
        md.append(benchlib.md_table(["target", "goal", "measured", "met"],
                                    [[t["target"], t["goal"], t["measured"], t["met"]] for t in targets]))
        md.append("\n")
    if have_plot:
        md.append("![sizes, base vs fgk](size.svg)\n\n")
    for r in results:
        md.append(section_md(r))
    md.append("Machine:\n\n" + benchlib.md_machine({"bench-size took": f"{time.time() - t0:.0f} s"}))
    with open(os.path.join(a.out, "size.md"), "w") as fh:
        fh.write("".join(md))
    log(f"wrote {a.out}/size.md, size.csv, size.target.csv" + (", size.svg" if have_plot else "")
        + f" ({time.time() - t0:.0f} s)")


if __name__ == "__main__":
    main()
