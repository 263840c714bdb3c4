"""One translation mechanism for every user-facing text.

Catalogues are flat JSON files per area and language under `locales/<lang>/<area>.json`; keys are
dotted (`req.card.title`) and values use `{name}` placeholders. English is complete by definition;
a test fails when another language misses a key or a placeholder.
"""

from __future__ import annotations

import json
import string
from collections.abc import Mapping
from functools import cache
from pathlib import Path

LOCALES_DIR = Path(__file__).parent / "locales"
LANGUAGES = ("en", "zh-CN")
DEFAULT_LANGUAGE = "en"


@cache
def catalog(language: str) -> Mapping[str, str]:
    merged: dict[str, str] = {}
    for path in sorted((LOCALES_DIR / language).glob("*.json")):
        entries = json.loads(path.read_text(encoding="utf-8"))
        duplicates = merged.keys() & entries.keys()
        if duplicates:
            raise ValueError(f"{path}: keys defined twice: {sorted(duplicates)[:5]}")
        merged.update(entries)
    return merged


def language_for(slack_locale: str | None, default: str = DEFAULT_LANGUAGE) -> str:
    """Map a Slack locale (`zh-CN`, `zh-TW`, `en-US`, `ja-JP`…) onto a supported language."""
    if not slack_locale:
        return default
    lowered = slack_locale.lower()
    if lowered.startswith("zh"):
        return "zh-CN"
    if lowered.startswith("en"):
        return "en"
    return default


class _Params(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class Translator:
    def __init__(self, language: str = DEFAULT_LANGUAGE) -> None:
        self.language = language if language in LANGUAGES else DEFAULT_LANGUAGE
        self._messages = catalog(self.language)
        self._fallback = catalog(DEFAULT_LANGUAGE)

    def __call__(self, key: str, /, **params: object) -> str:
        template = self._messages.get(key) or self._fallback.get(key)
        if template is None:
            return key  # visible, and the catalogue test names the key
        return string.Formatter().vformat(template, (), _Params(params))

    def has(self, key: str) -> bool:
        return key in self._fallback


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
