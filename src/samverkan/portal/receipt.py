"""The text a family member signs, and its digest (decision 0271). The consent page
shows this exact text in the signing panel; the form carries its SHA-256 digest; the
signature is refused if the text the server builds at signing time has another digest
(the consent changed after the page was shown), and the signing act stores the text
and its digest, which the receipt on the consent page shows."""

from __future__ import annotations

import hashlib

from samverkan.consent.family import FamilyConsent


def consent_text(view: FamilyConsent) -> str:
    """The consent in the words the family reads, one fact a line, in Swedish (the
    stored, signed wording does not follow the interface language)."""
    consent = view.consent
    lines = [
        f"Samtycke {view.public_id}",
        f"Barn: {consent.child.full_name}",
        "Verksamheter som får lämna uppgifter till varandra: "
        + ", ".join(name for _pid, name, _registering in view.parties),
        "Slags uppgifter: " + ", ".join(name for _code, name in view.categories),
        "Varför: " + ", ".join(view.purposes),
        "Gäller inte: " + (consent.exclusions.strip() or "–"),
        f"Giltigt: {consent.valid_from:%Y-%m-%d} – {consent.valid_until:%Y-%m-%d}",
    ]
    return "\n".join(line.replace("\r", " ") for line in lines)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
