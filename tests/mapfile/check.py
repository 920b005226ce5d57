#!/usr/bin/python3
"""check.py: the bench's map reader (bench/size/mapfile.py) against include/fgk_map.h: the same arrays, in the same order, at the same offsets."""
# usage: check.py LAYOUT-TOOL MAP...
# The list of arrays is read from enum fgk_map_array in the header; for each
# MAP, the offsets and sizes the C definition gives (LAYOUT-TOOL, built on
# the header) must equal mapfile.parse()'s.

import os
import re
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(TOP, "bench", "size"))
import mapfile  # noqa: E402


def header_names():
    text = open(os.path.join(TOP, "include", "fgk_map.h")).read()
    body = re.search(r"enum fgk_map_array \{(.*?)\};", text, re.S).group(1)
    return [n for n in re.findall(r"FGK_MAP_(\w+),", body) if n != "NR_ARRAYS"]


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: check.py LAYOUT-TOOL MAP...")
    fails = []
    names = header_names()
    py = [n for n, _, _ in mapfile.LAYOUT]
    if names != py:
        fails.append(f"fgk_map.h lists {names}, mapfile.py {py}")
    for path in sys.argv[2:]:
        c = {}
        for line in subprocess.run([sys.argv[1], path], check=True, capture_output=True,
                                   text=True).stdout.splitlines():
            index, at, size = line.split()
            c[names[int(index)]] = (int(at), int(size))
        with open(path, "rb") as f:
            m = mapfile.parse(f.read())
        if c != m["offsets"]:
            fails.append(f"{path}: C {c} != Python {m['offsets']}")
        end = max(at + ((size + 7) & ~7) for at, size in c.values())
        if end != m["header_size"] + m["payload_size"]:
            fails.append(f"{path}: arrays end at {end}, the map at "
                         f"{m['header_size'] + m['payload_size']}")
    for f in fails:
        print("check-mapfile: FAIL: " + f)
    if fails:
        sys.exit(1)
    print(f"check-mapfile: {len(names)} arrays in the same order, "
          f"{len(sys.argv) - 2} maps at the same offsets")


if __name__ == "__main__":
    main()
