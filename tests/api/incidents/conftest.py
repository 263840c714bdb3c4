"""The incident tests' fixtures: the seeded org on both databases, and the web rotation."""

from tests.commands.incidents.conftest import rota, seeded

__all__ = ["rota", "seeded"]
