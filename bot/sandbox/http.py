"""HTTP face of the fake Slack, so slack_sdk's clients reach it over real HTTP.

Serves ``{path}/api/{method}`` (point ``AsyncWebClient(base_url=...)`` at ``{path}/api/``),
``{path}/upload/{file_id}`` (upload_url targets) and ``{path}/response/{token}``
(response_url targets handed out by the simulator).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from litestar import Litestar, Request, Response, Router, post, route
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import FromPath

from bot.sandbox.fake_slack import FakeSlack
from bot.sandbox.models import ApiResult, SlackError
from bot.sandbox.socket_mode import socket_route


def _respond(result: ApiResult) -> Response[bytes]:
    if result.plain_text is not None:
        content, media_type = result.plain_text.encode(), "text/plain; charset=utf-8"
    else:
        content, media_type = json.dumps(result.body).encode(), "application/json"
    return Response(
        content=content, status_code=result.status, media_type=media_type, headers=result.headers
    )


async def _form_values(request: Request[Any, Any, Any]) -> dict[str, Any]:
    form = await request.form()
    values: dict[str, Any] = {}
    for key, value in form.multi_items():
        values[key] = await value.read() if isinstance(value, UploadFile) else value
    return values


async def read_arguments(request: Request[Any, Any, Any]) -> dict[str, Any]:
    """Query string, form (url-encoded or multipart) and JSON body merged, as Slack reads them."""
    values: dict[str, Any] = dict(request.query_params.items())
    content_type, _ = request.content_type
    if content_type in (RequestEncodingType.URL_ENCODED, RequestEncodingType.MULTI_PART):
        values.update(await _form_values(request))
    elif content_type == RequestEncodingType.JSON:
        raw = await request.body()
        try:
            data = json.loads(raw or b"{}")
        except json.JSONDecodeError:
            raise SlackError("invalid_json") from None
        if not isinstance(data, dict):
            raise SlackError("json_not_object")
        values.update(data)
    elif raw := await request.body():
        values.update(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
    return values


def _bearer_token(request: Request[Any, Any, Any]) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def build_fake_slack_router(fake: FakeSlack, path: str = "/slack") -> Router:
    path = "/" + path.strip("/")

    def remember_public_url(request: Request[Any, Any, Any]) -> None:
        fake.public_url = str(request.base_url).rstrip("/") + path

    @route(
        "/api/{method:str}", http_method=["GET", "POST"], status_code=200, include_in_schema=False
    )
    async def api_method(request: Request[Any, Any, Any], method: FromPath[str]) -> Response[bytes]:
        remember_public_url(request)
        try:
            args = await read_arguments(request)
        except SlackError as error:
            return _respond(ApiResult(200, error.body()))
        return _respond(fake.call(method, args, _bearer_token(request)))

    @post("/upload/{file_id:str}", status_code=200, include_in_schema=False)
    async def upload(request: Request[Any, Any, Any], file_id: FromPath[str]) -> Response[bytes]:
        content_type, _ = request.content_type
        if content_type == RequestEncodingType.MULTI_PART:
            parts = [v for v in (await _form_values(request)).values() if isinstance(v, bytes)]
            content = parts[0] if parts else b""
        else:
            content = await request.body()
        return _respond(fake.receive_upload(file_id, content))

    @post("/response/{token:str}", status_code=200, include_in_schema=False)
    async def response_url(
        request: Request[Any, Any, Any], token: FromPath[str]
    ) -> Response[bytes]:
        try:
            body = await read_arguments(request)
        except SlackError as error:
            return _respond(ApiResult(400, error.body()))
        return _respond(fake.post_to_response_url(token, body))

    return Router(
        path=path,
        route_handlers=[api_method, upload, response_url, socket_route(fake.socket_mode)],
    )


def create_fake_slack_app(fake: FakeSlack, path: str = "/slack") -> Litestar:
    """A standalone app serving only the fake Slack (Web API base URL: ``{server}{path}/api/``)."""
    return Litestar(route_handlers=[build_fake_slack_router(fake, path)])
