"""Block Kit text objects and interactive elements, checked against Slack's documented limits.

Each check appends ``"<json-pointer>: <problem>"`` strings to a :class:`Problems` list.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

TEXT_TYPES = ("plain_text", "mrkdwn")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, path: str, problem: str) -> None:
        self.items.append(f"{path or '/'}: {problem}")


def check_text(
    out: Problems,
    obj: Any,
    path: str,
    *,
    max_len: int | None = None,
    plain_only: bool = False,
    required: bool = True,
) -> None:
    if obj is None:
        if required:
            out.add(path, "is required")
        return
    if not isinstance(obj, dict):
        out.add(path, "must be a text object {type, text}")
        return
    allowed = ("plain_text",) if plain_only else TEXT_TYPES
    if obj.get("type") not in allowed:
        out.add(f"{path}/type", f"must be {' or '.join(allowed)} (got {obj.get('type')!r})")
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        out.add(f"{path}/text", "must be a non-empty string")
    elif max_len is not None and len(text) > max_len:
        out.add(f"{path}/text", f"must be at most {max_len} characters (got {len(text)})")


def check_str(
    out: Problems,
    obj: dict[str, Any],
    key: str,
    path: str,
    *,
    max_len: int,
    required: bool = False,
) -> None:
    value = obj.get(key)
    if value is None:
        if required:
            out.add(f"{path}/{key}", "is required")
        return
    if not isinstance(value, str) or (required and not value):
        out.add(f"{path}/{key}", "must be a non-empty string" if required else "must be a string")
    elif len(value) > max_len:
        out.add(f"{path}/{key}", f"must be at most {max_len} characters (got {len(value)})")


def check_confirm(out: Problems, obj: Any, path: str) -> None:
    if obj is None:
        return
    if not isinstance(obj, dict):
        out.add(path, "must be a confirmation dialog object")
        return
    check_text(out, obj.get("title"), f"{path}/title", max_len=100, plain_only=True)
    check_text(out, obj.get("text"), f"{path}/text", max_len=300)
    check_text(out, obj.get("confirm"), f"{path}/confirm", max_len=30, plain_only=True)
    check_text(out, obj.get("deny"), f"{path}/deny", max_len=30, plain_only=True)
    _check_style(out, obj, path)


def _check_style(out: Problems, obj: dict[str, Any], path: str) -> None:
    if "style" in obj and obj["style"] not in ("primary", "danger"):
        out.add(f"{path}/style", f"must be primary or danger (got {obj['style']!r})")


def _check_options(
    out: Problems,
    options: Any,
    path: str,
    *,
    min_count: int,
    max_count: int,
    plain_only: bool = True,
) -> list[str]:
    """Checks an options array and returns the option values it declares."""
    if not isinstance(options, list):
        out.add(path, "must be an array of option objects")
        return []
    if not min_count <= len(options) <= max_count:
        out.add(path, f"must hold {min_count}-{max_count} options (got {len(options)})")
    values: list[str] = []
    for i, option in enumerate(options):
        opt_path = f"{path}/{i}"
        if not isinstance(option, dict):
            out.add(opt_path, "must be an option object")
            continue
        check_text(out, option.get("text"), f"{opt_path}/text", max_len=75, plain_only=plain_only)
        check_str(out, option, "value", opt_path, max_len=150, required=True)
        check_text(
            out, option.get("description"), f"{opt_path}/description", max_len=75, required=False
        )
        check_str(out, option, "url", opt_path, max_len=3000)
        if isinstance(option.get("value"), str):
            values.append(option["value"])
    return values


def _check_initial_options(
    out: Problems, element: dict[str, Any], path: str, values: Iterable[str]
) -> None:
    known = set(values)
    initial = element.get("initial_option")
    initials = [initial] if initial is not None else list(element.get("initial_options") or [])
    key = "initial_option" if initial is not None else "initial_options"
    for option in initials:
        if not isinstance(option, dict) or option.get("value") not in known:
            out.add(f"{path}/{key}", "must be one of the element's options")


def _select_with_options(multi: bool) -> Callable[[Problems, dict[str, Any], str], None]:
    def check(out: Problems, element: dict[str, Any], path: str) -> None:
        _placeholder_only(out, element, path)
        options, groups = element.get("options"), element.get("option_groups")
        if (options is None) == (groups is None):
            out.add(path, "needs exactly one of options or option_groups")
            return
        values: list[str] = []
        if options is not None:
            values = _check_options(out, options, f"{path}/options", min_count=1, max_count=100)
        else:
            if not isinstance(groups, list) or not 1 <= len(groups) <= 100:
                out.add(f"{path}/option_groups", "must hold 1-100 option groups")
                groups = groups if isinstance(groups, list) else []
            for i, group in enumerate(groups):
                group_path = f"{path}/option_groups/{i}"
                group = group if isinstance(group, dict) else {}
                check_text(
                    out, group.get("label"), f"{group_path}/label", max_len=75, plain_only=True
                )
                values += _check_options(
                    out, group.get("options"), f"{group_path}/options", min_count=1, max_count=100
                )
        _check_initial_options(out, element, path, values)
        if multi and "max_selected_items" in element:
            count = element["max_selected_items"]
            if not isinstance(count, int) or count < 1:
                out.add(f"{path}/max_selected_items", "must be an integer of at least 1")

    return check


def _placeholder_only(out: Problems, element: dict[str, Any], path: str) -> None:
    placeholder = element.get("placeholder")
    check_text(
        out, placeholder, f"{path}/placeholder", max_len=150, plain_only=True, required=False
    )


def _button(out: Problems, element: dict[str, Any], path: str) -> None:
    check_text(out, element.get("text"), f"{path}/text", max_len=75, plain_only=True)
    check_str(out, element, "value", path, max_len=2000)
    check_str(out, element, "url", path, max_len=3000)
    _check_style(out, element, path)


def _overflow(out: Problems, element: dict[str, Any], path: str) -> None:
    _check_options(out, element.get("options"), f"{path}/options", min_count=2, max_count=5)


def _choice_group(out: Problems, element: dict[str, Any], path: str) -> None:
    values = _check_options(
        out, element.get("options"), f"{path}/options", min_count=1, max_count=10, plain_only=False
    )
    _check_initial_options(out, element, path, values)


def _datepicker(out: Problems, element: dict[str, Any], path: str) -> None:
    _placeholder_only(out, element, path)
    initial = element.get("initial_date")
    if initial is not None and not (isinstance(initial, str) and _DATE.match(initial)):
        out.add(f"{path}/initial_date", "must be YYYY-MM-DD")


def _timepicker(out: Problems, element: dict[str, Any], path: str) -> None:
    _placeholder_only(out, element, path)
    initial = element.get("initial_time")
    if initial is not None and not (isinstance(initial, str) and _TIME.match(initial)):
        out.add(f"{path}/initial_time", "must be HH:mm (24-hour)")


def _datetimepicker(out: Problems, element: dict[str, Any], path: str) -> None:
    initial = element.get("initial_date_time")
    if initial is not None and not isinstance(initial, int):
        out.add(f"{path}/initial_date_time", "must be a UNIX timestamp in seconds")


def _plain_text_input(out: Problems, element: dict[str, Any], path: str) -> None:
    _placeholder_only(out, element, path)
    bounds = {}
    for key in ("min_length", "max_length"):
        value = element.get(key)
        if value is None:
            continue
        if not isinstance(value, int) or not 0 <= value <= 3000:
            out.add(f"{path}/{key}", "must be an integer from 0 to 3000")
        else:
            bounds[key] = value
    if bounds.get("min_length", 0) > bounds.get("max_length", 3000):
        out.add(f"{path}/min_length", "must not exceed max_length")
    initial = element.get("initial_value")
    if isinstance(initial, str) and len(initial) > bounds.get("max_length", 3000):
        out.add(f"{path}/initial_value", "is longer than max_length")


def _number_input(out: Problems, element: dict[str, Any], path: str) -> None:
    _placeholder_only(out, element, path)
    if not isinstance(element.get("is_decimal_allowed"), bool):
        out.add(f"{path}/is_decimal_allowed", "is required and must be a boolean")


def image_element(out: Problems, element: dict[str, Any], path: str) -> None:
    if "image_url" not in element and "slack_file" not in element:
        out.add(f"{path}/image_url", "is required (or slack_file)")
    check_str(out, element, "image_url", path, max_len=3000)
    check_str(out, element, "alt_text", path, max_len=2000, required=True)


def _nothing_more(out: Problems, element: dict[str, Any], path: str) -> None:
    """Elements whose remaining fields have no documented limits."""


ELEMENT_CHECKS: dict[str, Callable[[Problems, dict[str, Any], str], None]] = {
    "button": _button,
    "overflow": _overflow,
    "static_select": _select_with_options(multi=False),
    "multi_static_select": _select_with_options(multi=True),
    "external_select": _placeholder_only,
    "multi_external_select": _placeholder_only,
    "users_select": _placeholder_only,
    "multi_users_select": _placeholder_only,
    "conversations_select": _placeholder_only,
    "multi_conversations_select": _placeholder_only,
    "channels_select": _placeholder_only,
    "multi_channels_select": _placeholder_only,
    "checkboxes": _choice_group,
    "radio_buttons": _choice_group,
    "datepicker": _datepicker,
    "timepicker": _timepicker,
    "datetimepicker": _datetimepicker,
    "plain_text_input": _plain_text_input,
    "number_input": _number_input,
    "email_text_input": _placeholder_only,
    "url_text_input": _placeholder_only,
    "rich_text_input": _placeholder_only,
    "image": image_element,
    "workflow_button": _nothing_more,
}

_SELECTS = {name for name in ELEMENT_CHECKS if name.endswith("_select")}
_PICKERS = {"datepicker", "timepicker", "datetimepicker", "checkboxes", "radio_buttons"}
SECTION_ACCESSORIES = {"button", "overflow", "image", "workflow_button"} | _SELECTS | _PICKERS
ACTIONS_ELEMENTS = (
    {"button", "overflow", "workflow_button", "rich_text_input"} | _SELECTS | _PICKERS
)
INPUT_ELEMENTS = (
    {"plain_text_input", "number_input", "email_text_input", "url_text_input", "rich_text_input"}
    | _SELECTS
    | _PICKERS
)
INTERACTIVE = set(ELEMENT_CHECKS) - {"image"}


def check_element(
    out: Problems, element: Any, path: str, allowed: set[str], action_ids: set[str]
) -> None:
    """Checks one element; ``action_ids`` collects ids to catch duplicates within the block."""
    if not isinstance(element, dict):
        out.add(path, "must be an element object")
        return
    kind = element.get("type")
    if kind not in ELEMENT_CHECKS:
        out.add(f"{path}/type", f"unknown element type {kind!r}")
        return
    if kind not in allowed:
        out.add(f"{path}/type", f"{kind} is not allowed here")
    if kind in INTERACTIVE:
        check_str(out, element, "action_id", path, max_len=255)
        action_id = element.get("action_id")
        if isinstance(action_id, str):
            if action_id in action_ids:
                out.add(f"{path}/action_id", f"duplicate action_id {action_id!r} in this block")
            action_ids.add(action_id)
        check_confirm(out, element.get("confirm"), f"{path}/confirm")
    ELEMENT_CHECKS[kind](out, element, path)
