"""domain/ holds rules only: no Slack, HTTP, SQL or web framework may be imported there."""

import ast
from pathlib import Path

import domain

FORBIDDEN = (
    "slack_bolt",
    "slack_sdk",
    "litestar",
    "sqlalchemy",
    "httpx",
    "aiohttp",
    "alembic",
    "bot",
    "commands",
    "storage",
    "api",
    "scheduler",
)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_domain_imports_nothing_from_the_edges():
    root = Path(domain.__file__).parent
    offenders = {
        str(path.relative_to(root.parent)): sorted(imported_modules(path) & set(FORBIDDEN))
        for path in root.rglob("*.py")
    }
    offenders = {path: names for path, names in offenders.items() if names}
    assert offenders == {}
