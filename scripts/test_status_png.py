#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""Tests of scripts/status_png.py on the sample files in scripts/testdata/.

Runs the script as a user would, then reads the PNG back: its size, the
colour of every unit, the gaps and the frame, and how far apart the four
colours land in grayscale. Prints "ok"/"not ok" lines and, last,
"status-png: N passed, M failed". Needs Pillow (Debian: python3-pil).
"""

import itertools
import os
import subprocess
import sys
import tempfile

from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import status_png  # noqa: E402

SCRIPT = os.path.join(HERE, "status_png.py")
STATUS = os.path.join(HERE, "testdata", "status-sample.txt")
STATS = os.path.join(HERE, "testdata", "stats-sample.txt")
# Written here, not taken from status_png.CODES: a changed palette must be
# a deliberate change to both files.
EXPECTED = {
    ".": (242, 242, 242),
    "1": (230, 159, 0),
    "2": (0, 114, 178),
    "3": (26, 26, 64),
}
# Two colours closer than this in grayscale are hard to tell apart.
MIN_LUMA_GAP = 50

passed = failed = 0


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print(f"ok - {name}")
    else:
        failed += 1
        print(f"not ok - {name}" + (f": {detail}" if detail else ""))


def run(*args):
    return subprocess.run([sys.executable, SCRIPT, *args],
                          capture_output=True, text=True, check=False)


def pages_of(path):
    with open(path, encoding="ascii") as f:
        return status_png.parse_status(f.read())[1]


def main(tmp):
    pages = pages_of(STATUS)
    width = len(pages[0][3])
    check("sample has pages and every code",
          len(pages) > 1 and all(any(c in p[3] for p in pages) for c in EXPECTED))

    out = os.path.join(tmp, "s2.png")
    r = run(STATUS, "--stats", STATS, "-o", out)
    check("renders the sample with stats", r.returncode == 0 and os.path.exists(out),
          r.stderr.strip())
    if r.returncode:
        return
    img = Image.open(out).convert("RGB")
    px = img.load()
    x0, y0, pitch, row_h, gutter = status_png.geometry(len(pages), 2)

    # Width: margin, gutter, frame, 2 px per unit, frame, margin.
    want_w = 2 * status_png.MARGIN + gutter + 2 + 2 * width
    check("PNG is as wide as the map", img.width == want_w,
          f"{img.width} != {want_w}")
    bottom = y0 + len(pages) * pitch
    check("PNG has room under the map for legend and caption",
          img.height >= bottom + 6 * 10, f"height {img.height}, map ends at {bottom}")
    check("PNG format", Image.open(out).format == "PNG")

    # Literal spots first: page 0 starts with a code-1 object.
    check("page 0 unit 0 is used code 1", pages[0][3][0] == "1" and
          px[x0, y0] == EXPECTED["1"], str(px[x0, y0]))
    # Then every unit of every page, at all four corners of its block.
    wrong = []
    for i, page in enumerate(pages):
        top = y0 + i * pitch
        for u, code in enumerate(page[3]):
            left = x0 + 2 * u
            for x, y in itertools.product((left, left + 1), (top, top + row_h - 1)):
                if px[x, y] != EXPECTED[code]:
                    wrong.append(f"page {i} unit {u} ({code}) at {x},{y}: {px[x, y]}")
    check("every unit has its code's colour", not wrong, "; ".join(wrong[:3]))
    for code in EXPECTED:
        i, u = next((i, p[3].index(code)) for i, p in enumerate(pages) if code in p[3])
        got = px[x0 + 2 * u, y0 + i * pitch]
        check(f"first '{code}' unit (page {i}, unit {u}) is {EXPECTED[code]}",
              got == EXPECTED[code], str(got))

    gap = [px[x0 + x, y0 + row_h] for x in range(0, 2 * width)]
    check("pages are one background row apart",
          set(gap) == {status_png.BACKGROUND}, str(set(gap)))
    check("map has a frame", px[x0 - 1, y0] == status_png.FRAME and
          px[x0 + 2 * width, y0] == status_png.FRAME)

    # Grayscale: convert the rendered image, as a grayscale printer would.
    gray = img.convert("L").load()
    luma = {}
    for code in EXPECTED:
        i, u = next((i, p[3].index(code)) for i, p in enumerate(pages) if code in p[3])
        luma[code] = gray[x0 + 2 * u, y0 + i * pitch]
    gaps = {f"{a}/{b}": abs(luma[a] - luma[b]) for a, b in itertools.combinations(luma, 2)}
    check(f"grayscale luminances {luma} pairwise >= {MIN_LUMA_GAP} apart",
          min(gaps.values()) >= MIN_LUMA_GAP, str(gaps))
    check("free units are the lightest", luma["."] == max(luma.values()))

    # The legend shows the same four colours, left to right.
    legend_y = y0 + len(pages) * pitch + status_png.MARGIN + 4
    row = [px[x, legend_y] for x in range(img.width)]
    seen = [c for c in EXPECTED.values() if c in row]
    check("legend shows all four colours", len(seen) == 4)

    # Scale: 1 and 4 pixels per unit.
    for scale in (1, 4):
        o = os.path.join(tmp, f"s{scale}.png")
        r = run(STATUS, "-o", o, "--scale", str(scale))
        ok = r.returncode == 0
        if ok:
            im = Image.open(o).convert("RGB")
            gx0, gy0, gpitch, grow_h, _ = status_png.geometry(len(pages), scale)
            u = pages[0][3].index("2")
            ok = (im.getpixel((gx0 + scale * u, gy0)) == EXPECTED["2"] and
                  im.getpixel((gx0 + scale * u + scale - 1, gy0 + grow_h - 1)) == EXPECTED["2"] and
                  grow_h == 3 * scale)
        check(f"--scale {scale}", ok, r.stderr.strip())

    nostats = os.path.join(tmp, "nostats.png")
    r = run(STATUS, "-o", nostats)
    check("stats caption adds lines",
          r.returncode == 0 and Image.open(nostats).height < img.height)

    empty = os.path.join(tmp, "empty.txt")
    with open(empty, "w", encoding="ascii") as f:
        f.write("# page free_units longest_free_run then 492 units of 8 bytes\n")
    r = run(empty, "-o", os.path.join(tmp, "empty.png"))
    check("a pool with no pages still renders", r.returncode == 0, r.stderr.strip())

    bad = os.path.join(tmp, "bad.txt")
    with open(bad, "w", encoding="ascii") as f:
        f.write("0 1 1 ..12x\n")
    r = run(bad, "-o", os.path.join(tmp, "bad.png"))
    check("a bad unit code is refused with a message",
          r.returncode == 1 and "unit codes" in r.stderr, r.stderr.strip())
    with open(bad, "w", encoding="ascii") as f:
        f.write("0 1 1 ..12\n1 1 1 ..1\n")
    r = run(bad, "-o", os.path.join(tmp, "bad.png"))
    check("pages of different widths are refused",
          r.returncode == 1 and "units" in r.stderr, r.stderr.strip())

    small = os.path.getsize(out)
    check(f"sample PNG is small ({small} bytes < 50 KB)", small < 50 * 1024)


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="status-png-") as tmpdir:
        main(tmpdir)
    print(f"status-png: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
