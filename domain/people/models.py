"""People are Slack users; PlatOps caches the profile fields it needs to render for them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Person:
    user_id: str
    name: str
    real_name: str | None = None
    timezone: str = "UTC"
    locale: str | None = None
    email: str | None = None

    @property
    def display(self) -> str:
        return self.real_name or self.name
