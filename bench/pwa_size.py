"""First-load weight of the PWA: every file the shell loads, raw and gzipped (budget: JS+CSS
well under 100 KB gzipped). Figures -> bench/results/pwa_size.json"""
import gzip
from pathlib import Path

from bench.common import write_result

WEB = Path(__file__).resolve().parent.parent / "web"
FIRST_LOAD = ["index.html", "app.css", "app.js", "manifest.webmanifest", "sw.js"]


def main() -> dict:
    files = {name: {"bytes": (WEB / name).stat().st_size,
                    "gzip_bytes": len(gzip.compress((WEB / name).read_bytes(), 9))} for name in FIRST_LOAD}
    js_css = sum(files[n]["gzip_bytes"] for n in ("app.js", "app.css"))
    figures = {"files": files, "js_css_gzip_bytes": js_css, "budget_bytes": 100_000,
               "all_first_load_gzip_bytes": sum(f["gzip_bytes"] for f in files.values())}
    write_result("pwa_size", figures)
    return figures


if __name__ == "__main__":
    main()
