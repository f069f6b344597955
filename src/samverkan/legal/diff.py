"""What a proposed change does to a ground, in words a jurist reads: each field that
differs, before and after (``fields``), which grounds differ between two versions
(``changed_grounds``), and, for a ground Samverkan applies by itself (no human
judgement), every way the change lets more pass automatically (``widens``)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ANY = "*"

LABELS = {
    "name": gettext_lazy("Namn"),
    "name_en": gettext_lazy("Namn på engelska"),
    "summary": gettext_lazy("Sammanfattning"),
    "summary_en": gettext_lazy("Sammanfattning på engelska"),
    "statutes": gettext_lazy("Lagrum (tidigare lag → gällande lag)"),
    "effective_from": gettext_lazy("Gäller från"),
    "effective_to": gettext_lazy("Gäller till"),
    "directions": gettext_lazy("Från → till"),
    "categories": gettext_lazy("Kategorier"),
    "under_age": gettext_lazy("Bara för den som är under (år)"),
    "authorities_only": gettext_lazy("Bara mellan myndigheter"),
    "secrecy_excluded": gettext_lazy("Sekretess som bryts"),
    "judgement": gettext_lazy("Kräver en människas bedömning"),
    "balancing": gettext_lazy("Kräver dokumenterad intresseavvägning"),
    "checked_by_product": gettext_lazy("Samverkan kontrollerar"),
    "conditions": gettext_lazy("Villkor som användaren bekräftar"),
    "alternatives": gettext_lazy("Andra lagliga vägar"),
}


def _text(key: str, value) -> str:
    if value in (None, "", []):
        return "–"
    if isinstance(value, bool):
        return _("ja") if value else _("nej")
    if key == "statutes":
        return "\n".join(
            f"{s['old']} → {s['new']}" + (" " + _("(kontrolleras)") if s.get("verify") else "")
            for s in value
        )
    if key == "directions":
        return "\n".join(f"{', '.join(d['from'])} → {', '.join(d['to'])}" for d in value)
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return str(value)


def fields(before: dict | None, after: dict | None) -> list[tuple[str, str, str]]:
    """(label, before, after) for every field that differs."""
    before, after = before or {}, after or {}
    rows = []
    for key, label in LABELS.items():
        old, new = before.get(key), after.get(key)
        if (old in (None, "", [], False)) and (new in (None, "", [], False)):
            continue
        if old != new:
            rows.append((str(label), _text(key, old), _text(key, new)))
    return rows


def changed_grounds(before: dict | None, after: dict) -> list[tuple[str, str, list]]:
    """(code, name, field rows) for every ground added, removed or changed."""
    old = {g["code"]: g for g in (before or {}).get("grounds", [])}
    new = {g["code"]: g for g in after.get("grounds", [])}
    found = []
    for code in [*new, *(c for c in old if c not in new)]:
        if old.get(code) != new.get(code):
            name = (new.get(code) or old.get(code))["name"]
            found.append((code, name, fields(old.get(code), new.get(code))))
    return found


def _pairs(directions: list[dict]) -> set[tuple[str, str]]:
    return {(s, t) for d in directions for s in d["from"] for t in d["to"]}


def _covered(pair: tuple[str, str], pairs: set[tuple[str, str]]) -> bool:
    source, target = pair
    return any(s in (source, ANY) and t in (target, ANY) for s, t in pairs)


def widens(before: dict, after: dict) -> list[str]:
    """For a ground applied without a human judgement: each way ``after`` lets
    information pass automatically where ``before`` did not (empty for a ground that
    needs a judgement: nothing passes under it without a person's decision)."""
    if before.get("judgement"):
        return []
    found = []
    old_pairs = _pairs(before["directions"])
    if any(not _covered(p, old_pairs) for p in _pairs(after["directions"])):
        found.append(_("fler riktningar mellan verksamheter"))
    old_categories = set(before["categories"])
    if ANY not in old_categories and set(after["categories"]) - old_categories:
        found.append(_("fler kategorier av uppgifter"))
    if after["effective_from"] < before["effective_from"]:
        found.append(_("gäller från ett tidigare datum"))
    old_end, new_end = before.get("effective_to"), after.get("effective_to")
    if old_end and (not new_end or new_end > old_end):
        found.append(_("gäller längre"))
    old_age, new_age = before.get("under_age"), after.get("under_age")
    if old_age and (not new_age or new_age > old_age):
        found.append(_("gäller för äldre personer"))
    if before.get("authorities_only") and not after.get("authorities_only"):
        found.append(_("gäller också för enskilda huvudmän"))
    return found
