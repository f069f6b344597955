"""Sections other features add to the child overview (consents, plans, reports ...),
without the people app importing them. Each panel is loaded from its own URL, which
applies its own access rules and audit."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    url_name: str
    order: int = 100


_panels: dict[str, Panel] = {}


def register(panel: Panel) -> None:
    _panels[panel.key] = panel


def registered() -> list[Panel]:
    """The panels in their order. The overview renders each once per language and
    keeps it, the child's id put in its paths (``{% fixed_for … child_id=… %}``): a
    panel's title and route are those registered under its key."""
    return sorted(_panels.values(), key=lambda p: (p.order, p.key))
