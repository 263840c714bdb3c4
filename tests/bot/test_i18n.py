"""Both languages are complete, and every message key the code uses exists."""

import ast
from pathlib import Path

import pytest

from bot.i18n import LANGUAGES, Translator, catalog, language_for, placeholders

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    p
    for d in ("bot", "commands", "domain", "api", "scheduler", "storage")
    for p in (ROOT / d).rglob("*.py")
]
ERROR_CLASSES = {
    "DomainError",
    "NotFound",
    "PermissionDenied",
    "Conflict",
    "InvalidTransition",
    "UsageError",
}


def test_every_language_has_every_key():
    english = catalog("en")
    for language in LANGUAGES:
        missing = sorted(set(english) - set(catalog(language)))
        extra = sorted(set(catalog(language)) - set(english))
        assert missing == [], f"{language} misses {missing[:20]}"
        assert extra == [], f"{language} has keys English lacks: {extra[:20]}"


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_translations_keep_the_placeholders(language):
    english, other = catalog("en"), catalog(language)
    wrong = {
        key: (sorted(placeholders(english[key])), sorted(placeholders(other[key])))
        for key in english
        if key in other and placeholders(english[key]) != placeholders(other[key])
    }
    assert wrong == {}


def _keys_used(path: Path) -> set[str]:
    """String literals passed where a message key is expected."""
    keys: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        positions: list[int] = []
        if name == "t" or name in ERROR_CLASSES:
            positions = [0]
        elif (name in ("single", "add") and len(node.args) >= 2) or (
            name == "sub" and len(node.args) >= 2
        ):
            positions = [1]
        for position in positions:
            if len(node.args) > position:
                arg = node.args[position]
                if (
                    isinstance(arg, ast.Constant)
                    and isinstance(arg.value, str)
                    and "." in arg.value
                ):
                    keys.add(arg.value)
    return keys


def test_every_key_used_in_code_exists():
    english = catalog("en")
    missing = {
        str(path.relative_to(ROOT)): sorted(k for k in _keys_used(path) if k not in english)
        for path in SOURCES
    }
    assert {path: keys for path, keys in missing.items() if keys} == {}


def test_translator_formats_and_falls_back_visibly():
    t = Translator("zh-CN")
    assert "bob" in t("admin.role.granted", grant="admin", user="bob")
    assert t("no.such.key") == "no.such.key"
    assert Translator("fr").language == "en"


@pytest.mark.parametrize(
    ("slack", "expected"),
    [
        ("zh-CN", "zh-CN"),
        ("zh-TW", "zh-CN"),
        ("en-GB", "en"),
        ("ja-JP", "en"),
        (None, "en"),
    ],
)
def test_slack_locale_maps_to_a_supported_language(slack, expected):
    assert language_for(slack) == expected
