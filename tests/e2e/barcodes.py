"""EAN-13 barcodes drawn in pure Python, written as a Y4M video for Chromium's fake camera
(--use-file-for-fake-video-capture). Encoding per GS1 General Specifications §5.2 (EAN-13):
start 101, six left digits in sets A/B chosen by the first digit, centre 01010, six right digits
in set C, end 101; 95 modules, with a quiet zone of at least 11 modules on the left and 7 on the right."""
from pathlib import Path

SET_C = ["1110010", "1100110", "1101100", "1000010", "1011100", "1001110", "1010000", "1000100", "1001000", "1110100"]
SET_A = ["".join("1" if bit == "0" else "0" for bit in c) for c in SET_C]
SET_B = [c[::-1] for c in SET_C]
PARITY = ["AAAAAA", "AABABB", "AABBAB", "AABBBA", "ABAABB", "ABBAAB", "ABBBAA", "ABABAB", "ABABBA", "ABBABA"]


def check_digit(twelve: str) -> str:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(twelve))
    return str((10 - total % 10) % 10)


def ean13(twelve: str) -> str:
    """The 13-digit code for 12 digits (adds the check digit)."""
    assert len(twelve) == 12 and twelve.isdigit()
    return twelve + check_digit(twelve)


def modules(code: str) -> str:
    assert len(code) == 13 and check_digit(code[:12]) == code[12]
    first, left, right = int(code[0]), code[1:7], code[7:]
    sets = {"A": SET_A, "B": SET_B}
    bars = "101" + "".join(sets[p][int(d)] for p, d in zip(PARITY[first], left, strict=True))
    bars += "01010" + "".join(SET_C[int(d)] for d in right) + "101"
    assert len(bars) == 95
    return bars


def write_y4m(path: Path, code: str, width: int = 640, height: int = 480, module_px: int = 4, frames: int = 3) -> Path:
    """A grey-scale 4:2:0 video of the barcode, black bars on white, centred."""
    bars = modules(code)
    start_x = (width - len(bars) * module_px) // 2
    row = bytearray([255]) * width
    for n, bit in enumerate(bars):
        if bit == "1":
            row[start_x + n * module_px:start_x + (n + 1) * module_px] = bytes(module_px)
    blank = bytes([255]) * width
    top, bottom = height // 4, height * 3 // 4
    luma = b"".join(bytes(row) if top <= y < bottom else blank for y in range(height))
    chroma = bytes([128]) * ((width // 2) * (height // 2))
    frame = b"FRAME\n" + luma + chroma + chroma
    path.write_bytes(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode() + frame * frames)
    return path
