"""The kinds of shared content: which model, which fields an administrator edits (with
their Swedish labels), what the title is and which fields are searched. Imports no
models, so the catalogue migration can use it with historical models."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from samverkan.core.summaries import summarise

from . import text


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    multiline: bool = True
    required: bool = False
    help_text: str = ""


@dataclass(frozen=True)
class Kind:
    code: str  # entry_type in versions, search documents and audit rows
    model_name: str
    label: str
    label_plural: str
    url_prefix: str  # "knowledge:<url_prefix>_detail" etc.
    title_field: str
    summary_field: str
    fields: tuple[FieldSpec, ...]
    title_extra: tuple[str, ...] = ()

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def resource_type(self) -> str:
        return f"knowledge.{self.model_name.lower()}"

    def title(self, obj) -> str:
        return str(getattr(obj, self.title_field))

    def label_of(self, field_name: str) -> str:
        return next((f.label for f in self.fields if f.name == field_name), field_name)


# The directory's organisation types (directory.models.OrganisationType), repeated here
# so that this app does not import another app's models.
DIRECTORY_TYPES: tuple[tuple[str, str], ...] = (
    ("", gettext_lazy("Ingen (finns inte i kommunens katalog)")),
    ("forskola", gettext_lazy("Förskola")),
    ("skola", "Skola"),
    ("elevhalsa", gettext_lazy("Elevhälsa")),
    ("socialtjanst", gettext_lazy("Socialtjänst")),
    ("bup", gettext_lazy("Barn- och ungdomspsykiatri (BUP)")),
    ("barnhalsovard", gettext_lazy("Barnhälsovård (BVC)")),
    ("vardcentral", gettext_lazy("Vårdcentral")),
    ("polis", "Polis"),
    ("annan", "Annan"),
)

SOURCES = FieldSpec(
    "sources",
    gettext_lazy("Källor"),
    help_text=gettext_lazy("En källa per rad, t.ex. lag och paragraf eller skrift."),
)
ACTIVE = FieldSpec("is_active", gettext_lazy("Används"), multiline=False)

ACTOR = Kind(
    code="actor",
    model_name="ActorProfile",
    label=gettext_lazy("Aktör"),
    label_plural=gettext_lazy("Aktörer"),
    url_prefix="actor",
    title_field="name",
    summary_field="mission",
    fields=(
        FieldSpec("name", "Namn", multiline=False, required=True),
        FieldSpec("principal", "Huvudman", multiline=False),
        FieldSpec(
            "directory_type",
            "Organisationstyp i katalogen",
            multiline=False,
            help_text=gettext_lazy(
                "Kopplar aktören till kommunens organisationer och kontaktfunktioner."
            ),
        ),
        FieldSpec("mission", "Uppdrag", required=True),
        FieldSpec(
            "laws",
            gettext_lazy("Lagar som styr verksamheten"),
            help_text=gettext_lazy("En lag per rad."),
        ),
        FieldSpec("duty_report", gettext_lazy("Anmälningsskyldighet vid oro för ett barn")),
        FieldSpec("duty_sip", "Samordnad individuell plan (SIP)"),
        FieldSpec("duty_collaborate", gettext_lazy("Skyldighet att samverka")),
        FieldSpec("secrecy", gettext_lazy("Sekretess och tystnadsplikt")),
        FieldSpec("contributes", gettext_lazy("Vad verksamheten kan bidra med i samverkan")),
        SOURCES,
        ACTIVE,
    ),
)

CONCEPT = Kind(
    code="concept",
    model_name="Concept",
    label=gettext_lazy("Begrepp"),
    label_plural=gettext_lazy("Begrepp"),
    url_prefix="concept",
    title_field="term",
    summary_field="definition",
    title_extra=("abbreviation", "synonyms"),
    fields=(
        FieldSpec("term", "Begrepp", multiline=False, required=True),
        FieldSpec("abbreviation", gettext_lazy("Förkortning"), multiline=False),
        FieldSpec("synonyms", gettext_lazy("Andra ord för samma sak"), multiline=False),
        FieldSpec("definition", gettext_lazy("Kort förklaring"), required=True),
        FieldSpec("explanation", "Mer om begreppet"),
        SOURCES,
        ACTIVE,
    ),
)

FACTOR = Kind(
    code="factor",
    model_name="Factor",
    label=gettext_lazy("Risk- eller skyddsfaktor"),
    label_plural=gettext_lazy("Risk- och skyddsfaktorer"),
    url_prefix="factor",
    title_field="name",
    summary_field="description",
    fields=(
        FieldSpec("name", "Namn", multiline=False, required=True),
        FieldSpec("domain", gettext_lazy("Område"), multiline=False, required=True),
        FieldSpec("kind", "Typ", multiline=False, required=True),
        FieldSpec("description", "Beskrivning", required=True),
        FieldSpec("signs", gettext_lazy("Vad kan man se? Vad kan man göra?")),
        SOURCES,
        ACTIVE,
    ),
)

METHOD = Kind(
    code="method",
    model_name="Method",
    label=gettext_lazy("Metod"),
    label_plural=gettext_lazy("Metoder"),
    url_prefix="method",
    title_field="name",
    summary_field="description",
    title_extra=("abbreviation",),
    fields=(
        FieldSpec("name", "Namn", multiline=False, required=True),
        FieldSpec("abbreviation", gettext_lazy("Förkortning"), multiline=False),
        FieldSpec("description", "Beskrivning", required=True),
        FieldSpec("target_group", gettext_lazy("Målgrupp")),
        FieldSpec("used_by", gettext_lazy("Vem använder metoden")),
        FieldSpec(
            "contact_function",
            "Kontaktfunktion",
            multiline=False,
            help_text=gettext_lazy(
                "Titeln på kontaktfunktionen i katalogen, t.ex. Kontaktsocialsekreterare."
            ),
        ),
        SOURCES,
        ACTIVE,
    ),
)

SUGGESTION = Kind(
    code="suggestion",
    model_name="ChecklistSuggestion",
    label=gettext_lazy("Förslag till checklistan"),
    label_plural=gettext_lazy("Förslag till checklistan"),
    url_prefix="suggestion",
    title_field="text",
    summary_field="explanation",
    fields=(
        FieldSpec("text", gettext_lazy("Förslag"), multiline=False, required=True),
        FieldSpec("explanation", gettext_lazy("Varför och hur")),
        SOURCES,
        ACTIVE,
    ),
)

KINDS: dict[str, Kind] = {k.code: k for k in (ACTOR, CONCEPT, FACTOR, METHOD, SUGGESTION)}
EVENT_TYPE = "event"  # events are searchable too, but not versioned content


def snapshot(kind: Kind, obj) -> dict:
    return {name: getattr(obj, name) for name in kind.field_names}


def search_values(kind: Kind, obj) -> dict:
    """The SearchDocument columns for one entry (pure: works on historical models)."""
    title = kind.title(obj)
    extra = " ".join(str(getattr(obj, name) or "") for name in kind.title_extra)
    body = " ".join(
        str(getattr(obj, f.name) or "")
        for f in kind.fields
        if f.multiline or f.name in (kind.title_field, *kind.title_extra)
    )
    full = f"{title} {extra} {body}"
    return {
        "code": obj.code,
        "title": title,
        "summary": summarise(str(getattr(obj, kind.summary_field) or ""), 600).short,
        "title_roots": text.index_text(f"{title} {extra}"),
        "roots": text.index_text(full),
        "roots_folded": text.index_text_folded(full),
    }
