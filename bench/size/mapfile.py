"""mapfile.py: read an fgkaslr map (include/fgk_map.h, version 3) by section, for the size report."""
# Used by size.py. parse() splits the map into its sections as they lie in
# the file (streams included, undecoded); units() decodes the unit stream.

import struct

HDR = struct.Struct("<QIIQQQQ12I6I32s")
MAGIC = 0x1a0050414d4b4746
VERSION = 3
FLAG_IMAGE_RELOCS = 0x2


# The payload arrays in map order, as enum fgk_map_array in include/fgk_map.h
# states them (tests/mapfile/check.py holds this list to it): (name there, the
# header field counting its entries, its bytes).
LAYOUT = [
    ("REGIONS", "nr_regions", lambda m: 16 * m["nr_regions"]),
    ("UNITS", "nr_units", lambda m: m["unit_bytes"]),
    ("XREFS", "nr_xrefs", lambda m: (m["nr_xrefs"] + 1) // 2 + m["xref_bytes"]),
    ("TABLES", "nr_tables", lambda m: 48 * m["nr_tables"]),
    ("OVERRIDES", "nr_overrides", lambda m: m["override_bytes"]),
    ("FIELD_UNITS", "nr_field_units", lambda m: 4 * m["nr_field_units"]),
    ("SYMTABS", "nr_symtabs", lambda m: 48 * m["nr_symtabs"]),
    ("SYM_TIES", "nr_sym_ties", lambda m: 8 * m["nr_sym_ties"]),
    ("RELOCS_ABS64", "nr_relocs 0", lambda m: 4 * m["nr_relocs"][0]),
    ("RELOCS_ABS32", "nr_relocs 1", lambda m: 4 * m["nr_relocs"][1]),
    ("RELOCS_INV32", "nr_relocs 2", lambda m: 4 * m["nr_relocs"][2]),
]
# Names of the arrays in the size report and keys of parse()'s dict.
TITLE = {"FIELD_UNITS": "field_units", "SYM_TIES": "sym_ties", "RELOCS_ABS64": "relocs ABS64",
         "RELOCS_ABS32": "relocs ABS32", "RELOCS_INV32": "relocs INV32"}
KEY = TITLE


def entries(m, key):
    field, _, k = key.partition(" ")
    return m[field][int(k)] if k else m[field]


def parse(data):
    """The header fields and each section's bytes, as a dict."""
    h = HDR.unpack_from(data, 0)
    if h[0] != MAGIC or h[1] != VERSION or h[2] != HDR.size:
        raise ValueError("not an fgkaslr map of version 3")
    m = {"magic": h[0], "version": h[1], "header_size": h[2], "payload_size": h[3],
         "link_base": h[5], "image_size": h[6], "flags": h[7], "nr_regions": h[8],
         "nr_units": h[9], "nr_xrefs": h[10], "nr_tables": h[11], "nr_overrides": h[12],
         "nr_field_units": h[13], "nr_symtabs": h[14], "nr_relocs": list(h[15:18]),
         "nr_sym_ties": h[18], "xref_bytes": h[19], "override_bytes": h[20],
         "unit_bytes": h[21], "image_id_offset": h[23], "image_id_size": h[24],
         "image_id": h[25][:h[24]], "raw": data}
    code_bytes = (m["nr_xrefs"] + 1) // 2
    at = HDR.size
    m["arrays"], m["offsets"] = [], {}
    for name, key, nbytes in LAYOUT:
        n, size = entries(m, key), nbytes(m)
        raw = data[at:at + size]
        m["offsets"][name] = (at, size)
        if name == "XREFS":	# the code column and the words, apart
            m["arrays"].append(("xref codes", n, raw[:code_bytes]))
            m["arrays"].append(("xref words", n, raw[code_bytes:]))
        else:
            m["arrays"].append((TITLE.get(name, name.lower()), n, raw))
        m[KEY.get(name, name.lower())] = raw
        at += (size + 7) & ~7
    return m


def sections(m):
    """[(name, entries, bytes)] in file order, the header first."""
    return [("header", 1, m["raw"][:HDR.size])] + m["arrays"]


def _uleb(data, at):
    v = shift = 0
    while True:
        b = data[at]
        at += 1
        v |= (b & 0x7f) << shift
        shift += 7
        if not b & 0x80:
            return v, at


def units(m):
    """[(offset, size, align)] decoded from the unit stream."""
    out, at, prev_end = [], 0, 0
    for _ in range(m["nr_units"]):
        w, at = _uleb(m["units"], at)
        size, at = _uleb(m["units"], at)
        off = prev_end + (w >> 5)
        out.append((off, size, 1 << (w & 31)))
        prev_end = off + size
    return out


def region_padding(m):
    """Bytes between the units of every region in link order (alignment padding)."""
    us = units(m)
    pad = 0
    for start, end, first, n in struct.iter_unpack("<IIII", m["regions"]):
        if n:
            last = us[first + n - 1]
            pad += last[0] + last[1] - start - sum(u[1] for u in us[first:first + n])
    return pad
