"""Element values in Slack's exact interaction shapes (``view.state.values`` and ``actions[]``).

Tests give simple values (a string, an option value, a list of user ids); these helpers turn
them into what Slack sends, and fail loudly where a real user could not have picked them.
"""

from __future__ import annotations

from typing import Any

from bot.sandbox.blockkit import iter_elements

# element type → (state key, initial-value key in the element, whether it holds a list)
_SCALAR_SHAPES: dict[str, tuple[str, str, bool]] = {
    "plain_text_input": ("value", "initial_value", False),
    "email_text_input": ("value", "initial_value", False),
    "url_text_input": ("value", "initial_value", False),
    "number_input": ("value", "initial_value", False),
    "users_select": ("selected_user", "initial_user", False),
    "multi_users_select": ("selected_users", "initial_users", True),
    "conversations_select": ("selected_conversation", "initial_conversation", False),
    "multi_conversations_select": ("selected_conversations", "initial_conversations", True),
    "channels_select": ("selected_channel", "initial_channel", False),
    "multi_channels_select": ("selected_channels", "initial_channels", True),
    "datepicker": ("selected_date", "initial_date", False),
    "timepicker": ("selected_time", "initial_time", False),
    "datetimepicker": ("selected_date_time", "initial_date_time", False),
}
_OPTION_SHAPES: dict[str, tuple[str, bool]] = {
    "static_select": ("selected_option", False),
    "external_select": ("selected_option", False),
    "radio_buttons": ("selected_option", False),
    "overflow": ("selected_option", False),
    "multi_static_select": ("selected_options", True),
    "multi_external_select": ("selected_options", True),
    "checkboxes": ("selected_options", True),
}
# Elements that carry no state of their own in view.state.values.
STATELESS = {"button", "overflow", "workflow_button"}


def element_options(element: dict[str, Any]) -> list[dict[str, Any]]:
    options = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        options.extend(group.get("options") or [])
    return options


def _pick_options(element: dict[str, Any], values: list[str]) -> list[dict[str, Any]]:
    if element["type"] in ("external_select", "multi_external_select"):
        return [{"text": {"type": "plain_text", "text": v}, "value": v} for v in values]
    options = {option.get("value"): option for option in element_options(element)}
    unknown = [value for value in values if value not in options]
    if unknown:
        raise AssertionError(
            f"{element['type']} {element.get('action_id')!r} has no option {unknown[0]!r}; "
            f"its options are {sorted(k for k in options if k is not None)}"
        )
    return [options[value] for value in values]


def _check_text_input(element: dict[str, Any], value: Any) -> None:
    if element["type"] != "plain_text_input" or not isinstance(value, str):
        return
    max_length, min_length = element.get("max_length"), element.get("min_length")
    if max_length is not None and len(value) > max_length:
        raise AssertionError(
            f"{element.get('action_id')!r} accepts at most {max_length} characters; "
            "Slack would not let the user type more"
        )
    if min_length is not None and value and len(value) < min_length:
        raise AssertionError(
            f"{element.get('action_id')!r} needs at least {min_length} characters; "
            "Slack would not let the user submit"
        )


def selection(element: dict[str, Any], value: Any) -> dict[str, Any]:
    """The selection fields for ``value`` (None: nothing chosen), e.g. {"selected_user": "U1"}."""
    kind = element["type"]
    if kind in _OPTION_SHAPES:
        key, is_list = _OPTION_SHAPES[kind]
        if value is None:
            return {key: [] if is_list else None}
        values = [value] if isinstance(value, str) else list(value)
        picked = _pick_options(element, [str(v) for v in values])
        return {key: picked if is_list else picked[0]}
    if kind in _SCALAR_SHAPES:
        key, _, is_list = _SCALAR_SHAPES[kind]
        if is_list:
            return {key: [] if value is None else ([value] if isinstance(value, str) else value)}
        _check_text_input(element, value)
        if kind == "number_input" and value is not None:
            value = str(value)
        shaped = {key: value}
        if kind == "timepicker" and "timezone" in element:
            shaped["timezone"] = element["timezone"]
        return shaped
    if kind == "rich_text_input":
        if value is None:
            return {"rich_text_value": element.get("initial_value")}
        section = {"type": "rich_text_section", "elements": [{"type": "text", "text": value}]}
        return {"rich_text_value": {"type": "rich_text", "elements": [section]}}
    raise AssertionError(f"the simulator cannot enter a value into a {kind} element")


def initial_state(element: dict[str, Any]) -> dict[str, Any]:
    """The state an untouched element reports: its initial value, if any."""
    kind = element["type"]
    if kind in _OPTION_SHAPES:
        key, is_list = _OPTION_SHAPES[kind]
        initial = element.get("initial_options" if is_list else "initial_option")
        return {"type": kind, key: initial if initial is not None else ([] if is_list else None)}
    if kind in _SCALAR_SHAPES:
        key, initial_key, is_list = _SCALAR_SHAPES[kind]
        initial = element.get(initial_key)
        return {"type": kind, key: initial if initial is not None else ([] if is_list else None)}
    return {"type": kind, **selection(element, None)}


def has_value(state: dict[str, Any]) -> bool:
    return any(value not in (None, [], "") for key, value in state.items() if key != "type")


def default_state(blocks: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """view.state.values for a surface nobody has touched yet."""
    values: dict[str, dict[str, Any]] = {}
    for block, element in iter_elements(blocks):
        if element["type"] not in STATELESS:
            values.setdefault(block["block_id"], {})[element["action_id"]] = initial_state(element)
    return values


def locate(blocks: list[dict[str, Any]], key: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The (block, element) that ``key`` ("action_id" or "block_id.action_id") names."""
    # Compared whole, not split at a dot: action ids are dotted by convention ("req.approve").
    matches = [
        (block, element)
        for block, element in iter_elements(blocks)
        if key in (element.get("action_id"), f"{block['block_id']}.{element.get('action_id')}")
    ]
    if not matches:
        present = [f"{b['block_id']}.{e['action_id']}" for b, e in iter_elements(blocks)]
        raise AssertionError(f"no element {key!r} here; present: {present}")
    if len(matches) > 1:
        where = [f"{b['block_id']}.{e['action_id']}" for b, e in matches]
        raise AssertionError(f"{key!r} is ambiguous; name one of {where}")
    return matches[0]


def apply_values(
    blocks: list[dict[str, Any]],
    current: dict[str, dict[str, Any]],
    values: dict[str, Any],
) -> dict[str, dict[str, Any]]:
    """New state values: ``current`` (or defaults) with ``values`` entered by the user."""
    state = default_state(blocks)
    for block_id, entries in current.items():
        for action_id, entry in entries.items():
            if action_id in state.get(block_id, {}):
                state[block_id][action_id] = entry
    for key, value in values.items():
        block, element = locate(blocks, key)
        if element["type"] in STATELESS:
            raise AssertionError(f"{key!r} is a {element['type']}; use click() for it")
        state[block["block_id"]][element["action_id"]] = {
            "type": element["type"],
            **selection(element, value),
        }
    return state


def missing_required(blocks: list[dict[str, Any]], state: dict[str, dict[str, Any]]) -> list[str]:
    """Required input blocks left empty: Slack's client refuses to submit those."""
    missing = []
    for block, element in iter_elements(blocks):
        if block.get("type") == "input" and not block.get("optional", False):
            entry = state.get(block["block_id"], {}).get(element["action_id"], {})
            if not has_value(entry):
                missing.append(f"{block['block_id']}.{element['action_id']}")
    return missing
