"""The population register (folkbokföringen) behind an adapter: who a child's guardians
are, so that an organisation can record them from the register instead of typing them
(decision 0150).

``configured()`` gives the adapter the setting ``SAMVERKAN["POPULATION_REGISTER"]``
names, or None when there is none (staff then type the guardians in):

- ``""``: none.
- ``"file:<path>"``: ``FileRegister``, a JSON extract (the demo and the tests use
  ``demo/data/folkbokforing.json``).

A Navet adapter (Skatteverket's service for municipalities and regions) would be one
more class with the same ``lookup``; nothing else in the product would change.
Lookups are not audited here: the service that uses the answer writes the audit row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext

from .models import CustodyType


@dataclass(frozen=True)
class RegisteredGuardian:
    personal_number: str  # 12 digits
    first_name: str
    last_name: str


@dataclass(frozen=True)
class RegisteredChild:
    personal_number: str
    first_name: str
    last_name: str
    protected_identity: bool
    guardians: tuple[RegisteredGuardian, ...]

    @property
    def custody_type(self) -> str:
        """Two guardians share custody; one has it alone."""
        return CustodyType.JOINT if len(self.guardians) > 1 else CustodyType.SOLE


class PopulationRegister(Protocol):
    name: str

    def lookup(self, personal_number: str) -> RegisteredChild | None:
        """The child with this 12-digit number and their guardians, or None."""


class FileRegister:
    """A JSON file: ``{"persons": [{"personal_number", "first_name", "last_name",
    "protected_identity", "guardians": [{"personal_number", "first_name",
    "last_name"}]}]}``. Read again when the file changes."""

    name = "Folkbokföringen (utdrag ur fil)"

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._cache: tuple[float, dict[str, RegisteredChild]] | None = None

    def _persons(self) -> dict[str, RegisteredChild]:
        try:
            mtime = self.path.stat().st_mtime
        except OSError as exc:
            raise ImproperlyConfigured(
                gettext("Folkbokföringsfilen %(path)s finns inte.") % {"path": self.path}
            ) from exc
        if self._cache is None or self._cache[0] != mtime:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            persons = {
                p["personal_number"]: RegisteredChild(
                    personal_number=p["personal_number"],
                    first_name=p["first_name"],
                    last_name=p["last_name"],
                    protected_identity=bool(p.get("protected_identity", False)),
                    guardians=tuple(
                        RegisteredGuardian(
                            personal_number=g["personal_number"],
                            first_name=g["first_name"],
                            last_name=g["last_name"],
                        )
                        for g in p.get("guardians", [])
                    ),
                )
                for p in data.get("persons", [])
            }
            self._cache = (mtime, persons)
        return self._cache[1]

    def lookup(self, personal_number: str) -> RegisteredChild | None:
        return self._persons().get(personal_number)


_adapters: dict[str, PopulationRegister] = {}


def configured() -> PopulationRegister | None:
    """The register the settings name, or None."""
    spec = (settings.SAMVERKAN.get("POPULATION_REGISTER") or "").strip()
    if not spec:
        return None
    if spec not in _adapters:
        kind, _, target = spec.partition(":")
        if kind != "file" or not target:
            raise ImproperlyConfigured(
                gettext("SAMVERKAN_POPULATION_REGISTER=%(spec)s: ange tomt eller file:<sökväg>.")
                % {"spec": repr(spec)}
            )
        _adapters[spec] = FileRegister(target)
    return _adapters[spec]
