"""`platops db upgrade|current`, `audit verify` and `outbox list|retry`."""

from __future__ import annotations

import json

from storage.migrate import head_revision


def test_db_upgrade_and_current(cli):
    assert "database at revision" in cli.out or cli("db", "upgrade") == 0
    assert cli("db", "current") == 0
    newest = head_revision()
    assert cli.out.strip() == f"applied: {newest}  newest: {newest}"
    assert cli("db", "upgrade") == 0  # idempotent
    assert cli.out.strip() == f"database at revision {newest}"


def test_audit_verify_proves_the_chain_and_names_a_tampered_event(cli, config_file):
    assert cli("config", "apply", str(config_file)) == 0  # audited changes to verify
    assert cli("audit", "verify") == 0
    (count,) = cli.sql("SELECT count(*) FROM events")[0]
    assert count >= 5
    assert cli.out.strip() == f"audit chain intact: {count} events verified"

    cli.sql("UPDATE events SET data = ? WHERE id = 3", json.dumps({"name": "Forged"}))
    assert cli("audit", "verify") == 1
    assert cli.out.strip() == (
        "audit chain BROKEN at event 3: contents were altered after they were written "
        "(2 events before it verified)"
    )


def test_audit_verify_notices_a_deleted_event(cli, config_file):
    cli("config", "apply", str(config_file))
    cli.sql("DELETE FROM events WHERE id = 2")
    assert cli("audit", "verify") == 1
    assert "BROKEN at event 2: event 2 is missing" in cli.out


def add_outbox_row(cli, state: str, error: str | None = None) -> int:
    cli.sql(
        "INSERT INTO outbox (created_at, kind, lane, payload, state, attempts, next_attempt_at,"
        " last_error) VALUES ('2026-01-05 09:00:00.000000', 'slack', 'slack:CWEBOPS', ?, ?, 10,"
        " '2026-01-05 09:00:00.000000', ?)",
        json.dumps({"template": "incident.card", "to": {"channel": "CWEBOPS"}}),
        state,
        error,
    )
    return int(cli.sql("SELECT max(id) FROM outbox")[0][0])


def test_outbox_list_and_retry_a_parked_row(cli):
    assert cli("outbox", "list") == 0
    assert cli.out.strip() == "nothing parked"

    parked = add_outbox_row(cli, "parked", "slack: channel_not_found (HTTP 200)")
    pending = add_outbox_row(cli, "pending")
    assert cli("outbox", "list") == 0
    lines = cli.out.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].split()[:4] == [str(parked), "parked", "slack:CWEBOPS", "incident.card"]
    assert "attempts=10" in lines[0] and "channel_not_found" in lines[0]
    assert cli("outbox", "list", "--all") == 0
    assert len(cli.out.strip().splitlines()) == 2

    assert cli("outbox", "retry") == 0
    assert cli.out.strip() == "1 message(s) queued again; a running `platops serve` delivers them"
    assert cli.sql("SELECT id, state, attempts FROM outbox ORDER BY id") == [
        (parked, "pending", 0),
        (pending, "pending", 10),
    ]
    assert cli("outbox", "retry") == 0  # nothing parked any more
    assert cli.out.startswith("0 message(s)")


def test_outbox_retry_by_id_leaves_other_parked_rows(cli):
    first = add_outbox_row(cli, "parked", "boom")
    second = add_outbox_row(cli, "parked", "boom")
    assert cli("outbox", "retry", str(second)) == 0
    assert cli.sql("SELECT id, state FROM outbox ORDER BY id") == [
        (first, "parked"),
        (second, "pending"),
    ]
