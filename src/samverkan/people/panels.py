"""Sections other features add to the child overview (consents, plans, reports ...),
without the people app importing them. Each panel is loaded from its own URL, which
applies its own access rules and audit."""

from __future__ import annotations

from dataclasses import dataclass

from samverkan.core.id_urls import reverse_ids


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    url_name: str
    order: int = 100


_panels: dict[str, Panel] = {}


def register(panel: Panel) -> None:
    _panels[panel.key] = panel


def for_child(child) -> list[tuple[Panel, str]]:
    return [
        (panel, reverse_ids(panel.url_name, child.public_id))
        for panel in sorted(_panels.values(), key=lambda p: (p.order, p.key))
    ]
