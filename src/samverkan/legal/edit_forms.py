"""The forms of the catalogue's editing pages: a proposed change to one ground (lists as
one item per line; statute pairs and directions in a written form the form checks) and
the reviewer's decision. Every field is bounded (core.bounds); dates within the shared
windows."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.core import bounds
from samverkan.core import forms as bounded

from . import catalogue

LINE = 1000  # the schema's longest text
VERIFY = "(kontrolleras)"
ARROW = re.compile(r"\s*(?:→|->)\s*")
CODE = re.compile(r"\*|[a-z][a-z0-9_]{1,48}")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _codes(text: str) -> list[str]:
    return [c.strip() for c in re.split(r"[,\s]+", text or "") if c.strip()]


class Lines(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(
            max_length=bounds.TEXT_ACCOUNT, widget=forms.Textarea(attrs={"rows": 4}), **kwargs
        )


class GroundChangeForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Namn"), max_length=bounds.TEXT_NAME)
    name_en = forms.CharField(
        label=gettext_lazy("Namn på engelska"), max_length=bounds.TEXT_NAME, required=False
    )
    summary = forms.CharField(
        label=gettext_lazy("Sammanfattning"),
        max_length=LINE,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    summary_en = forms.CharField(
        label=gettext_lazy("Sammanfattning på engelska"),
        max_length=LINE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    statutes = Lines(
        label=gettext_lazy("Lagrum"),
        required=True,
        help_text=gettext_lazy(
            "Ett par per rad: tidigare lag → gällande lag, t.ex. Socialtjänstlag (2001:453) "
            "14 kap. 1 § → Socialtjänstlag (2025:400) 19 kap. 1 §. Skriv (kontrolleras) sist "
            "på raden om lagrummet inte är kontrollerat mot gällande lydelse."
        ),
    )
    effective_from = bounded.DateField(
        label=gettext_lazy("Grunden gäller från"), window=bounds.ANY_DATE
    )
    effective_to = bounded.DateField(
        label=gettext_lazy("Grunden gäller till (tomt: tills vidare)"),
        window=bounds.ANY_DATE,
        required=False,
    )
    directions = Lines(
        label=gettext_lazy("Från → till"),
        required=True,
        help_text=gettext_lazy(
            "En riktning per rad: verksamhetstyper åtskilda med komma, t.ex. skola, "
            "elevhalsa → socialtjanst. * betyder alla typer utom polis."
        ),
    )
    categories = forms.CharField(
        label=gettext_lazy("Kategorier"),
        max_length=bounds.TEXT_LINE,
        help_text=gettext_lazy("Koder åtskilda med komma, eller * för alla."),
    )
    under_age = bounded.IntegerField(
        label=gettext_lazy("Bara för den som är under (år)"),
        min_value=1,
        max_value=30,
        required=False,
    )
    authorities_only = forms.BooleanField(
        label=gettext_lazy("Bara mellan myndigheter (inte enskilda huvudmän)"), required=False
    )
    balancing = forms.BooleanField(
        label=gettext_lazy("Kräver dokumenterad intresseavvägning"), required=False
    )
    secrecy_excluded = forms.CharField(
        label=gettext_lazy("Sekretess som bryts"),
        max_length=LINE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    conditions = Lines(
        label=gettext_lazy("Villkor som användaren bekräftar"),
        help_text=gettext_lazy("Ett villkor per rad."),
    )
    alternatives = Lines(
        label=gettext_lazy("Andra lagliga vägar"), help_text=gettext_lazy("En per rad.")
    )
    applies_from = bounded.DateField(
        label=gettext_lazy("Ändringen börjar gälla"),
        window=bounds.PLANNED,
        help_text=gettext_lazy("Tidigast i dag. Det som redan har gällt ändras aldrig."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Varför ska grunden ändras?"),
        max_length=bounds.TEXT_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    acknowledge_wider = forms.BooleanField(
        label=gettext_lazy(
            "Jag förstår att ändringen gör att Samverkan lämnar ut automatiskt i fler fall."
        ),
        required=False,
    )

    def clean_statutes(self):
        pairs = []
        for line in _lines(self.cleaned_data["statutes"]):
            verify = line.endswith(VERIFY)
            parts = ARROW.split(line.removesuffix(VERIFY).strip())
            if len(parts) != 2 or len(line) > 2 * LINE:
                raise forms.ValidationError(
                    _("Skriv varje rad som: tidigare lag → gällande lag (raden %(line)s).")
                    % {"line": line[:80]}
                )
            for text in parts:
                if not catalogue.STATUTE.fullmatch(text):
                    raise forms.ValidationError(
                        _("Lagrummet ”%(text)s” har inte formen %(form)s.")
                        % {"text": text[:120], "form": catalogue.STATUTE_FORM}
                    )
            pairs.append({"old": parts[0], "new": parts[1], **({"verify": True} if verify else {})})
        if not pairs:
            raise forms.ValidationError(_("Skriv minst ett lagrum."))
        return pairs

    def clean_directions(self):
        known = set(catalogue.ORG_TYPES)
        found = []
        for line in _lines(self.cleaned_data["directions"]):
            parts = ARROW.split(line)
            if len(parts) != 2:
                raise forms.ValidationError(
                    _("Skriv varje riktning som: typer → typer (raden %(line)s).")
                    % {"line": line[:80]}
                )
            sources, targets = _codes(parts[0]), _codes(parts[1])
            unknown = sorted({*sources, *targets} - known)
            if unknown or not sources or not targets:
                raise forms.ValidationError(
                    _("Okänd verksamhetstyp: %(codes)s. Kända typer: %(known)s.")
                    % {"codes": ", ".join(unknown) or "–", "known": ", ".join(sorted(known))}
                )
            found.append({"from": sources, "to": targets})
        if not found:
            raise forms.ValidationError(_("Skriv minst en riktning."))
        return found

    def clean_categories(self):
        codes = _codes(self.cleaned_data["categories"])
        wrong = [c for c in codes if not CODE.fullmatch(c)]
        if wrong or not codes:
            raise forms.ValidationError(_("Skriv kategoriernas koder åtskilda med komma, eller *."))
        return codes

    def clean_conditions(self):
        return [line[:LINE] for line in _lines(self.cleaned_data["conditions"])]

    def clean_alternatives(self):
        return [line[:LINE] for line in _lines(self.cleaned_data["alternatives"])]

    def clean(self):
        data = super().clean()
        start, end = data.get("effective_from"), data.get("effective_to")
        if start and end and end < start:
            self.add_error("effective_to", _("Slutdagen kan inte vara före startdagen."))
        return data

    def ground(self, code: str) -> dict:
        d = self.cleaned_data
        ground = {
            "code": code,
            "name": d["name"].strip(),
            "summary": " ".join(d["summary"].split()),
            "statutes": d["statutes"],
            "effective_from": d["effective_from"].isoformat(),
            "directions": d["directions"],
            "categories": d["categories"],
            "secrecy_excluded": " ".join(d["secrecy_excluded"].split()),
            "conditions": d["conditions"],
            "alternatives": d["alternatives"],
        }
        optional = {
            "name_en": d["name_en"].strip(),
            "summary_en": " ".join(d["summary_en"].split()),
            "effective_to": d["effective_to"].isoformat() if d["effective_to"] else None,
            "under_age": d["under_age"],
            "authorities_only": d["authorities_only"] or None,
            "balancing": d["balancing"] or None,
        }
        ground.update({k: v for k, v in optional.items() if v})
        return ground


def initial(ground: dict) -> dict:
    """The form's fields from a ground as stored."""
    return {
        "name": ground["name"],
        "name_en": ground.get("name_en", ""),
        "summary": ground["summary"],
        "summary_en": ground.get("summary_en", ""),
        "statutes": "\n".join(
            f"{s['old']} → {s['new']}" + (f" {VERIFY}" if s.get("verify") else "")
            for s in ground["statutes"]
        ),
        "effective_from": ground["effective_from"],
        "effective_to": ground.get("effective_to") or "",
        "directions": "\n".join(
            f"{', '.join(d['from'])} → {', '.join(d['to'])}" for d in ground["directions"]
        ),
        "categories": ", ".join(ground["categories"]),
        "under_age": ground.get("under_age"),
        "authorities_only": ground.get("authorities_only", False),
        "balancing": ground.get("balancing", False),
        "secrecy_excluded": ground["secrecy_excluded"],
        "conditions": "\n".join(ground["conditions"]),
        "alternatives": "\n".join(ground["alternatives"]),
    }


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Beslut"),
        choices=[
            ("approve", gettext_lazy("Fastställ")),
            ("refuse", gettext_lazy("Avslå")),
        ],
        widget=forms.RadioSelect,
    )
    applies_from = bounded.DateField(
        label=gettext_lazy("Versionen börjar gälla"), window=bounds.PLANNED, required=False
    )
    review_reason = forms.CharField(
        label=gettext_lazy("Skäl"),
        max_length=bounds.TEXT_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
