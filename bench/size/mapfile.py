"""mapfile.py: read an fgkaslr map (include/fgk_map.h) by section and build denser variants of it for size estimates."""
# Used by size.py. parse() splits the map into its arrays; alternatives()
# returns re-encoded maps (bytes) whose compressed size size.py measures in
# the payload stream. The variants are estimates of what a format change
# would save, not formats the runtime reads.

import bisect
import struct

HDR = struct.Struct("<QIIQQQQ12III32s")
MAGIC = 0x1a0050414d4b4746
UNIT_NONE = 0x0fffffff
KINDS = ["", "PC32", "PC64", "ABS64", "ABS32", "ABS32S"]
# (name, count field, entry size): the order of the arrays after the header.
LAYOUT = [("regions", "nr_regions", 16), ("units", "nr_units", 12), ("xrefs", "nr_xrefs", 8),
          ("tables", "nr_tables", 48), ("overrides", "nr_overrides", 8),
          ("field_units", "nr_field_units", 4), ("symtabs", "nr_symtabs", 48),
          ("sym_ties", "nr_sym_ties", 8), ("relocs ABS64", 0, 4), ("relocs ABS32", 1, 4), ("relocs INV32", 2, 4)]

IDEAS_NOTE = (
    "- *relocs from vmlinux.relocs*: the map's three reloc lists are the sites of "
    "`vmlinux.relocs`, which is in the same payload anyway (as link addresses, sorted, "
    "0-separated); the runtime could read those instead of a second copy.\n"
    "- *xrefs as two columns*: all sites, then all `info` words (struct of arrays): the same "
    "bytes, which the compressor sees as two regular streams.\n"
    "- *xrefs delta-coded*: per xref one ULEB128 of (site - previous site) << 3 | kind, then "
    "one ULEB128 of the target unit relative to the site's unit (zigzag, 0 = none); "
    "decoded while walking, as now, with no scratch.\n"
    "- *xrefs delta-coded, targets from the code*: as above, but the target unit is stored "
    "only when the field's own value (PC32: site + 4 + disp; absolute: value - link base) "
    "does not fall in it; the runtime finds it by a binary search over units instead "
    "(the share of xrefs that need it is given in the label). Costs boot time.\n"
    "- *relocs delta-coded*: ULEB128 deltas for the base relocations, if the map keeps them.\n"
    "- *units and overrides delta-coded*: a unit as ULEB128 (gap after the previous unit, "
    "size) and one byte log2(align); an override as ULEB128 (entry delta, unit delta): "
    "most overrides are ORC terminators, one per unit, at entry + a few, unit + 1.\n")


def parse(data):
    """The header fields and each array's bytes, as a dict."""
    h = HDR.unpack_from(data, 0)
    if h[0] != MAGIC or h[2] != HDR.size:
        raise ValueError("not an fgkaslr map of this version")
    m = {"magic": h[0], "version": h[1], "header_size": h[2], "payload_size": h[3],
         "link_base": h[5], "image_size": h[6], "flags": h[7], "nr_regions": h[8],
         "nr_units": h[9], "nr_xrefs": h[10], "nr_tables": h[11], "nr_overrides": h[12],
         "nr_field_units": h[13], "nr_symtabs": h[14], "nr_relocs": list(h[15:18]),
         "nr_sym_ties": h[18], "image_id_offset": h[19], "image_id_size": h[20],
         "image_id": h[21][:h[20]], "raw": data}
    at = HDR.size
    m["arrays"] = []
    for name, field, esz in LAYOUT:
        n = m["nr_relocs"][field] if isinstance(field, int) else m[field]
        nbytes = n * esz
        padded = (nbytes + 7) & ~7
        m["arrays"].append((name, n, data[at:at + padded]))
        m[name] = data[at:at + nbytes]
        at += padded
    return m


def sections(m):
    """[(name, entries, bytes)] in file order, the header first."""
    return [("header", 1, m["raw"][:HDR.size])] + m["arrays"]


def units(m):
    return list(struct.iter_unpack("<III", m["units"]))


def region_padding(m):
    """Bytes between the units of every region in link order (alignment padding)."""
    us = units(m)
    pad = 0
    for start, end, first, n in struct.iter_unpack("<IIII", m["regions"]):
        if n:
            last = us[first + n - 1]
            pad += last[0] + last[1] - start - sum(u[1] for u in us[first:first + n])
    return pad


def uleb(v, out):
    while True:
        b = v & 0x7f
        v >>= 7
        if v:
            out.append(b | 0x80)
        else:
            out.append(b)
            return


def zigzag(v):
    return v * 2 if v >= 0 else -v * 2 - 1


def rebuild(m, replace):
    """The map with some arrays replaced by other bytes (and 8-byte padding)."""
    out = bytearray(m["raw"][:HDR.size])
    for name, n, raw in m["arrays"]:
        b = replace.get(name, raw)
        out += b + b"\0" * ((-len(b)) % 8)
    return bytes(out)


def _site_units(m, xrefs):
    """The unit index at or before each xref's site (walking, as the runtime does)."""
    offs = [u[0] for u in units(m)]
    return [max(bisect.bisect_right(offs, s) - 1, 0) for s, _ in xrefs]


def _implied_unit(m, image, offs, ends, site, kind):
    """The unit the field's own value points into, or None."""
    lb = m["link_base"]
    if kind == 1 and site + 4 <= len(image):
        tgt = site + 4 + struct.unpack_from("<i", image, site)[0]
    elif kind == 2 and site + 8 <= len(image):
        tgt = site + 8 + struct.unpack_from("<q", image, site)[0]
    elif kind == 3 and site + 8 <= len(image):
        tgt = struct.unpack_from("<Q", image, site)[0] - lb
    elif kind in (4, 5) and site + 4 <= len(image):
        v = struct.unpack_from("<i" if kind == 5 else "<I", image, site)[0]
        tgt = (v & 0xffffffffffffffff) - lb
    else:
        return None
    i = bisect.bisect_right(offs, tgt) - 1
    if 0 <= i < len(offs) and tgt < ends[i]:
        return i
    return None


def encode_xrefs_delta(m, image=None):
    """xrefs as ULEB128 site deltas + kind, then the target unit (relative, zigzag + 1).

    With image: the target is stored only when the field's value does not point
    into it (an explicit flag bit); returns (bytes, fraction stored explicitly).
    """
    xrefs = list(struct.iter_unpack("<II", m["xrefs"]))
    su = _site_units(m, xrefs)
    us = units(m)
    offs = [u[0] for u in us]
    ends = [u[0] + u[1] for u in us]
    out = bytearray()
    prev, explicit = 0, 0
    for (site, info), s_unit in zip(xrefs, su):
        kind, unit = info >> 28, info & UNIT_NONE
        if image is None:
            uleb(((site - prev) << 3) | kind, out)
            uleb(0 if unit == UNIT_NONE else zigzag(unit - s_unit) + 1, out)
        else:
            implied = _implied_unit(m, image, offs, ends, site, kind)
            stored = None if unit == UNIT_NONE else unit
            need = implied != stored
            explicit += need
            uleb(((((site - prev) << 1) | need) << 3) | kind, out)
            if need:
                uleb(0 if stored is None else zigzag(unit - s_unit) + 1, out)
        prev = site
    frac = explicit / len(xrefs) if xrefs else 0.0
    return bytes(out), frac


def encode_relocs_delta(raw):
    vals = [v for (v,) in struct.iter_unpack("<I", raw)]
    out = bytearray()
    prev = 0
    for v in vals:
        uleb(v - prev, out)
        prev = v
    return bytes(out)


def encode_units_delta(m):
    """units as ULEB128 (gap after the previous unit, size, log2 align)."""
    out = bytearray()
    prev_end = 0
    for off, size, align in units(m):
        uleb(off - prev_end if off >= prev_end else 0, out)
        uleb(size, out)
        out.append(max(align, 1).bit_length() - 1)
        prev_end = off + size
    return bytes(out)


def encode_overrides_delta(m):
    """overrides as ULEB128 (entry delta, zigzag unit delta); tables start again at entry 0."""
    out = bytearray()
    pe = pu = 0
    for e, u in struct.iter_unpack("<II", m["overrides"]):
        if e < pe:
            pe = 0
        uleb(e - pe, out)
        uleb(0 if u == UNIT_NONE else zigzag(u - pu) + 1, out)
        pe = e
        pu = u if u != UNIT_NONE else pu
    return bytes(out)


def alternatives(m, image=None):
    """[(label, map bytes)] of denser variants of the map."""
    no_relocs = {f"relocs {k}": b"" for k in ("ABS64", "ABS32", "INV32")}
    xr = list(struct.iter_unpack("<II", m["xrefs"]))
    columns = struct.pack(f"<{len(xr)}I", *(s for s, _ in xr)) + \
        struct.pack(f"<{len(xr)}I", *(i for _, i in xr))
    delta, _ = encode_xrefs_delta(m)
    rel_delta = {f"relocs {k}": encode_relocs_delta(m[f"relocs {k}"]) for k in ("ABS64", "ABS32", "INV32")}
    out = [("relocs from vmlinux.relocs", rebuild(m, no_relocs)),
           ("xrefs as two columns", rebuild(m, {"xrefs": columns})),
           ("xrefs delta-coded", rebuild(m, {"xrefs": delta})),
           ("xrefs delta-coded + relocs delta-coded", rebuild(m, dict(rel_delta, xrefs=delta))),
           ("xrefs delta-coded + relocs from vmlinux.relocs", rebuild(m, dict(no_relocs, xrefs=delta)))]
    if image is not None:
        dimg, frac = encode_xrefs_delta(m, image)
        out.append((f"xrefs delta-coded, targets from the code ({frac * 100:.1f} % stored) "
                    "+ relocs from vmlinux.relocs", rebuild(m, dict(no_relocs, xrefs=dimg))))
        out.append(("all of the above + units and overrides delta-coded",
                    rebuild(m, dict(no_relocs, xrefs=dimg, units=encode_units_delta(m),
                                    overrides=encode_overrides_delta(m)))))
    return out
