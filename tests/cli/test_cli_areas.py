"""`platops backup …` and `platops config plan|apply` from the command line."""

from __future__ import annotations

from pathlib import Path


def test_backup_now_list_verify_and_retention(cli):
    for _ in range(3):
        assert cli("backup", "now") == 0
        assert cli.out.startswith("backup written: ")
    assert cli("backup", "list") == 0
    lines = cli.out.strip().splitlines()
    assert len(lines) == 2  # PLATOPS_BACKUP_KEEP=2
    assert all(line.startswith("platops-") for line in lines)
    assert cli("backup", "verify") == 0
    # The newest backup holds the two earlier backup.created events; its own comes after it.
    assert cli.out.strip().endswith("OK (checksum, integrity, audit chain of 2 events)")
    assert cli.sql("SELECT count(*) FROM events WHERE type = 'backup.created'") == [(3,)]
    assert cli.sql("SELECT DISTINCT actor_id FROM events") == [("system:cli",)]


def test_backup_verify_reports_a_damaged_file(cli):
    cli("backup", "now")
    newest = sorted(cli.backups.glob("platops-*.db"))[-1]
    newest.write_bytes(newest.read_bytes()[:-10] + b"0123456789")
    assert cli("backup", "verify", str(newest)) == 1
    assert "NOT OK" in cli.out and "checksum mismatch" in cli.out


def test_backup_restore_puts_the_old_state_back(cli, config_file):
    cli("backup", "now")
    name = cli.out.split("/")[-1].split(" ")[0]
    assert cli("config", "apply", str(config_file)) == 0
    assert cli.sql("SELECT count(*) FROM departments") == [(1,)]

    assert cli("backup", "restore", name) == 0
    assert "the previous database is kept as" in cli.out
    assert cli.sql("SELECT count(*) FROM departments") == [(0,)]
    kept = Path(f"{cli.database}.before-restore")
    assert kept.exists()
    assert cli("audit", "verify") == 0


def test_backup_on_postgresql_explains_pg_dump_and_fails(cli, monkeypatch):
    monkeypatch.setenv("PLATOPS_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:1/none")
    for argv in (["now"], ["list"], ["verify"], ["restore", "x.db"]):
        assert cli("backup", *argv) == 3
        assert "pg_dump" in cli.err and "pg_restore" in cli.err


def test_config_plan_then_apply_then_nothing_to_do(cli, config_file):
    assert cli("config", "plan", str(config_file)) == 0
    assert "department finance: create" in cli.out
    assert cli.out.strip().endswith("5 to create, 0 to update, 0 to remove, 0 unchanged.")
    assert cli.sql("SELECT count(*) FROM departments") == [(0,)]  # plan changes nothing

    assert cli("config", "apply", str(config_file)) == 0
    assert cli.out.strip().endswith("Applied: 5 to create, 0 to update, 0 to remove, 0 unchanged.")
    assert cli("config", "apply", str(config_file)) == 0
    assert cli.out.strip() == "Nothing to change: 5 item(s) already as in the file."
    assert cli.sql("SELECT DISTINCT actor_id FROM events") == [("system:config",)]


def test_config_errors_name_the_file_and_path(cli, tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("platforms:\n  - {key: web, name: Web, ops_channel: '#web-ops'}\n")
    assert cli("config", "apply", str(bad)) == 2
    assert f"{bad}: platforms[0] (web).ops_channel: String should match" in cli.err
    assert "nothing was changed" in cli.err
    assert cli.sql("SELECT count(*) FROM platforms") == [(0,)]
