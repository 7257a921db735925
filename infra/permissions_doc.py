"""Writes docs/permissions.md from chalicelib/core/roles.py (a test keeps them equal)."""
from pathlib import Path

from chalicelib.core.roles import PERMISSIONS, ROLE_PERMISSIONS, Role

DOC = Path(__file__).resolve().parent.parent / "docs" / "permissions.md"


def render() -> str:
    roles = list(Role)
    lines = ["# Roles and permissions", "",
             "Generated from `chalicelib/core/roles.py` by `python -m infra.permissions_doc`; the server checks",
             "exactly this table on every route (`tests/test_permissions_and_contract.py`).", "",
             "| permission | meaning | " + " | ".join(r.value for r in roles) + " |",
             "|---|---|" + "---|" * len(roles)]
    for name, meaning in PERMISSIONS.items():
        marks = " | ".join("✓" if name in ROLE_PERMISSIONS[r] else "" for r in roles)
        lines.append(f"| `{name}` | {meaning} | {marks} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    DOC.write_text(render())
    print(DOC)
