"""Block Kit validation against Slack's documented limits.

``validate_blocks`` and ``validate_view`` return human-readable problems, each
``"<json-pointer>: <problem>"``; an empty list means Slack would accept the payload.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable, Iterator
from typing import Any, Literal

from bot.sandbox.blockkit_elements import (
    ACTIONS_ELEMENTS,
    INPUT_ELEMENTS,
    INTERACTIVE,
    SECTION_ACCESSORIES,
    Problems,
    check_element,
    check_str,
    check_text,
    image_element,
)

Surface = Literal["message", "modal", "home"]

MAX_BLOCKS: dict[str, int] = {"message": 50, "modal": 100, "home": 100}
_RICH_TEXT_PARTS = {
    "rich_text_section",
    "rich_text_list",
    "rich_text_preformatted",
    "rich_text_quote",
}
_TEXT_ELEMENT_TYPES = {"plain_text", "mrkdwn"}


def _section(out: Problems, block: dict[str, Any], path: str, action_ids: set[str]) -> None:
    text, fields = block.get("text"), block.get("fields")
    if text is None and fields is None:
        out.add(path, "section needs text or fields")
    check_text(out, text, f"{path}/text", max_len=3000, required=False)
    if fields is not None:
        if not isinstance(fields, list) or not 1 <= len(fields) <= 10:
            out.add(f"{path}/fields", "must hold 1-10 text objects")
            fields = fields if isinstance(fields, list) else []
        for i, field in enumerate(fields):
            check_text(out, field, f"{path}/fields/{i}", max_len=2000)
    if "accessory" in block:
        check_element(out, block["accessory"], f"{path}/accessory", SECTION_ACCESSORIES, action_ids)


def _header(out: Problems, block: dict[str, Any], path: str, action_ids: set[str]) -> None:
    check_text(out, block.get("text"), f"{path}/text", max_len=150, plain_only=True)


def _divider(out: Problems, block: dict[str, Any], path: str, action_ids: set[str]) -> None:
    """A divider carries nothing beyond block_id."""


def _element_list(
    out: Problems, block: dict[str, Any], path: str, max_count: int
) -> list[tuple[str, Any]]:
    elements = block.get("elements")
    if not isinstance(elements, list) or not 1 <= len(elements) <= max_count:
        out.add(f"{path}/elements", f"must hold 1-{max_count} elements")
        return []
    return [(f"{path}/elements/{i}", element) for i, element in enumerate(elements)]


def _context(out: Problems, block: dict[str, Any], path: str, action_ids: set[str]) -> None:
    for element_path, element in _element_list(out, block, path, 10):
        kind = element.get("type") if isinstance(element, dict) else None
        if kind in _TEXT_ELEMENT_TYPES:
            check_text(out, element, element_path)
        elif kind == "image":
            image_element(out, element, element_path)
        else:
            out.add(element_path, "context elements must be text objects or image elements")


def _actions(out: Problems, block: dict[str, Any], path: str, action_ids: set[str]) -> None:
    for element_path, element in _element_list(out, block, path, 25):
        check_element(out, element, element_path, ACTIONS_ELEMENTS, action_ids)


def _input(out: Problems, block: dict[str, Any], path: str, action_ids: set[str]) -> None:
    check_text(out, block.get("label"), f"{path}/label", max_len=2000, plain_only=True)
    check_text(
        out, block.get("hint"), f"{path}/hint", max_len=2000, plain_only=True, required=False
    )
    for flag in ("optional", "dispatch_action"):
        if flag in block and not isinstance(block[flag], bool):
            out.add(f"{path}/{flag}", "must be a boolean")
    if "element" not in block:
        out.add(f"{path}/element", "is required")
        return
    check_element(out, block["element"], f"{path}/element", INPUT_ELEMENTS, action_ids)


def _image(out: Problems, block: dict[str, Any], path: str, action_ids: set[str]) -> None:
    image_element(out, block, path)
    check_text(
        out, block.get("title"), f"{path}/title", max_len=2000, plain_only=True, required=False
    )


def _rich_text(out: Problems, block: dict[str, Any], path: str, action_ids: set[str]) -> None:
    elements = block.get("elements")
    if not isinstance(elements, list) or not elements:
        out.add(f"{path}/elements", "must be a non-empty array")
        return
    for i, element in enumerate(elements):
        kind = element.get("type") if isinstance(element, dict) else None
        if kind not in _RICH_TEXT_PARTS:
            out.add(f"{path}/elements/{i}/type", f"unknown rich text element {kind!r}")


def _file(out: Problems, block: dict[str, Any], path: str, action_ids: set[str]) -> None:
    check_str(out, block, "external_id", path, max_len=255, required=True)
    if block.get("source") != "remote":
        out.add(f"{path}/source", "must be 'remote'")


BLOCK_CHECKS: dict[str, Callable[[Problems, dict[str, Any], str, set[str]], None]] = {
    "section": _section,
    "header": _header,
    "divider": _divider,
    "context": _context,
    "actions": _actions,
    "input": _input,
    "image": _image,
    "rich_text": _rich_text,
    "file": _file,
}


def _check_blocks(out: Problems, blocks: Any, surface: Surface, base: str = "/blocks") -> None:
    if not isinstance(blocks, list):
        out.add(base, "must be an array of blocks")
        return
    limit = MAX_BLOCKS[surface]
    if len(blocks) > limit:
        out.add(base, f"a {surface} holds at most {limit} blocks (got {len(blocks)})")
    block_ids: set[str] = set()
    for i, block in enumerate(blocks):
        path = f"{base}/{i}"
        if not isinstance(block, dict):
            out.add(path, "must be a block object")
            continue
        kind = block.get("type")
        check = BLOCK_CHECKS.get(kind) if isinstance(kind, str) else None
        if check is None:
            out.add(f"{path}/type", f"unknown block type {kind!r}")
            continue
        check_str(out, block, "block_id", path, max_len=255)
        block_id = block.get("block_id")
        if isinstance(block_id, str):
            if block_id in block_ids:
                out.add(f"{path}/block_id", f"duplicate block_id {block_id!r}")
            block_ids.add(block_id)
        if kind == "input" and surface == "message":
            out.add(f"{path}/type", "input blocks are only allowed in modals and the home tab")
        # Slack requires action_id to be unique within its block, not across the surface.
        check(out, block, path, set())


def validate_blocks(blocks: Any, surface: Surface) -> list[str]:
    """Problems Slack would report for ``blocks`` on the given surface."""
    out = Problems()
    _check_blocks(out, blocks, surface)
    return out.items


def validate_view(view: Any) -> list[str]:
    """Problems Slack would report for a modal or home-tab view payload."""
    out = Problems()
    if not isinstance(view, dict):
        out.add("", "view must be a JSON object")
        return out.items
    kind = view.get("type")
    if kind not in ("modal", "home"):
        out.add("/type", f"must be modal or home (got {kind!r})")
        return out.items
    if kind == "modal":
        check_text(out, view.get("title"), "/title", max_len=24, plain_only=True)
        for key in ("submit", "close"):
            check_text(out, view.get(key), f"/{key}", max_len=24, plain_only=True, required=False)
        blocks = view.get("blocks")
        has_input = isinstance(blocks, list) and any(
            isinstance(b, dict) and b.get("type") == "input" for b in blocks
        )
        if has_input and view.get("submit") is None:
            out.add("/submit", "a modal with input blocks needs a submit button")
    check_str(out, view, "callback_id", "", max_len=255)
    check_str(out, view, "private_metadata", "", max_len=3000)
    check_str(out, view, "external_id", "", max_len=255)
    for flag in ("clear_on_close", "notify_on_close"):
        if flag in view and not isinstance(view[flag], bool):
            out.add(f"/{flag}", "must be a boolean")
    _check_blocks(out, view.get("blocks"), kind)
    return out.items


def slack_error_messages(problems: list[str], prefix: str = "") -> list[str]:
    """Problems in the ``[ERROR] ... [json-pointer:...]`` form of Slack's response_metadata."""
    messages = []
    for problem in problems:
        pointer, _, text = problem.partition(": ")
        full = prefix + ("" if pointer == "/" else pointer)
        messages.append(f"[ERROR] {text} [json-pointer:{full or '/'}]")
    return messages


def iter_elements(blocks: Any) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(block, element) for every interactive element: accessories, actions, input elements."""
    for block in blocks if isinstance(blocks, list) else []:
        if not isinstance(block, dict):
            continue
        candidates: list[Any] = []
        if block.get("type") == "section":
            candidates.append(block.get("accessory"))
        elif block.get("type") == "actions":
            candidates.extend(block.get("elements") or [])
        elif block.get("type") == "input":
            candidates.append(block.get("element"))
        for element in candidates:
            if isinstance(element, dict) and element.get("type") in INTERACTIVE:
                yield block, element


def _generated_id(seed: str, taken: set[str]) -> str:
    digest = hashlib.sha256(seed.encode()).hexdigest()
    for start in range(0, len(digest) - 5):
        candidate = digest[start : start + 5]
        if candidate not in taken:
            taken.add(candidate)
            return candidate
    raise RuntimeError("could not generate a unique id")


def with_generated_ids(blocks: list[Any]) -> list[Any]:
    """A copy of ``blocks`` with block_id and action_id filled in where the app left them
    out, as Slack does before storing a message or view."""
    result = copy.deepcopy(blocks)
    taken = {b["block_id"] for b in result if isinstance(b, dict) and b.get("block_id")}
    for index, block in enumerate(result):
        if isinstance(block, dict) and not block.get("block_id"):
            block["block_id"] = _generated_id(f"{index}:{block!r}", taken)
    taken_in_block: dict[str, set[str]] = {}
    for block, element in iter_elements(result):
        taken = taken_in_block.setdefault(block["block_id"], set())
        if element.get("action_id"):
            taken.add(element["action_id"])
    for block, element in iter_elements(result):
        if not element.get("action_id"):
            taken = taken_in_block[block["block_id"]]
            element["action_id"] = _generated_id(f"{block['block_id']}:{element!r}", taken)
    return result
