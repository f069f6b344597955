"""The de-identification check as a pure function: generated identifiers embedded in
text are always flagged (personnummer, phone numbers, e-mail plain and obfuscated,
names from the lists and the author's own), ordinary Swedish text is not. The corpus
with its precision and recall is in test_deidentify_corpus.py; the service, pages and
API in test_identified.py and test_deidentify_service.py."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import luhn

from samverkan.meetings import deidentify

WORDS = [
    "eleven",
    "barnet",
    "familjen",
    "skolan",
    "förskolan",
    "har",
    "varit",
    "frånvarande",
    "många",
    "dagar",
    "under",
    "hösten",
    "och",
    "mår",
    "dåligt",
    "hemma",
    "vårdnadshavarna",
    "är",
    "oroliga",
    "över",
    "sömn",
    "mat",
    "och",
    "kamrater",
    "läraren",
    "märker",
    "att",
    "det",
    "är",
    "svårt",
    "att",
    "koncentrera",
    "sig",
    "på",
    "lektionerna",
    "kuratorn",
    "har",
    "träffat",
    "flickan",
    "pojken",
    "några",
    "gånger",
    "socialtjänsten",
    "kan",
    "erbjuda",
    "föräldrastöd",
    "utan",
    "anmälan",
    "gruppen",
    "diskuterade",
    "hur",
    "stödet",
    "kan",
    "samordnas",
    "nästa",
    "steg",
    "är",
    "ett",
    "möte",
    "med",
    "skolsköterskan",
    "våren",
    "sommaren",
    "även",
    "ändå",
    "där",
    "här",
    "får",
    "åt",
    "öga",
    "ön",
    "ängen",
    "åker",
    "övar",
]

ordinary_text = st.lists(st.sampled_from(WORDS), min_size=1, max_size=40).map(" ".join)


@st.composite
def personal_numbers(draw):
    birth = draw(st.dates(datetime.date(1930, 1, 1), datetime.date(2024, 12, 31)))
    serial = draw(st.integers(0, 999))
    coordination = draw(st.booleans())
    day = birth.day + (60 if coordination else 0)
    nine = f"{birth:%y%m}{day:02d}{serial:03d}"
    number = f"{nine}{luhn.calc_check_digit(nine)}"
    style = draw(st.sampled_from(["short_dash", "long_dash", "long", "short", "space"]))
    century = f"{birth:%Y}"[:2]
    return {
        "short_dash": f"{number[:6]}-{number[6:]}",
        "long_dash": f"{century}{number[:6]}-{number[6:]}",
        "long": f"{century}{number}",
        "short": number,
        "space": f"{number[:6]} {number[6:]}",
    }[style]


@st.composite
def phone_numbers(draw):
    area = draw(st.sampled_from(["070", "072", "073", "076", "08", "031", "0123", "040"]))
    digits = draw(st.text("0123456789", min_size=6, max_size=7))
    style = draw(st.sampled_from(["dash", "spaces", "compact", "intl"]))
    if style == "dash":
        return f"{area}-{digits}"
    if style == "spaces":
        return f"{area}-{digits[:3]} {digits[3:5]} {digits[5:]}".strip()
    if style == "compact":
        return f"{area}{digits}"
    return f"+46 {area[1:]} {digits[:3]} {digits[3:]}"


emails = st.builds(
    lambda user, domain, tld: f"{user}@{domain}.{tld}",
    st.from_regex(r"[a-z][a-z0-9._]{0,12}[a-z0-9]", fullmatch=True),
    st.from_regex(r"[a-z][a-z0-9-]{0,10}[a-z0-9]", fullmatch=True),
    st.sampled_from(["se", "nu", "com", "org", "example"]),
)


def _covered(findings, start, end) -> bool:
    return any(f.start <= start and f.end >= end for f in findings) or any(
        f.start < end and f.end > start for f in findings
    )


def _embed(prefix, secret, suffix):
    text = f"{prefix} {secret} {suffix}"
    start = len(prefix) + 1
    return text, start, start + len(secret)


@settings(max_examples=200, deadline=None)
@given(ordinary_text, personal_numbers(), ordinary_text)
def test_personal_numbers_are_always_flagged(prefix, number, suffix):
    text, start, end = _embed(prefix, number, suffix)
    assert _covered(deidentify.check(text), start, end), text


@settings(max_examples=200, deadline=None)
@given(ordinary_text, phone_numbers(), ordinary_text)
def test_phone_numbers_are_always_flagged(prefix, phone, suffix):
    text, start, end = _embed(prefix, phone, suffix)
    assert _covered(deidentify.check(text), start, end), text


@settings(max_examples=200, deadline=None)
@given(ordinary_text, emails, ordinary_text)
def test_email_addresses_are_always_flagged(prefix, email, suffix):
    text, _start, _end = _embed(prefix, email, suffix)
    findings = deidentify.check(text)
    assert any(f.kind == deidentify.EMAIL and f.text == email for f in findings), text


@settings(max_examples=200, deadline=None)
@given(
    ordinary_text,
    st.sampled_from(["Melwin", "Andersson", "Anna Andersson", "Johan"]),
    ordinary_text,
)
def test_known_names_are_always_flagged(prefix, name, suffix):
    text, start, end = _embed(prefix, name, suffix)
    findings = deidentify.check(text, person_names=["Melwin", "Andersson", "Anna", "Johan"])
    assert _covered(findings, start, end), text


@settings(max_examples=300, deadline=None)
@given(ordinary_text)
def test_ordinary_swedish_text_is_not_flagged(text):
    assert (
        deidentify.check(
            text,
            person_names=["Melwin", "Andersson", "Anna", "Johan", "Berg"],
            unit_names=["Familjecentralen 0–12", "Mottagningen"],
        )
        == []
    )


def test_findings_say_exactly_what_to_rewrite():
    text = "Pojken (120315-1234) bor på Björkvägen 12, 123 45 Exempelstad; mamma nås på anna@ex.se"
    findings = deidentify.check(text)
    assert [(f.kind, f.text) for f in findings] == [
        (deidentify.NUMBER, "120315-1234"),
        (deidentify.ADDRESS, "Björkvägen 12"),
        (deidentify.POSTAL_CODE, "123 45"),
        (deidentify.EMAIL, "anna@ex.se"),
    ]
    assert all(text[f.start : f.end] == f.text for f in findings)
    assert "”Björkvägen 12” ser ut som en adress" in findings[1].message


def test_surname_that_is_a_word_is_flagged_only_as_a_name():
    assert deidentify.check("Familjen bor uppe på ett berg.", person_names=["Berg"]) == []
    assert [f.text for f in deidentify.check("Mamma Berg ringde.", person_names=["Berg"])] == [
        "Berg"
    ]


# A corpus of realistic sentences, as staff write them before a consultation. True:
# the sentence identifies someone (and must be flagged); False: it does not.
CORPUS = [
    ("En elev i årskurs 7 har hög frånvaro sedan höstlovet.", False),
    ("Pojken är 14 år och har svårt att komma i tid på morgnarna.", False),
    ("Flickan berättar att det är bråk hemma nästan varje kväll.", False),
    ("Vårdnadshavarna har själva bett om stöd men vet inte vart de ska vända sig.", False),
    ("Skolan har gjort en kartläggning och anpassat schemat under fyra veckor.", False),
    ("Eleven säger att hon inte äter frukost och är trött på lektionerna.", False),
    ("Det finns oro för att ett yngre syskon också far illa.", False),
    ("Familjen har nyligen flyttat till kommunen och har inget nätverk här.", False),
    ("Barnet på förskolan blir ofta hämtat sent och verkar hungrigt.", False),
    ("Mentor har haft tre samtal med eleven under våren.", False),
    ("Hur ska skolan agera när en förälder inte svarar på kallelser?", False),
    ("Vilket stöd kan socialtjänsten ge utan att en anmälan görs?", False),
    ("En pojke i årskurs 3 har blåmärken som han inte vill förklara.", False),
    ("Eleven har en pågående utredning på BUP om koncentrationssvårigheter.", False),
    ("Föräldrarna är oeniga om hur mycket stöd barnet behöver.", False),
    ("Skolsköterskan har noterat viktnedgång vid två hälsobesök.", False),
    ("Den unge har börjat umgås med äldre kamrater och är ute sent.", False),
    ("Kuratorn föreslår ett nätverksmöte efter sportlovet.", False),
    ("Barnet är 4 år och har inte pratat på förskolan sedan i våras.", False),
    ("Eleven har varit borta 40 procent av lektionerna i matematik.", False),
    ("Gruppen diskuterade hur föräldrastöd kan erbjudas tidigt.", False),
    ("Klassläraren oroar sig för att eleven isolerar sig på rasterna.", False),
    ("Mamman har berättat om egen psykisk ohälsa och ber om avlastning.", False),
    ("Pappan arbetar skift och barnet är ofta ensamt på eftermiddagarna.", False),
    ("Under mötet 08.30 på tisdag tas ärendet upp igen.", False),
    ("Insatsen pågick i 12 veckor under 2024 och utvärderas i maj.", False),
    ("Barn 0–12 år tas upp på torsdagar, unga 13–18 år på onsdagar.", False),
    ("Eleven går i klass 7B och har specialpedagogiskt stöd två timmar i veckan.", True),
    ("Familjen har kontakt med en familjebehandlare sedan tre månader.", False),
    ("Det finns en orosanmälan sedan tidigare enligt vårdnadshavaren.", False),
    ("Melwin har varit borta från skolan i tre veckor.", True),
    ("Mamma Anna Andersson ringde till skolan i går.", True),
    ("Eleven har personnummer 20120315-1234.", True),
    ("Hans nummer är 120315-1234 enligt journalen.", True),
    ("Pappan nås på 070-765 43 21 efter klockan fem.", True),
    ("Ring mamman på 0701234567 om något händer.", True),
    ("Skicka kallelsen till johan.andersson@example.se.", True),
    ("Familjen bor på Björkvägen 12 sedan i somras.", True),
    ("Adressen är Ekgränd 7, 123 47 Exempelstad.", True),
    ("Noah i årskurs 3 kommer utan mat.", True),
    ("Linnea Berg har bett om ett möte med rektor.", True),
    ("Barnet har kontakt med Familjecentralen 0–12 sedan i höstas.", True),
    ("Mottagningen har tagit emot en anmälan om familjen.", True),
    ("Samordningsnummer 201203752399 finns i ansökan.", True),
    ("Flickan bor på Solgatan 3 med sin mamma.", True),
    ("Vårdnadshavaren Mikael ringer ofta till skolan.", True),
    ("Kontakta familjen på +46 72 222 33 44.", True),
    ("Elevens mejl är melwin2012@skolan.example.", True),
    ("Johan Andersson har gemensam vårdnad.", True),
    ("Eleven bor på Storgatan 5 B och byter skola.", True),
    ("Mamman har telefon 08-123 456 78 på jobbet.", True),
    ("Barnet skrivs in med nummer 120315+1234.", True),
]


obfuscations = st.sampled_from(
    [" (at) ", "(at)", " [at] ", " snabel-a ", " (a) ", " @ ", " {at} ", " <at> "]
)
dots = st.sampled_from([".", " punkt ", " (dot) ", " [punkt] "])


@settings(max_examples=200, deadline=None)
@given(
    ordinary_text,
    st.from_regex(r"[a-z]{2,10}(\.[a-z]{2,10})?", fullmatch=True),
    obfuscations,
    st.from_regex(r"[a-z]{2,10}", fullmatch=True),
    dots,
    st.sampled_from(["se", "nu", "com", "org"]),
    ordinary_text,
)
def test_obfuscated_email_addresses_are_always_flagged(prefix, user, at, domain, dot, tld, suffix):
    address = f"{user}{at}{domain}{dot}{tld}"
    text, start, _end = _embed(prefix, address, suffix)
    findings = deidentify.check(text)
    assert any(f.kind == deidentify.EMAIL and f.start <= start + 1 for f in findings), text


@settings(max_examples=200, deadline=None)
@given(
    ordinary_text,
    st.sampled_from(sorted(deidentify.base_lexicon().first_names)),
    st.sampled_from(sorted(deidentify.base_lexicon().surnames)),
    ordinary_text,
)
def test_first_name_and_surname_from_the_lists_are_always_flagged(prefix, first, last, suffix):
    """Any of the ~1,000 common first names with any of the 500 common surnames,
    inside a sentence: flagged, as one name."""
    name = f"{first.capitalize()} {last.capitalize()}"
    text, start, end = _embed(f"Mamman {prefix}", name, suffix)
    findings = deidentify.check(text)
    assert _covered(findings, start, end), text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Defect 7: what passed the check before.
        ("Pojken heter Melwin Andersson", [(deidentify.FULL_NAME, "Melwin Andersson")]),
        (
            "Leo Lindqvist, mamma Anna Lindqvist",
            [(deidentify.FULL_NAME, "Leo Lindqvist"), (deidentify.FULL_NAME, "Anna Lindqvist")],
        ),
        (
            "Mejla anna.lindqvist (at) example.se",
            [(deidentify.EMAIL, "anna.lindqvist (at) example.se")],
        ),
        (
            "Skriv till anna [at] example punkt se",
            [(deidentify.EMAIL, "anna [at] example punkt se")],
        ),
        ("Nås på a.b snabel-a ex.se", [(deidentify.EMAIL, "a.b snabel-a ex.se")]),
        # One name alone, in and out of the lists, at the start of a sentence and inside.
        ("Per har ringt flera gånger.", [(deidentify.FIRST_NAME, "Per")]),
        ("Vi har pratat med Hans om saken.", [(deidentify.FIRST_NAME, "Hans")]),
        ("Annas pappa ringde.", [(deidentify.FIRST_NAME, "Annas")]),
        ("Mamman heter Grönqvist i efternamn.", [(deidentify.SURNAME, "Grönqvist")]),
        ("leo lindqvist kom inte.", [(deidentify.FULL_NAME, "leo lindqvist")]),
        # Dates of birth, classes, departments.
        ("Eleven är född 2012-03-15.", [(deidentify.BIRTH_DATE, "2012-03-15")]),
        ("Pojken fyller år den 3 maj.", [(deidentify.BIRTH_DATE, "3 maj")]),
        ("Flickan går i 7B.", [(deidentify.CLASS, "7B")]),
        ("Han går i klass 4a.", [(deidentify.CLASS, "klass 4a")]),
        ("Barnet går på avdelning Solrosen.", [(deidentify.UNIT, "avdelning Solrosen")]),
    ],
)
def test_what_looks_identifying(text, expected):
    findings = deidentify.check(text, today=datetime.date(2026, 6, 1))
    assert [(f.kind, f.text) for f in findings] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Per vecka träffas gruppen två gånger.",
        "Hans mamma har bett om ett möte.",
        "Dag för dag blir det lite bättre.",
        "Klara av skolarbetet är det svåra just nu.",
        "Familjen flyttade från Stockholm till Lindesberg i fjol.",
        "Mötet hålls 2026-03-12 kl 08.30 i stora salen.",
        "Insatsen pågick i 12 veckor under 2024 och utvärderas i maj.",
        "Eleven går i årskurs 7 och har stöd två timmar i veckan.",
        "BUP och BVC deltar; SIP enligt HSL 16 kap. 4 §.",
        "Barnet har bott i Sverige i tre år.",
    ],
)
def test_ordinary_sentences_pass(text):
    assert deidentify.check(text, today=datetime.date(2026, 6, 1)) == []


def test_messages_say_what_never_where():
    """Defect 8: the same message whether a name is in the common lists or only in the
    author's own register; nothing about who knows the name."""
    listed = deidentify.check("Vi har pratat med Melwin.")[0]
    own = deidentify.check("Vi har pratat med Zorbek.", person_names=["Zorbek"])[0]
    assert listed.message == "”Melwin” ser ut som ett förnamn. Skriv om utan det."
    assert own.message == "”Zorbek” ser ut som ett förnamn. Skriv om utan det."
    for finding in (listed, own):
        for word in ("känner", "registr", "verksamhet", "finns", "barnet heter"):
            assert word not in finding.message


def test_every_finding_in_every_field_at_once():
    lex = deidentify.lexicon()
    findings = deidentify.check_fields(
        [("title", "Om Melwin"), ("text", "Ring 070-765 43 21 eller skriv till a@b.se.")],
        lex=lex,
    )
    assert [(f.field, f.kind) for f in findings] == [
        ("title", deidentify.FIRST_NAME),
        ("text", deidentify.PHONE),
        ("text", deidentify.EMAIL),
    ]
    summary = deidentify.summary(findings)
    assert "”Melwin” ser ut som ett förnamn" in summary
    assert "”070-765 43 21” ser ut som ett telefonnummer" in summary


def test_small_group_is_a_warning_across_fields():
    lex = deidentify.lexicon()
    findings = deidentify.check_fields(
        [
            ("title", "En elev i årskurs 8"),
            ("text", "Eleven, 14 år, gjorde ett självmordsförsök i helgen."),
        ],
        lex=lex,
    )
    assert [(f.field, f.kind, f.severity) for f in findings] == [
        ("text", deidentify.SMALL_GROUP, deidentify.WARNING)
    ]
    assert "årskurs 8" in findings[0].message and "14 år" in findings[0].message
    assert "liten grupp" in findings[0].message
    # Without the age, or without the rare event: nothing.
    assert deidentify.check("En elev i årskurs 8 gjorde ett självmordsförsök.") == []
    assert deidentify.check("En elev i årskurs 8, 14 år, har hög frånvaro.") == []
