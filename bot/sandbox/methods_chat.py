"""chat.*, files.* (external upload flow) and response_url handling of the fake Slack."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.sandbox.api_args import Args, slack_method
from bot.sandbox.blockkit import slack_error_messages, validate_blocks, with_generated_ids
from bot.sandbox.models import (
    ApiResult,
    Edit,
    Ephemeral,
    FakeFile,
    Message,
    ResponseTarget,
    ResponseUrlPost,
    SlackError,
)

if TYPE_CHECKING:
    from bot.sandbox.fake_slack import FakeSlack

MAX_TEXT = 40000
RESPONSE_URL_TTL_SECONDS = 30 * 60
RESPONSE_URL_MAX_USES = 5


@dataclass
class Content:
    text: str | None
    blocks: list[dict[str, Any]] | None
    attachments: list[dict[str, Any]] | None
    metadata: dict[str, Any] | None


def message_content(fake: FakeSlack, source: str, args: Args, *, require: bool = True) -> Content:
    """Reads and checks text/blocks/attachments/metadata as Slack does for any message."""
    text = args.text("text") or args.text("markdown_text")
    blocks = args.decoded("blocks", error="invalid_blocks_format")
    if blocks is not None and not isinstance(blocks, list):
        raise SlackError("invalid_blocks_format", ["[ERROR] blocks must be an array"])
    attachments = args.decoded("attachments", error="invalid_attachments")
    if attachments is not None and not isinstance(attachments, list):
        raise SlackError("invalid_attachments")
    metadata = args.decoded("metadata", error="invalid_metadata_format")
    if metadata is not None and not (
        isinstance(metadata, dict)
        and isinstance(metadata.get("event_type"), str)
        and isinstance(metadata.get("event_payload"), dict)
    ):
        raise SlackError("invalid_metadata_format")
    if require and not text and not blocks and not attachments:
        raise SlackError("no_text")
    if text is not None and len(text) > MAX_TEXT:
        raise SlackError("msg_too_long")
    if blocks:
        problems = validate_blocks(blocks, "message")
        if problems:
            raise SlackError("invalid_blocks", slack_error_messages(problems), errors=problems)
        if not text:
            fake.warnings.append(
                f"{source}: blocks sent without a text fallback; notifications and screen "
                "readers will show nothing useful"
            )
        blocks = with_generated_ids(blocks)
    return Content(text, blocks, attachments, metadata)


def _replace(fake: FakeSlack, message: Message | Ephemeral, content: Content) -> None:
    if isinstance(message, Message):
        message.edits.append(Edit(message.text, message.blocks, fake.next_ts()))
        if content.metadata is not None:
            message.metadata = content.metadata
        if content.attachments is not None:
            message.attachments = content.attachments
    if content.text is not None:
        message.text = content.text
    if content.blocks is not None:
        message.blocks = content.blocks


@slack_method("chat.postMessage")
def post_message(fake: FakeSlack, args: Args) -> dict[str, Any]:
    channel = fake.resolve_channel(args.text("channel"), allow_user=True, allow_name=True)
    content = message_content(fake, "chat.postMessage", args)
    message = fake.record_message(
        channel.id,
        fake.bot_user_id,
        content.text or "",
        blocks=content.blocks or [],
        attachments=content.attachments or [],
        thread_ts=args.text("thread_ts"),
        metadata=content.metadata,
        reply_broadcast=args.flag("reply_broadcast"),
    )
    return {"channel": channel.id, "ts": message.ts, "message": message.to_slack(fake.team_id)}


@slack_method("chat.update")
def update_message(fake: FakeSlack, args: Args) -> dict[str, Any]:
    channel = fake.resolve_channel(args.text("channel"))
    message = fake.message_at(channel.id, args.text("ts"))
    if message.user != fake.bot_user_id:
        raise SlackError("cant_update_message")
    _replace(fake, message, message_content(fake, "chat.update", args))
    return {
        "channel": channel.id,
        "ts": message.ts,
        "text": message.text,
        "message": message.to_slack(fake.team_id),
    }


@slack_method("chat.postEphemeral")
def post_ephemeral(fake: FakeSlack, args: Args) -> dict[str, Any]:
    channel = fake.resolve_channel(args.text("channel"), allow_user=True, allow_name=True)
    user = fake.require_user(args.text("user"), error="user_not_in_channel")
    if channel.members and user.id not in channel.members:
        raise SlackError("user_not_in_channel")
    content = message_content(fake, "chat.postEphemeral", args)
    ephemeral = Ephemeral(
        channel.id,
        user.id,
        content.text or "",
        content.blocks or [],
        fake.next_ts(),
        args.text("thread_ts"),
    )
    fake.ephemerals.append(ephemeral)
    return {"message_ts": ephemeral.ts}


@slack_method("chat.delete")
def delete_message(fake: FakeSlack, args: Args) -> dict[str, Any]:
    channel = fake.resolve_channel(args.text("channel"))
    message = fake.message_at(channel.id, args.text("ts"))
    if message.user != fake.bot_user_id:
        raise SlackError("cant_delete_message")
    fake.messages.remove(message)
    fake.deleted_messages.append(message)
    return {"channel": channel.id, "ts": message.ts}


@slack_method("chat.getPermalink")
def get_permalink(fake: FakeSlack, args: Args) -> dict[str, Any]:
    channel = fake.resolve_channel(args.text("channel"))
    message = fake.message_at(channel.id, args.text("message_ts"))
    link = (
        f"https://{fake.team_domain}.slack.com/archives/{channel.id}/p{message.ts.replace('.', '')}"
    )
    if message.thread_ts and message.thread_ts != message.ts:
        link += f"?thread_ts={message.thread_ts}&cid={channel.id}"
    return {"channel": channel.id, "permalink": link}


@slack_method("files.getUploadURLExternal")
def get_upload_url(fake: FakeSlack, args: Args) -> dict[str, Any]:
    length = args.number("length", 0)
    if length < 1:
        raise SlackError("invalid_arguments", ["[ERROR] length must be a positive integer"])
    upload = FakeFile(
        fake.new_id("F"),
        args.text("filename") or "",
        length,
        alt_txt=args.text("alt_txt"),
        snippet_type=args.text("snippet_type"),
        created=int(fake.now()),
    )
    fake.files[upload.id] = upload
    return {"upload_url": f"{fake.public_url}/upload/{upload.id}", "file_id": upload.id}


def receive_upload(fake: FakeSlack, file_id: str, content: bytes) -> ApiResult:
    """The POST to an upload_url; Slack answers it in plain text, not JSON."""
    upload = fake.files.get(file_id)
    if fake.in_outage:
        return ApiResult(503, {}, plain_text="Service Unavailable")
    if upload is None or upload.completed:
        return ApiResult(404, {}, plain_text="invalid upload url")
    upload.content = content
    if len(content) != upload.length:
        fake.warnings.append(
            f"upload {file_id}: got {len(content)} bytes, "
            f"files.getUploadURLExternal announced {upload.length}"
        )
    return ApiResult(200, {}, plain_text=f"OK - {len(content)}")


@slack_method("files.completeUploadExternal")
def complete_upload(fake: FakeSlack, args: Args) -> dict[str, Any]:
    entries = args.decoded("files")
    if not isinstance(entries, list) or not entries:
        raise SlackError("invalid_arguments", ["[ERROR] files must be a non-empty JSON array"])
    uploads: list[tuple[FakeFile, str | None]] = []
    for entry in entries:
        upload = fake.files.get(entry.get("id", "")) if isinstance(entry, dict) else None
        if upload is None or upload.content is None or upload.completed:
            raise SlackError("file_not_found")
        uploads.append((upload, entry.get("title")))
    channel_ids = args.csv("channels") or args.csv("channel_id")
    channels = [fake.resolve_channel(channel_id) for channel_id in channel_ids]
    thread_ts = args.text("thread_ts")
    comment = args.text("initial_comment")
    for upload, title in uploads:
        upload.title = title or upload.filename
        upload.completed = True
        upload.channels = [channel.id for channel in channels]
        upload.initial_comment = comment
        upload.thread_ts = thread_ts
    file_ids = [upload.id for upload, _ in uploads]
    for channel in channels:
        fake.record_message(
            channel.id, fake.bot_user_id, comment or "", files=file_ids, thread_ts=thread_ts
        )
    return {"files": [upload.to_slack(fake.team_domain, fake.bot_user_id) for upload, _ in uploads]}


def _response_url_problem(fake: FakeSlack, target: ResponseTarget | None) -> str | None:
    if target is None:
        return "invalid_token"
    expired = fake.now() - target.issued_at > RESPONSE_URL_TTL_SECONDS
    if expired or target.uses >= RESPONSE_URL_MAX_USES:
        return "expired_url"
    return None


def post_to_response_url(fake: FakeSlack, token: str, body: dict[str, Any]) -> ApiResult:
    """Applies a POST to a response_url as Slack does (new, replaced or deleted message)."""
    target = fake.response_targets.get(token)

    def done(status: int, outcome: str, error: str | None = None) -> ApiResult:
        fake.response_url_posts.append(
            ResponseUrlPost(
                token,
                body,
                target.user if target else None,
                target.channel if target else None,
                outcome,
                error is None,
            )
        )
        return ApiResult(status, {"ok": True} if error is None else {"ok": False, "error": error})

    if fake.in_outage:
        return done(503, "outage", "service_unavailable")
    problem = _response_url_problem(fake, target)
    if problem or target is None:
        return done(404, f"rejected: {problem}", problem)
    target.uses += 1
    args = Args(body)
    original: Message | Ephemeral | None = target.ephemeral
    if original is None and target.message_ts:
        original = next(
            (m for m in fake.messages if m.channel == target.channel and m.ts == target.message_ts),
            None,
        )
    if args.flag("delete_original"):
        if original is None:
            return done(404, "rejected: no original message", "message_not_found")
        if isinstance(original, Ephemeral):
            fake.ephemerals[:] = [e for e in fake.ephemerals if e is not original]
        else:
            fake.messages.remove(original)
            fake.deleted_messages.append(original)
        return done(200, "deleted")
    try:
        content = message_content(fake, "response_url", args)
    except SlackError as error:
        return done(400, f"rejected: {error.error}", error.error)
    if args.flag("replace_original") and original is not None:
        _replace(fake, original, content)
        return done(200, "replaced")
    thread_ts = args.text("thread_ts")
    if args.text("response_type") == "in_channel":
        fake.record_message(
            target.channel,
            fake.bot_user_id,
            content.text or "",
            blocks=content.blocks or [],
            thread_ts=thread_ts,
            metadata=content.metadata,
        )
        return done(200, "in_channel")
    fake.ephemerals.append(
        Ephemeral(
            target.channel,
            target.user,
            content.text or "",
            content.blocks or [],
            fake.next_ts(),
            thread_ts,
            source="response_url",
        )
    )
    return done(200, "ephemeral")
