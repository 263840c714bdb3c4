"""Block Kit limits: for each, a payload just inside passes and one just outside fails."""

from __future__ import annotations

from typing import Any

import pytest

from bot.sandbox import FakeSlack, validate_blocks, validate_view


def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


def section(text: str = "hi", **extra: Any) -> dict[str, Any]:
    return {"type": "section", "text": mrkdwn(text), **extra}


def button(action_id: str = "go", text: str = "Go", **extra: Any) -> dict[str, Any]:
    return {"type": "button", "action_id": action_id, "text": plain(text), **extra}


def actions(*elements: dict[str, Any], block_id: str | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "actions", "elements": list(elements)}
    if block_id:
        block["block_id"] = block_id
    return block


def option(value: str, text: str = "Option") -> dict[str, Any]:
    return {"text": plain(text), "value": value}


def options(count: int) -> list[dict[str, Any]]:
    return [option(f"v{i}") for i in range(count)]


def select(opts: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"type": "static_select", "action_id": "pick", "options": opts, **extra}


def input_block(element: dict[str, Any], label: str = "Label", **extra: Any) -> dict[str, Any]:
    return {"type": "input", "label": plain(label), "element": element, **extra}


def modal(blocks: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    view = {"type": "modal", "title": plain("Title"), "submit": plain("Save"), "blocks": blocks}
    view.update(extra)
    return view


# (limit, surface, passing blocks, failing blocks, words the problem must contain)
BLOCK_CASES: list[tuple[str, str, list[Any], list[Any], str]] = [
    ("50 blocks per message", "message", [section()] * 50, [section()] * 51, "at most 50 blocks"),
    ("100 blocks per modal", "modal", [section()] * 100, [section()] * 101, "at most 100 blocks"),
    ("100 blocks per home", "home", [section()] * 100, [section()] * 101, "at most 100 blocks"),
    (
        "block_id length",
        "message",
        [section(block_id="b" * 255)],
        [section(block_id="b" * 256)],
        "at most 255",
    ),
    (
        "block_id unique",
        "message",
        [section(block_id="a"), section(block_id="b")],
        [section(block_id="a"), section(block_id="a")],
        "duplicate block_id",
    ),
    (
        "action_id length",
        "message",
        [actions(button("a" * 255))],
        [actions(button("a" * 256))],
        "at most 255",
    ),
    (
        "action_id unique within a block",
        "message",
        [actions(button("go"), block_id="x"), actions(button("go"), block_id="y")],
        [actions(button("go"), button("go"))],
        "duplicate action_id",
    ),
    ("section text", "message", [section("x" * 3000)], [section("x" * 3001)], "3000"),
    (
        "section needs text or fields",
        "message",
        [{"type": "section", "fields": [mrkdwn("a")]}],
        [{"type": "section"}],
        "text or fields",
    ),
    (
        "section field count",
        "message",
        [{"type": "section", "fields": [mrkdwn("f")] * 10}],
        [{"type": "section", "fields": [mrkdwn("f")] * 11}],
        "1-10",
    ),
    (
        "section field length",
        "message",
        [{"type": "section", "fields": [mrkdwn("f" * 2000)]}],
        [{"type": "section", "fields": [mrkdwn("f" * 2001)]}],
        "2000",
    ),
    (
        "header text",
        "message",
        [{"type": "header", "text": plain("h" * 150)}],
        [{"type": "header", "text": plain("h" * 151)}],
        "150",
    ),
    (
        "header is plain_text",
        "message",
        [{"type": "header", "text": plain("h")}],
        [{"type": "header", "text": mrkdwn("h")}],
        "plain_text",
    ),
    (
        "context elements",
        "message",
        [{"type": "context", "elements": [mrkdwn("c")] * 10}],
        [{"type": "context", "elements": [mrkdwn("c")] * 11}],
        "1-10",
    ),
    (
        "actions elements",
        "message",
        [actions(*[button(f"b{i}") for i in range(25)])],
        [actions(*[button(f"b{i}") for i in range(26)])],
        "1-25",
    ),
    (
        "button text",
        "message",
        [actions(button(text="t" * 75))],
        [actions(button(text="t" * 76))],
        "75",
    ),
    (
        "button value",
        "message",
        [actions(button(value="v" * 2000))],
        [actions(button(value="v" * 2001))],
        "2000",
    ),
    (
        "button url",
        "message",
        [actions(button(url="https://x/" + "u" * 2990))],
        [actions(button(url="https://x/" + "u" * 2991))],
        "3000",
    ),
    (
        "button style",
        "message",
        [actions(button(style="danger"))],
        [actions(button(style="warning"))],
        "primary or danger",
    ),
    (
        "static_select options",
        "message",
        [actions(select(options(100)))],
        [actions(select(options(101)))],
        "1-100",
    ),
    (
        "option text",
        "message",
        [actions(select([option("v", "t" * 75)]))],
        [actions(select([option("v", "t" * 76)]))],
        "75",
    ),
    (
        "option value",
        "message",
        [actions(select([option("v" * 150)]))],
        [actions(select([option("v" * 151)]))],
        "150",
    ),
    (
        "initial_option among options",
        "message",
        [actions(select(options(2), initial_option=option("v1")))],
        [actions(select(options(2), initial_option=option("zz")))],
        "one of the element's options",
    ),
    (
        "overflow at least 2 options",
        "message",
        [actions({"type": "overflow", "action_id": "o", "options": options(2)})],
        [actions({"type": "overflow", "action_id": "o", "options": options(1)})],
        "2-5",
    ),
    (
        "overflow at most 5 options",
        "message",
        [actions({"type": "overflow", "action_id": "o", "options": options(5)})],
        [actions({"type": "overflow", "action_id": "o", "options": options(6)})],
        "2-5",
    ),
    (
        "input label",
        "modal",
        [input_block({"type": "plain_text_input", "action_id": "t"}, "l" * 2000)],
        [input_block({"type": "plain_text_input", "action_id": "t"}, "l" * 2001)],
        "2000",
    ),
    (
        "plain_text_input max_length",
        "modal",
        [input_block({"type": "plain_text_input", "action_id": "t", "max_length": 3000})],
        [input_block({"type": "plain_text_input", "action_id": "t", "max_length": 3001})],
        "0 to 3000",
    ),
    (
        "input element type",
        "modal",
        [input_block({"type": "datepicker", "action_id": "d"})],
        [input_block({"type": "button", "action_id": "b", "text": plain("x")})],
        "not allowed here",
    ),
    (
        "number_input needs is_decimal_allowed",
        "modal",
        [input_block({"type": "number_input", "action_id": "n", "is_decimal_allowed": False})],
        [input_block({"type": "number_input", "action_id": "n"})],
        "is_decimal_allowed",
    ),
    (
        "text object needs text",
        "message",
        [section("x")],
        [{"type": "section", "text": mrkdwn("")}],
        "non-empty",
    ),
    (
        "text object type",
        "message",
        [section("x")],
        [{"type": "section", "text": {"type": "markdown", "text": "x"}}],
        "plain_text or mrkdwn",
    ),
    (
        "image needs alt_text",
        "message",
        [{"type": "image", "image_url": "https://x/i.png", "alt_text": "chart"}],
        [{"type": "image", "image_url": "https://x/i.png"}],
        "alt_text",
    ),
    (
        "image needs image_url",
        "message",
        [{"type": "image", "image_url": "https://x/i.png", "alt_text": "chart"}],
        [{"type": "image", "alt_text": "chart"}],
        "image_url",
    ),
    (
        "known block types",
        "message",
        [{"type": "divider"}, {"type": "rich_text", "elements": [{"type": "rich_text_section"}]}],
        [{"type": "carousel"}],
        "unknown block type",
    ),
    (
        "known element types",
        "message",
        [actions(button())],
        [actions({"type": "slider", "action_id": "s"})],
        "unknown element type",
    ),
]


@pytest.mark.parametrize(
    ("surface", "good", "bad", "words"),
    [case[1:] for case in BLOCK_CASES],
    ids=[case[0] for case in BLOCK_CASES],
)
def test_block_limits(surface: Any, good: list[Any], bad: list[Any], words: str) -> None:
    assert validate_blocks(good, surface) == []
    problems = validate_blocks(bad, surface)
    assert any(words in problem for problem in problems), problems


def test_input_blocks_are_not_allowed_in_messages() -> None:
    block = input_block({"type": "plain_text_input", "action_id": "t"})
    assert validate_blocks([block], "home") == []
    assert "only allowed in modals" in validate_blocks([block], "message")[0]


def test_problems_name_the_json_pointer() -> None:
    problems = validate_blocks([section(), actions(button(text="t" * 76))], "message")
    assert problems == ["/blocks/1/elements/0/text/text: must be at most 75 characters (got 76)"]


VIEW_CASES: list[tuple[str, dict[str, Any], dict[str, Any], str]] = [
    ("title length", modal([], title=plain("t" * 24)), modal([], title=plain("t" * 25)), "24"),
    ("title required", modal([]), {"type": "modal", "blocks": []}, "/title"),
    ("submit length", modal([], submit=plain("s" * 24)), modal([], submit=plain("s" * 25)), "24"),
    ("close length", modal([], close=plain("c" * 24)), modal([], close=plain("c" * 25)), "24"),
    (
        "private_metadata",
        modal([], private_metadata="m" * 3000),
        modal([], private_metadata="m" * 3001),
        "3000",
    ),
    ("callback_id", modal([], callback_id="c" * 255), modal([], callback_id="c" * 256), "255"),
    (
        "inputs need submit",
        modal([input_block({"type": "plain_text_input", "action_id": "t"})]),
        {
            "type": "modal",
            "title": plain("T"),
            "blocks": [input_block({"type": "plain_text_input", "action_id": "t"})],
        },
        "needs a submit",
    ),
    ("view type", modal([]), {"type": "dialog", "blocks": []}, "modal or home"),
    ("blocks in views", modal([section()]), modal([{"type": "carousel"}]), "unknown block type"),
]


@pytest.mark.parametrize(
    ("good", "bad", "words"), [c[1:] for c in VIEW_CASES], ids=[c[0] for c in VIEW_CASES]
)
def test_view_limits(good: dict[str, Any], bad: dict[str, Any], words: str) -> None:
    assert validate_view(good) == []
    problems = validate_view(bad)
    assert any(words in problem for problem in problems), problems


def test_home_views_need_no_title() -> None:
    assert validate_view({"type": "home", "blocks": [section()]}) == []


def test_fake_answers_invalid_blocks_with_slack_messages() -> None:
    fake = FakeSlack()
    fake.add_channel("C1", "general")
    answer = fake.api("chat.postMessage", channel="C1", text="t", blocks=[{"type": "carousel"}])
    assert answer["error"] == "invalid_blocks"
    assert answer["response_metadata"]["messages"] == [
        "[ERROR] unknown block type 'carousel' [json-pointer:/blocks/0/type]"
    ]
    assert fake.messages == []
