#!/usr/bin/env python3
"""Render a terminal screen captured with `tmux capture-pane -e -p` as a PNG.

    scripts/ansi2png.py INPUT.ans OUTPUT.png [--cols 140] [--rows 42] [--font-size 16]

Each character is one cell of a fixed grid (wide characters are not expected). SGR sequences
set the colours and attributes: 0 reset, 1 bold, 2 dim, 3 italic, 4 underline, 7 reverse,
9 strike, 22/23/24/27/29, 30-37/90-97 and 40-47/100-107, 39/49, 38;5;N / 48;5;N and
38;2;R;G;B / 48;2;R;G;B. Other escape sequences are skipped. Box-drawing lines are drawn as
lines rather than glyphs, so that borders always meet from cell to cell.

Needs Pillow and the DejaVu Sans Mono fonts (Debian: fonts-dejavu-core); --font-dir or
SOCKSCOPE_FONT_DIR points elsewhere.
"""

import argparse
import os
import re
import sys

try:
    from PIL import Image, ImageDraw, ImageFont
except ImportError:
    sys.exit("ansi2png: Pillow is missing (pip install pillow, or apt-get install python3-pil)")

DEFAULT_FONT_DIR = "/usr/share/fonts/truetype/dejavu"
FONT_FILES = {
    (False, False): "DejaVuSansMono.ttf",
    (True, False): "DejaVuSansMono-Bold.ttf",
    (False, True): "DejaVuSansMono-Oblique.ttf",
    (True, True): "DejaVuSansMono-BoldOblique.ttf",
}

# A dark terminal theme (the VS Code terminal palette): readable dark grey (8) included.
PALETTE = [
    (0x00, 0x00, 0x00), (0xCD, 0x31, 0x31), (0x0D, 0xBC, 0x79), (0xE5, 0xE5, 0x10),
    (0x24, 0x72, 0xC8), (0xBC, 0x3F, 0xBC), (0x11, 0xA8, 0xCD), (0xE5, 0xE5, 0xE5),
    (0x76, 0x76, 0x76), (0xF1, 0x4C, 0x4C), (0x23, 0xD1, 0x8B), (0xF5, 0xF5, 0x43),
    (0x3B, 0x8E, 0xEA), (0xD6, 0x70, 0xD6), (0x29, 0xB8, 0xDB), (0xFF, 0xFF, 0xFF),
]
DEFAULT_FG = (0xCC, 0xCC, 0xCC)
DEFAULT_BG = (0x1E, 0x1E, 0x1E)
MARGIN = 12


def color_256(n):
    if n < 16:
        return PALETTE[n]
    if n < 232:
        n -= 16
        levels = (0, 95, 135, 175, 215, 255)
        return (levels[n // 36], levels[(n // 6) % 6], levels[n % 6])
    v = 8 + 10 * (n - 232)
    return (v, v, v)


class Style:
    __slots__ = ("fg", "bg", "bold", "dim", "italic", "underline", "reverse", "strike", "hidden")

    def __init__(self):
        self.reset()

    def reset(self):
        self.fg = None  # None: the default colour; else an (r, g, b) tuple
        self.bg = None
        self.bold = self.dim = self.italic = self.underline = False
        self.reverse = self.strike = self.hidden = False

    def copy(self):
        s = Style()
        for k in self.__slots__:
            setattr(s, k, getattr(self, k))
        return s


def extended_color(params, i):
    """Parses 5;N or 2;R;G;B at params[i:]; returns (colour or None, next index)."""
    if i < len(params) and params[i] == 5 and i + 1 < len(params):
        return color_256(params[i + 1] % 256), i + 2
    if i < len(params) and params[i] == 2 and i + 3 < len(params):
        return tuple(max(0, min(255, v)) for v in params[i + 1:i + 4]), i + 4
    return None, len(params)


def apply_sgr(style, raw):
    # Colon sub-parameters (38:5:N, 4:3) are read like semicolons, except that 4:0 means off.
    if raw == "":
        style.reset()
        return
    groups = raw.split(";")
    params = []
    for g in groups:
        if ":" in g:
            sub = [int(x) if x.isdigit() else 0 for x in g.split(":")]
            if sub[0] == 4:
                style.underline = len(sub) < 2 or sub[1] != 0
                continue
            params.extend(sub)
        else:
            params.append(int(g) if g.isdigit() else 0)
    i = 0
    while i < len(params):
        p = params[i]
        i += 1
        if p == 0:
            style.reset()
        elif p == 1:
            style.bold = True
        elif p == 2:
            style.dim = True
        elif p == 3:
            style.italic = True
        elif p in (4, 21):
            style.underline = True
        elif p == 7:
            style.reverse = True
        elif p == 8:
            style.hidden = True
        elif p == 9:
            style.strike = True
        elif p == 22:
            style.bold = style.dim = False
        elif p == 23:
            style.italic = False
        elif p == 24:
            style.underline = False
        elif p == 27:
            style.reverse = False
        elif p == 28:
            style.hidden = False
        elif p == 29:
            style.strike = False
        elif 30 <= p <= 37:
            style.fg = PALETTE[p - 30]
        elif 90 <= p <= 97:
            style.fg = PALETTE[p - 90 + 8]
        elif 40 <= p <= 47:
            style.bg = PALETTE[p - 40]
        elif 100 <= p <= 107:
            style.bg = PALETTE[p - 100 + 8]
        elif p == 39:
            style.fg = None
        elif p == 49:
            style.bg = None
        elif p in (38, 48, 58):
            color, i = extended_color(params, i)
            if color is not None and p == 38:
                style.fg = color
            elif color is not None and p == 48:
                style.bg = color
        # Anything else (blink, fonts, overline, ...) is ignored.


# CSI ... final byte; OSC ... BEL or ST; other two-byte escapes.
ESCAPE = re.compile(r"\x1b(?:\[([0-9;:?<=>]*)([ -/]*[@-~])|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")


def parse(text, cols, rows):
    """Returns rows x cols cells of (char, Style); the style carries over from line to line."""
    style = Style()
    grid = []
    for line in text.split("\n")[:rows]:
        cells = []
        pos = 0
        for m in ESCAPE.finditer(line):
            for ch in line[pos:m.start()]:
                cells.append((ch, style.copy()))
            pos = m.end()
            if m.group(2) == "m":
                apply_sgr(style, m.group(1))
        for ch in line[pos:]:
            cells.append((ch, style.copy()))
        cells = [(c if c.isprintable() else " ", s) for c, s in cells if c != "\r"][:cols]
        while len(cells) < cols:
            cells.append((" ", style.copy()))
        grid.append(cells)
    while len(grid) < rows:
        grid.append([(" ", Style()) for _ in range(cols)])
    return grid


def blend(a, b, t):
    return tuple(round(x * (1 - t) + y * t) for x, y in zip(a, b))


def resolve(style):
    fg = style.fg if style.fg is not None else DEFAULT_FG
    bg = style.bg if style.bg is not None else DEFAULT_BG
    if style.reverse:
        fg, bg = bg, fg
    if style.dim:
        fg = blend(fg, bg, 0.45)
    if style.hidden:
        fg = bg
    return fg, bg


# Box drawing: which arms a character has (up, down, left, right) and their weight:
# 1 light, 2 heavy, 3 double. Characters not listed here fall back to the font.
def _arms():
    table = {}
    sets = {
        1: "─│┌┐└┘├┤┬┴┼",
        2: "━┃┏┓┗┛┣┫┳┻╋",
        3: "═║╔╗╚╝╠╣╦╩╬",
    }
    shapes = ["lr", "ud", "dr", "dl", "ur", "ul", "udr", "udl", "lrd", "lru", "udlr"]
    for weight, chars in sets.items():
        for ch, shape in zip(chars, shapes):
            table[ch] = {arm: weight for arm in shape}
    for ch, shape in zip("╴╵╶╷", ["l", "u", "r", "d"]):
        table[ch] = {shape: 1}
    for ch, shape in zip("╸╹╺╻", ["l", "u", "r", "d"]):
        table[ch] = {shape: 2}
    return table


BOX_ARMS = _arms()
ARCS = {"╭": "dr", "╮": "dl", "╯": "ul", "╰": "ur"}


def draw_box(draw, ch, x0, y0, w, h, fg):
    """Draws a box-drawing character as lines; returns False if it is not one we draw."""
    light = max(1, round(h / 18))
    cx = x0 + (w - light) // 2
    cy = y0 + (h - light) // 2
    x1, y1 = x0 + w - 1, y0 + h - 1

    def hline(xa, xb, y, t):
        if xa <= xb:
            draw.rectangle([xa, y, xb, y + t - 1], fill=fg)

    def vline(ya, yb, x, t):
        if ya <= yb:
            draw.rectangle([x, ya, x + t - 1, yb], fill=fg)

    if ch in ARCS:
        arms = ARCS[ch]
        r = max(1, min(w, h) // 2 - 1)
        # A quarter circle from the middle of one edge to the middle of the other.
        ox = cx + (r if "r" in arms else -r)
        oy = cy + (r if "d" in arms else -r)
        start = {"dr": 180, "dl": 270, "ul": 0, "ur": 90}[arms]
        draw.arc([ox - r, oy - r, ox + r + light - 1, oy + r + light - 1], start, start + 90,
                 fill=fg, width=light)
        if "r" in arms:
            hline(ox, x1, cy, light)
        if "l" in arms:
            hline(x0, ox, cy, light)
        if "d" in arms:
            vline(oy, y1, cx, light)
        if "u" in arms:
            vline(y0, oy, cx, light)
        return True
    arms = BOX_ARMS.get(ch)
    if arms is None:
        return False
    if 3 in arms.values():
        # Double lines: two parallel light lines, `g` pixels either side of the centre.
        g = max(2, light + 1)
        ups, downs, lefts, rights = ("u" in arms, "d" in arms, "l" in arms, "r" in arms)
        if lefts and rights and not ups and not downs:
            hline(x0, x1, cy - g, light)
            hline(x0, x1, cy + g, light)
            return True
        if ups and downs and not lefts and not rights:
            vline(y0, y1, cx - g, light)
            vline(y0, y1, cx + g, light)
            return True
        # Corners, tees and the cross: each arm is a pair of lines that stops short where
        # another arm turns off, so that the outer and inner lines meet.
        if lefts:
            hline(x0, cx - g if ups else cx + g, cy - g, light)
            hline(x0, cx - g if downs else cx + g, cy + g, light)
        if rights:
            hline(cx + g if ups else cx - g, x1, cy - g, light)
            hline(cx + g if downs else cx - g, x1, cy + g, light)
        if ups:
            vline(y0, cy - g if lefts else cy + g, cx - g, light)
            vline(y0, cy - g if rights else cy + g, cx + g, light)
        if downs:
            vline(cy + g if lefts else cy - g, y1, cx - g, light)
            vline(cy + g if rights else cy - g, y1, cx + g, light)
        return True
    for arm, weight in arms.items():
        t = light if weight == 1 else light * 2 + 1
        off = (t - light) // 2
        if arm == "l":
            hline(x0, cx + light - 1, cy - off, t)
        elif arm == "r":
            hline(cx, x1, cy - off, t)
        elif arm == "u":
            vline(y0, cy + light - 1, cx - off, t)
        elif arm == "d":
            vline(cy, y1, cx - off, t)
    return True


def load_fonts(font_dir, size):
    fonts = {}
    for key, name in FONT_FILES.items():
        path = os.path.join(font_dir, name)
        if os.path.exists(path):
            fonts[key] = ImageFont.truetype(path, size)
    if (False, False) not in fonts:
        sys.exit(f"ansi2png: {os.path.join(font_dir, FONT_FILES[(False, False)])} is missing "
                 "(Debian: apt-get install fonts-dejavu-core)")
    regular = fonts[(False, False)]
    fonts.setdefault((True, False), regular)
    fonts.setdefault((False, True), regular)
    fonts.setdefault((True, True), fonts[(True, False)])
    return fonts


def render(grid, fonts, size):
    regular = fonts[(False, False)]
    ascent, descent = regular.getmetrics()
    cw = round(regular.getlength("M"))
    ch = ascent + descent
    rows, cols = len(grid), len(grid[0])
    img = Image.new("RGB", (cols * cw + 2 * MARGIN, rows * ch + 2 * MARGIN), DEFAULT_BG)
    draw = ImageDraw.Draw(img)
    for r, row in enumerate(grid):
        y = MARGIN + r * ch
        for c, (char, style) in enumerate(row):
            x = MARGIN + c * cw
            fg, bg = resolve(style)
            if bg != DEFAULT_BG:
                draw.rectangle([x, y, x + cw - 1, y + ch - 1], fill=bg)
            if char != " " and not draw_box(draw, char, x, y, cw, ch, fg):
                font = fonts[(style.bold, style.italic)]
                draw.text((x, y + ascent), char, font=font, fill=fg, anchor="ls")
            if style.underline:
                uy = y + ascent + max(1, descent // 3)
                draw.line([x, uy, x + cw - 1, uy], fill=fg, width=max(1, size // 14))
            if style.strike:
                sy = y + ascent - ascent // 3
                draw.line([x, sy, x + cw - 1, sy], fill=fg, width=max(1, size // 14))
    return img


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("input", help="file written by `tmux capture-pane -e -p` (- for stdin)")
    ap.add_argument("output", help="PNG file to write")
    ap.add_argument("--cols", type=int, default=140)
    ap.add_argument("--rows", type=int, default=42)
    ap.add_argument("--font-size", type=int, default=16)
    ap.add_argument("--font-dir", default=os.environ.get("SOCKSCOPE_FONT_DIR", DEFAULT_FONT_DIR))
    args = ap.parse_args()
    if args.input == "-":
        text = sys.stdin.read()
    else:
        with open(args.input, encoding="utf-8", errors="replace") as f:
            text = f.read()
    fonts = load_fonts(args.font_dir, args.font_size)
    grid = parse(text, args.cols, args.rows)
    render(grid, fonts, args.font_size).save(args.output, optimize=True)


if __name__ == "__main__":
    main()
