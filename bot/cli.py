"""`platops` command line: serve, database, audit, outbox (and the areas' admin commands)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable

from bot.bootstrap import Container, build_container
from bot.settings import Settings, SettingsError, load_settings

Command = Callable[[Container, argparse.Namespace], Awaitable[int]]


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"platops: configuration error: {error}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    return int(args.run(settings, args))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="platops", description=__doc__)
    sub = parser.add_subparsers(title="commands")

    serve = sub.add_parser("serve", help="run the bot, the API and the scheduler")
    serve.set_defaults(run=_serve)

    db = sub.add_parser("db", help="database migrations").add_subparsers()
    upgrade = db.add_parser("upgrade", help="apply migrations up to the newest")
    upgrade.set_defaults(run=_with_container(_db_upgrade))
    current = db.add_parser("current", help="show the applied and the newest revision")
    current.set_defaults(run=_with_container(_db_current))

    audit = sub.add_parser("audit", help="the audit log").add_subparsers()
    verify = audit.add_parser("verify", help="prove the event hash chain intact")
    verify.set_defaults(run=_with_container(_audit_verify))

    outbox = sub.add_parser("outbox", help="messages waiting to be delivered").add_subparsers()
    listing = outbox.add_parser("list", help="parked (failing) messages; --all for the queue")
    listing.add_argument("--all", action="store_true", help="also pending and in-flight rows")
    listing.set_defaults(run=_with_container(_outbox_list))
    retry = outbox.add_parser("retry", help="queue parked messages again")
    retry.add_argument("ids", nargs="*", type=int, help="row ids (default: every parked row)")
    retry.set_defaults(run=_with_container(_outbox_retry))

    from bot.cli_areas import add_area_commands

    add_area_commands(sub, _with_container)
    return parser


def _with_container(command: Command) -> Callable[[Settings, argparse.Namespace], int]:
    def run(settings: Settings, args: argparse.Namespace) -> int:
        async def go() -> int:
            container = build_container(settings)
            try:
                return await command(container, args)
            finally:
                await container.database.dispose()

        return asyncio.run(go())

    return run


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    from bot.serve import serve

    return serve(settings)


async def _db_upgrade(container: Container, args: argparse.Namespace) -> int:
    from storage.migrate import current_revision, upgrade

    await upgrade(container.database.writer)
    print(f"database at revision {await current_revision(container.database.writer)}")
    return 0


async def _db_current(container: Container, args: argparse.Namespace) -> int:
    from storage.migrate import current_revision, head_revision

    print(
        f"applied: {await current_revision(container.database.writer)}  newest: {head_revision()}"
    )
    return 0


async def _audit_verify(container: Container, args: argparse.Namespace) -> int:
    from storage.audit import verify_chain

    async with container.database.read_session() as session:
        report = await verify_chain(session)
    if report.ok:
        print(f"audit chain intact: {report.checked} events verified")
        return 0
    print(
        f"audit chain BROKEN at event {report.broken_at}: {report.reason} "
        f"({report.checked} events before it verified)"
    )
    return 1


async def _outbox_list(container: Container, args: argparse.Namespace) -> int:
    from bot.outbox import list_outbox

    states = ("parked", "pending", "sending") if args.all else ("parked",)
    rows = await list_outbox(container, states)
    if not rows:
        print("nothing parked" if not args.all else "the outbox is empty")
        return 0
    for row in rows:
        target = row.payload.get("template") or row.payload.get("type")
        print(
            f"{row.id:>6}  {row.state:<8} {row.lane:<28} {target!s:<32} "
            f"attempts={row.attempts}  {row.last_error or ''}"
        )
    return 0


async def _outbox_retry(container: Container, args: argparse.Namespace) -> int:
    from bot.outbox import retry_parked

    count = await retry_parked(container, args.ids or None)
    print(f"{count} message(s) queued again; a running `platops serve` delivers them")
    return 0


if __name__ == "__main__":
    sys.exit(main())
