"""The import rules of docs/architecture.md, checked on the source: areas depend on each other in
one declared order (no circles), an area reaches another only through its use cases (never its
store), and only the unit of work and the stores touch PynamoDB's items."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "chalicelib"
# Each area may import only areas to its left; flows (use cases spanning areas) may import all.
ORDER = ["core", "audit", "catalog", "stock", "staff", "customers", "orders", "channels", "carriers", "live",
         "invoices", "reports", "alerts", "flows"]
STORE_MODULES = ("store", "records", "table")


def _modules():
    for path in sorted(ROOT.rglob("*.py")):
        area = path.relative_to(ROOT).parts[0]
        if area.endswith(".py"):
            continue
        yield area, path, ast.parse(path.read_text(encoding="utf-8"))


def _imports(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("chalicelib."):
            parts = node.module.split(".")
            names = [a.name for a in node.names]
            yield parts[1], parts[2:] + ([n for n in names] if len(parts) == 2 else []), node.lineno
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("chalicelib."):
                    yield alias.name.split(".")[1], alias.name.split(".")[2:], node.lineno


def test_every_area_is_in_the_declared_order():
    areas = {area for area, _, _ in _modules()}
    assert areas <= set(ORDER), f"add {sorted(areas - set(ORDER))} to ORDER (and docs/architecture.md)"


@pytest.mark.parametrize("area", ORDER)
def test_an_area_imports_only_areas_before_it(area):
    allowed = set(ORDER) if area == "flows" else set(ORDER[:ORDER.index(area) + 1])
    wrong = [f"{path.relative_to(ROOT)}:{line} imports {target}"
             for a, path, tree in _modules() if a == area
             for target, _, line in _imports(tree) if target not in allowed]
    assert not wrong, wrong


def test_no_area_reaches_into_another_areas_store():
    wrong = [f"{path.relative_to(ROOT)}:{line} imports {target}.{'.'.join(rest)}"
             for area, path, tree in _modules()
             for target, rest, line in _imports(tree)
             if target != area and target != "core" and rest and rest[0] in STORE_MODULES]
    assert not wrong, wrong


def test_only_stores_and_the_unit_of_work_speak_pynamodb():
    allowed = {"store.py", "records.py", "table.py", "uow.py", "paging.py"}
    wrong = [str(path.relative_to(ROOT)) for _, path, tree in _modules()
             if path.name not in allowed and any(
                 isinstance(n, ast.ImportFrom) and (n.module or "").startswith("pynamodb") for n in ast.walk(tree))]
    assert not wrong, wrong


def test_import_app_loads_no_database_client():
    """Cold start: route modules name their use cases lazily (core/lazy.py), so `import app`
    declares routes and schemas only; PynamoDB and botocore load with the first request."""
    import subprocess
    import sys

    loaded = subprocess.run([sys.executable, "-c", "import sys, app; print(' '.join(sorted(sys.modules)))"],
                            capture_output=True, text=True, check=True, cwd=ROOT.parent).stdout.split()
    assert [m for m in loaded if m.split(".")[0] in ("pynamodb", "botocore", "jinja2", "cryptography", "urllib3")] == []
