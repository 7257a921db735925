"""First-load weight of the PWA: every file the shell loads before it is usable, raw and gzipped
(budget: JS+CSS at most 60 KB gzipped). The JS set is found by following the static `import`s
from app.js, resolving bare names through index.html's importmap, so a new screen module is
counted without editing this file; dynamic `import()`s (the scanner polyfill, the QR library)
load later and are reported apart. Needs web/vendor/ (`make pwa-vendor`).
Figures -> bench/results/pwa_size.json"""
import gzip
import json
import posixpath
import re
from pathlib import Path

from bench.common import write_result

WEB = Path(__file__).resolve().parent.parent / "web"
BUDGET = 60_000
STATIC_IMPORT = re.compile(r"""(?:^|[;\n}])\s*(?:import|export)\s[^'"();]*?from\s*["']([^"']+)["']"""
                           r"""|(?:^|[;\n])\s*import\s*["']([^"']+)["']""")
DYNAMIC_IMPORT = re.compile(r"""import\(\s*["']([^"']+)["']\s*\)""")
SHELL = ["index.html", "app.css", "manifest.webmanifest", "sw.js"]


def import_map() -> dict[str, str]:
    found = re.search(r'<script type="importmap">(.*?)</script>', (WEB / "index.html").read_text(), re.S)
    return json.loads(found.group(1))["imports"] if found else {}


def _resolve(specifier: str, importer: str, imports: dict[str, str]) -> str:
    if specifier in imports:
        return imports[specifier].lstrip("/")
    if specifier.startswith("."):
        return posixpath.normpath(posixpath.join(posixpath.dirname(importer), specifier))
    return specifier.lstrip("/")


def module_graph(entry: str = "app.js") -> tuple[list[str], list[str]]:
    """(statically imported modules from entry, modules only reached through dynamic import())."""
    imports = import_map()
    seen, later, todo = [], set(), [entry]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.append(name)
        text = (WEB / name).read_text()
        for match in STATIC_IMPORT.finditer(text):
            todo.append(_resolve(match.group(1) or match.group(2), name, imports))
        for match in DYNAMIC_IMPORT.finditer(text):
            later.add(_resolve(match.group(1), name, imports))
    lazy, todo = [], sorted(later - set(seen))
    while todo:
        name = todo.pop()
        if name in seen or name in lazy:
            continue
        lazy.append(name)
        text = (WEB / name).read_text()
        todo += [_resolve(m.group(1) or m.group(2), name, imports) for m in STATIC_IMPORT.finditer(text)]
    return seen, lazy


def _sizes(names: list[str]) -> dict:
    return {name: {"bytes": (WEB / name).stat().st_size, "gzip_bytes": len(gzip.compress((WEB / name).read_bytes(), 9))}
            for name in names}


def main() -> dict:
    modules, lazy = module_graph()
    files = _sizes(SHELL + modules)
    js_css = sum(files[n]["gzip_bytes"] for n in ["app.css", *modules])
    later = _sizes(lazy + ["vendor/zxing_reader.wasm"])
    figures = {"files": files, "js_css_gzip_bytes": js_css, "budget_bytes": BUDGET, "within_budget": js_css <= BUDGET,
               "all_first_load_gzip_bytes": sum(f["gzip_bytes"] for f in files.values()),
               "loaded_later": later, "loaded_later_gzip_bytes": sum(f["gzip_bytes"] for f in later.values())}
    write_result("pwa_size", figures)
    return figures


if __name__ == "__main__":
    main()
