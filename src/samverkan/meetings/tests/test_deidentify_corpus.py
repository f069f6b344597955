"""Precision and recall of the de-identification check on ordinary Swedish text: every
text of the shared knowledge catalogue (about 580 texts, 100,000 characters of
plain-Swedish guidance), paragraphs as staff write them before a consultation, and
sentences that do identify someone. Run with ``-s`` to see the numbers."""

from __future__ import annotations

import datetime

import pytest

from samverkan.knowledge import catalogue
from samverkan.meetings import deidentify

# It does not use the configured database (pure Python):
# CI runs it once (decision 0358).
pytestmark = pytest.mark.db_independent

TODAY = datetime.date(2026, 6, 1)
# The author's own register in these tests (children and guardians they may see).
REGISTER = ["Melwin", "Andersson", "Noah", "Berg", "Johan", "Mikael", "Linnea", "Zorbek"]
UNITS = ["Mottagningen", "Familjecentralen 0–12", "Ungdoms- och vuxencentralen 13–18"]

# Sentences from consultations. True: identifies someone (must be flagged); False: does
# not (must pass).
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

# Ordinary paragraphs, in the style of minutes and consultations (none identifies).
PARAGRAPHS = [
    "Gruppen gick igenom rutinen för orosanmälan. Skolan anmäler, socialtjänsten "
    "bekräftar att anmälan kommit in och talar om vem som handlägger ärendet. Per "
    "termin följer vi upp hur återkopplingen har fungerat.",
    "Ärendet gäller en elev på mellanstadiet med hög frånvaro under hösten. "
    "Vårdnadshavarna är oroliga men vet inte vart de ska vända sig. Kuratorn har "
    "haft två samtal med eleven och föreslår ett nätverksmöte.",
    "Dag för dag blir det tydligare att familjen behöver stöd från flera håll. "
    "Hans föräldrar vill att skolan och BUP pratar med varandra, och ett samtycke "
    "ska därför tas upp på nästa möte.",
    "Förskolan har sett att ett barn ofta är hungrigt på morgonen. Personalen har "
    "pratat med föräldrarna, som tackade för omtanken. Vi följer upp efter jullovet.",
    "Mötet beslutade att bjuda in Försäkringskassan och Arbetsförmedlingen till "
    "nästa träff. Socialtjänsten sammankallar. Protokollet justeras av två deltagare.",
    "Klara rutiner för vem som gör vad gör samarbetet lättare. Alla verksamheter "
    "ska ha en kontaktperson och en ersättare, så att samverkan inte hänger på en person.",
    "Under våren har BVC, förskolan och socialtjänsten träffats en gång i månaden. "
    "Erfarenheterna är goda: frågor kan tas upp tidigt och avidentifierat.",
    "Eleven är 15 år och har börjat umgås med äldre kamrater. Skolan och fritidsgården "
    "ser samma mönster. Frågan är vilket stöd som kan erbjudas utan en anmälan.",
    "Socialtjänstens mottagning har fått fler anmälningar i höstas än samma period i fjol. "
    "Enhetschefen redovisar siffrorna på strategigruppens möte i december.",
    "Ett syskon i familjen går på en annan skola. Vi diskuterade om den skolan ska "
    "bjudas in, och kom fram till att frågan först ska ställas till vårdnadshavarna.",
]
# Sentences that identify, beyond the corpus above: the reproductions of defect 7 and
# the kinds the check learned since.
IDENTIFYING = [
    "Pojken heter Melwin Andersson.",
    "Leo Lindqvist, mamma Anna Lindqvist.",
    "Mejla anna.lindqvist (at) example.se om mötet.",
    "Skriv till pappan på erik [at] example punkt se.",
    "Mamman nås på lisa.berg snabel-a example.se.",
    "Eleven är född 2013-09-02 och går på skolan sedan två år.",
    "Flickan fyller år den 12 maj och vill ha kalas.",
    "Pojken går i 8C och trivs inte i klassen.",
    "Barnet går på avdelning Blåbäret sedan i höstas.",
    "Sara och hennes bror kommer ofta för sent.",
    "Vi har pratat med Ahmed om läxorna.",
    "Pappan, Göran Svensson, ringde i går.",
    "Annas mamma har bett om ett möte.",
    "zorbek har inte varit i skolan på en vecka.",
]


def _knowledge_texts() -> list[str]:
    """Every text of the knowledge catalogue, except the lists of sources (which cite
    Socialstyrelsen's learning module by the name of its fictional child, Melwin)."""
    texts: list[str] = []

    def walk(value, key=""):
        if key == "sources":
            return
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list | tuple):
            for v in value:
                walk(v, key)

    walk(catalogue.ENTRIES)
    return [t for t in texts if t.strip()]


def _flagged(text: str, lex) -> bool:
    return bool(deidentify.check_fields([("text", text)], lex=lex, today=TODAY))


def test_precision_and_recall_on_ordinary_swedish(capsys):
    lex = deidentify.lexicon(first_names=REGISTER, surnames=REGISTER, unit_names=UNITS)
    knowledge = _knowledge_texts()
    assert len(knowledge) > 500
    ordinary = knowledge + PARAGRAPHS + [s for s, identifying in CORPUS if not identifying]
    identifying = IDENTIFYING + [s for s, flag in CORPUS if flag]
    false_alarms = [t for t in ordinary if _flagged(t, lex)]
    missed = [t for t in identifying if not _flagged(t, lex)]
    hits = len(identifying) - len(missed)
    precision = hits / (hits + len(false_alarms))
    recall = hits / len(identifying)
    with capsys.disabled():
        print(
            f"\nDe-identification: {len(ordinary)} ordinary texts "
            f"({sum(len(t) for t in ordinary):,} characters, {len(knowledge)} from the knowledge "
            f"catalogue), {len(identifying)} identifying sentences; false alarms "
            f"{len(false_alarms)}, missed {len(missed)}; precision {precision:.3f}, "
            f"recall {recall:.3f}"
        )
    assert false_alarms == []
    assert missed == []
