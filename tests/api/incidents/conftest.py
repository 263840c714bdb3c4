"""The incident tests' fixtures: the seeded web rotation, on SQLite or on both databases."""

from tests.commands.incidents.conftest import rota, rota_any, seeded_any

__all__ = ["rota", "rota_any", "seeded_any"]
