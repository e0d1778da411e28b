#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""Draw a saved /sys/kernel/debug/smalloc/status file as a PNG.

One pixel per unit (times --scale; rows three times as tall), one row per
page, top to bottom in the order of the file, page ids on the left. The four unit codes get colours of clearly different
luminance, so the picture still reads in grayscale or when printed; a legend
and, given a saved "stats" file, its numbers are drawn under the map.

    cat /sys/kernel/debug/smalloc/status > status.txt
    cat /sys/kernel/debug/smalloc/stats > stats.txt
    scripts/status_png.py status.txt --stats stats.txt -o status.png

Needs Pillow (Debian: python3-pil), hence Debian's own /usr/bin/python3.
"""

import argparse
import re
import sys

from PIL import Image, ImageDraw, ImageFont

# Unit code -> (label, RGB). Luminances (ITU-R 601, what Pillow's "L" uses)
# are about 242, 162, 87 and 32: far apart pairwise, and the three USED
# codes, which alternate between neighbouring objects, are Okabe-Ito
# colours that colour-blind readers can tell apart as well.
CODES = {
    ".": ("free", (242, 242, 242)),
    "1": ("used, code 1", (230, 159, 0)),
    "2": ("used, code 2", (0, 114, 178)),
    "3": ("used, code 3", (26, 26, 64)),
}
BACKGROUND = (255, 255, 255)
FRAME = (96, 96, 96)
TEXT = (0, 0, 0)
MARGIN = 8


class FormatError(Exception):
    """The input is not a status or stats file."""


def parse_status(text):
    """Return (header lines, [(page id, free, longest run, units)])."""
    header, pages = [], []
    width = None
    for n, line in enumerate(text.splitlines(), 1):
        if line.startswith("#"):
            header.append(line[1:].strip())
            continue
        if not line.strip():
            continue
        fields = line.split()
        if len(fields) != 4 or not all(f.isdigit() for f in fields[:3]):
            raise FormatError(f"line {n}: want '<page> <free> <run> <units>'")
        units = fields[3]
        bad = set(units) - set(CODES)
        if bad:
            raise FormatError(f"line {n}: unit codes {''.join(sorted(bad))!r}")
        if width is not None and len(units) != width:
            raise FormatError(f"line {n}: {len(units)} units, earlier pages {width}")
        width = len(units)
        pages.append((int(fields[0]), int(fields[1]), int(fields[2]), units))
    return header, pages


def parse_stats(text):
    """Return the "key: value" pairs of a stats file, in order."""
    stats = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        key, sep, value = line.partition(":")
        if not sep or not key.strip():
            raise FormatError(f"stats line {n}: want 'key: value'")
        stats.append((key.strip(), value.strip()))
    return stats


def page_shape(header):
    """(units per page, bytes per unit) from the status header, if it says."""
    for line in header:
        m = re.search(r"(\d+) units of (\d+) bytes", line)
        if m:
            return int(m.group(1)), int(m.group(2))
    return None, None


def caption_lines(header, pages, stats):
    """Summary of the map, then the stats in a few aligned columns."""
    total = sum(len(p[3]) for p in pages)
    free = sum(p[3].count(".") for p in pages)
    width, size = page_shape(header)
    if pages:
        width = len(pages[0][3])
    lines = [
        f"{len(pages)} pages x {width or 0} units"
        + (f" of {size} bytes" if size else "")
        + (f", {free}/{total} units free ({100 * free / total:.1f}%)" if total else "")
        + "; one row per page, page ids on the left",
        "neighbouring objects always have different codes, so a change of"
        " colour is where one object ends",
    ]
    if stats:
        cells = [f"{k}: {v}" for k, v in stats]
        cols = 3
        cell_w = max(len(c) for c in cells) + 3
        for i in range(0, len(cells), cols):
            lines.append("".join(c.ljust(cell_w) for c in cells[i:i + cols]).rstrip())
    return lines


def geometry(nr_pages, scale):
    """Where the map goes: (x0, y0, row pitch, row height, gutter width).

    Unit u of the i-th page fills the scale x row-height block at
    (x0 + u * scale, y0 + i * pitch); a one-pixel gap of background colour
    between pages keeps their rows apart.
    """
    gutter = 6 * (len(str(max(nr_pages - 1, 0))) + 1)
    row_h = 3 * scale
    return MARGIN + gutter + 1, MARGIN + 1, row_h + 1, row_h, gutter


def render(header, pages, stats, scale):
    """The picture as a Pillow RGB image."""
    font = ImageFont.load_default()
    probe = ImageDraw.Draw(Image.new("RGB", (1, 1)))

    def text_size(s):
        left, top, right, bottom = probe.textbbox((0, 0), s, font=font)
        return right - left, bottom - top

    line_h = text_size("Ag")[1] + 4
    width = len(pages[0][3]) if pages else 0
    x0, y0, pitch, row_h, gutter = geometry(len(pages), scale)
    map_w, map_h = width * scale, len(pages) * pitch - 1

    legend = [(label, rgb) for label, rgb in CODES.values()]
    swatch = line_h - 4
    legend_w = sum(swatch + 4 + text_size(label)[0] + 16 for label, _ in legend)
    caption = caption_lines(header, pages, stats)
    if not pages:
        caption.insert(0, "no pages: the pool holds none")
    caption_w = max(text_size(s)[0] for s in caption)

    img_w = 2 * MARGIN + max(gutter + map_w + 2, legend_w, caption_w)
    img_h = 2 * MARGIN + (map_h + 2 + MARGIN if pages else 0) + line_h + MARGIN \
        + len(caption) * line_h
    img = Image.new("RGB", (img_w, img_h), BACKGROUND)
    draw = ImageDraw.Draw(img)

    y = MARGIN
    if pages:
        # A one-pixel frame: free units are nearly white, like the page.
        draw.rectangle([x0 - 1, y0 - 1, x0 + map_w, y0 + map_h], outline=FRAME)
        colours = {c: rgb for c, (_, rgb) in CODES.items()}
        row = Image.new("RGB", (width, 1))
        for i, page in enumerate(pages):
            # One pixel per unit, scaled without smoothing.
            row.putdata([colours[c] for c in page[3]])
            img.paste(row.resize((map_w, row_h), Image.NEAREST), (x0, y0 + i * pitch))
            if i < len(pages) - 1:
                draw.line([x0, y0 + i * pitch + row_h, x0 + map_w - 1,
                           y0 + i * pitch + row_h], fill=BACKGROUND)
        # Page ids in the gutter, as often as they fit without overlapping.
        every = -(-line_h // pitch)
        for i in range(0, len(pages), every):
            label = str(pages[i][0])
            tw, th = text_size(label)
            ty = y0 + i * pitch + (row_h - th) // 2 - 1
            draw.text((x0 - 3 - tw, max(ty, 0)), label, fill=TEXT, font=font)
        y += map_h + 2 + MARGIN

    x = MARGIN
    for label, rgb in legend:
        draw.rectangle([x, y + 1, x + swatch - 1, y + swatch], fill=rgb, outline=FRAME)
        x += swatch + 4
        draw.text((x, y), label, fill=TEXT, font=font)
        x += text_size(label)[0] + 16
    y += line_h + MARGIN

    for s in caption:
        draw.text((MARGIN, y), s, fill=TEXT, font=font)
        y += line_h
    return img


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("status", help="saved /sys/kernel/debug/smalloc/status")
    ap.add_argument("--stats", help="saved /sys/kernel/debug/smalloc/stats")
    ap.add_argument("-o", "--output", required=True, help="PNG file to write")
    ap.add_argument("--scale", type=int, default=2,
                    help="pixels per unit, each way (default 2)")
    args = ap.parse_args(argv)
    if not 1 <= args.scale <= 16:
        ap.error("--scale must be 1..16")
    try:
        with open(args.status, encoding="ascii") as f:
            header, pages = parse_status(f.read())
        stats = []
        if args.stats:
            with open(args.stats, encoding="ascii") as f:
                stats = parse_stats(f.read())
    except (OSError, UnicodeDecodeError, FormatError) as e:
        print(f"status_png: {e}", file=sys.stderr)
        return 1
    render(header, pages, stats, args.scale).save(args.output, optimize=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
