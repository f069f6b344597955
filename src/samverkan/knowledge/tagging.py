"""Which records risk and protective factors can be attached to.

An app that wants factor tags on its records (reports of concern, SIP needs, ...)
registers a target type once, from its ``AppConfig.ready``::

    from samverkan.knowledge import tagging

    tagging.register_target_type(
        "concerns.report",
        label="Orosanmälan",
        authorize=authorize_report_change,  # (actor, target_id, child_id) -> Ground
        visible_for_child=reports_visible_for_child,  # (actor, child_id) -> [target ids]
    )

``authorize`` decides whether the actor may change the target's tags and returns the
legal ground for the audit row, or raises ``NotFound``/``PermissionDenied``. The
knowledge app never guesses: an unregistered target type is refused.

``visible_for_child`` (optional) lists the ids of the child's targets the actor may see,
applying and auditing the feature's own read rules; ``selectors.factor_summary_for_child``
uses it to gather every factor noted for a child across features.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from uuid import UUID

from django.utils.translation import gettext as _

from samverkan.access.actor import Actor
from samverkan.audit.services import Ground
from samverkan.core.errors import ValidationFailed

Authorize = Callable[[Actor, UUID, UUID], Ground]
VisibleForChild = Callable[[Actor, UUID], Iterable[UUID]]


@dataclass(frozen=True)
class TargetType:
    code: str
    label: str
    authorize: Authorize
    visible_for_child: VisibleForChild | None = None


_registry: dict[str, TargetType] = {}


def register_target_type(
    code: str,
    *,
    label: str,
    authorize: Authorize,
    visible_for_child: VisibleForChild | None = None,
) -> TargetType:
    target = TargetType(
        code=code, label=label, authorize=authorize, visible_for_child=visible_for_child
    )
    _registry[code] = target
    return target


def unregister_target_type(code: str) -> None:
    """For tests."""
    _registry.pop(code, None)


def target_type(code: str) -> TargetType:
    try:
        return _registry[code]
    except KeyError as exc:
        raise ValidationFailed(
            _("Risk- och skyddsfaktorer kan inte knytas till den här typen av uppgift.")
        ) from exc


def target_types() -> list[TargetType]:
    return list(_registry.values())


def target_label(code: str) -> str:
    target = _registry.get(code)
    return target.label if target else code
