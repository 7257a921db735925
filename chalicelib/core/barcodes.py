"""A small Code 128 encoder (code sets B and C, with the mod-103 check symbol) drawing inline SVG,
for every printed document a scanner reads: labels (tracking numbers), packing slips (shipment
and order ids). Pure, no I/O.

Set C packs two digits per symbol, so runs of digits are switched to C when that makes the code
shorter (4+ digits at the start or end, 6+ in the middle, or an all-digit even-length value);
everything else is set B (printable ASCII 32..126). Patterns: ISO/IEC 15417 symbol table, each
symbol 11 modules (bar, space, bar, space, bar, space widths); the stop symbol is 13 modules."""
from __future__ import annotations

PATTERNS = (
    "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212", "221213",
    "221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221", "223211", "221132",
    "221231", "213212", "223112", "312131", "311222", "321122", "321221", "312212", "322112", "322211",
    "212123", "212321", "232121", "111323", "131123", "131321", "112313", "132113", "132311", "211313",
    "231113", "231311", "112133", "112331", "132131", "113123", "113321", "133121", "313121", "211331",
    "231131", "213113", "213311", "213131", "311123", "311321", "331121", "312113", "312311", "332111",
    "314111", "221411", "431111", "111224", "111422", "121124", "121421", "141122", "141221", "112214",
    "112412", "122114", "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111",
    "111242", "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
    "214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311", "113141",
    "114131", "311141", "411131", "211412", "211214", "211232", "2331112",
)
START_B, START_C, CODE_B, CODE_C, STOP = 104, 105, 100, 99, 106


def _digit_run(text: str, start: int) -> int:
    end = start
    while end < len(text) and text[end].isdigit():
        end += 1
    return end - start


def symbols(text: str) -> list[int]:
    """Symbol values from the start symbol to the check symbol (the stop is added by `modules`)."""
    if not text:
        raise ValueError("Code 128 needs at least one character.")
    for ch in text:
        if not 32 <= ord(ch) <= 126:
            raise ValueError(f"Code 128 B/C cannot encode {ch!r}.")
    values: list[int] = []
    code_set = None

    def switch(to: str) -> None:
        nonlocal code_set
        if code_set != to:
            values.append((START_C if to == "C" else START_B) if code_set is None else (CODE_C if to == "C" else CODE_B))
            code_set = to

    i, n = 0, len(text)
    while i < n:
        run = _digit_run(text, i)
        at_start, at_end = i == 0, i + run == n
        worth_c = run >= 2 and (code_set == "C" or run >= (4 if at_start or at_end else 6)
                                or (at_start and at_end and run % 2 == 0))
        if worth_c:
            if run % 2 and code_set != "C" and not at_start:  # odd run after text: one digit in B, the rest paired
                switch("B")
                values.append(ord(text[i]) - 32)
                i, run = i + 1, run - 1
            switch("C")
            for _ in range(run // 2):
                values.append(int(text[i:i + 2]))
                i += 2
            continue
        switch("B")
        values.append(ord(text[i]) - 32)
        i += 1
    check = (values[0] + sum(position * value for position, value in enumerate(values[1:], start=1))) % 103
    return [*values, check]


def modules(text: str) -> str:
    """The symbol as a string of bar/space widths (e.g. '211214...2331112'), stop included."""
    return "".join(PATTERNS[v] for v in symbols(text)) + PATTERNS[STOP]


def bits(text: str) -> str:
    """The symbol as '1' (bar) and '0' (space) per module: handy to compare with other encoders."""
    out, bar = [], True
    for width in modules(text):
        out.append(("1" if bar else "0") * int(width))
        bar = not bar
    return "".join(out)


def svg(text: str, *, module: float = 1.5, height: float = 48, quiet: int = 10, label: bool = True) -> str:
    """Inline SVG (no external references): black bars on white with a quiet zone, text below."""
    from xml.sax.saxutils import escape

    pattern = bits(text)
    width = (len(pattern) + 2 * quiet) * module
    total_height = height + (14 if label else 0)
    rects, x, i = [], quiet * module, 0
    while i < len(pattern):
        run = 1
        while i + run < len(pattern) and pattern[i + run] == pattern[i]:
            run += 1
        if pattern[i] == "1":
            rects.append(f'<rect x="{x:g}" y="0" width="{run * module:g}" height="{height:g}"/>')
        x += run * module
        i += run
    caption = (f'<text x="{width / 2:g}" y="{total_height - 2:g}" font-family="monospace" font-size="12" '
               f'text-anchor="middle">{escape(text)}</text>') if label else ""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="barcode" width="{width:g}" height="{total_height:g}" '
            f'viewBox="0 0 {width:g} {total_height:g}" role="img" aria-label="{escape(text)}">'
            f'<rect width="100%" height="100%" fill="#fff"/><g fill="#000">{"".join(rects)}</g>{caption}</svg>')
