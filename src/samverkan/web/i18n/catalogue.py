"""Read a gettext catalogue and extract a fresh one without touching the tree.

The `.po` format is simple enough to read here (no extra dependency): entries separated
by blank lines, `#,` flag comments, `msgctxt`, `msgid`, `msgid_plural`, `msgstr` and
`msgstr[n]` with continuation lines in double quotes.
"""

import ast
import os
import shutil
import subprocess  # nosec B404: runs this package's own makemessages, no user input
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import datatexts

PACKAGE_DIR = Path(__file__).resolve().parents[2]
CATALOGUE = Path("locale") / "en" / "LC_MESSAGES" / "django.po"
IGNORED = shutil.ignore_patterns("__pycache__", "node_modules", "*.pyc", ".pytest_cache")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    locations: list[str] = field(default_factory=list)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def untranslated(self) -> bool:
        return not self.msgstr or any(not text for text in self.msgstr.values())

    def describe(self) -> str:
        where = ", ".join(self.locations) or "?"
        context = f" [context {self.msgctxt!r}]" if self.msgctxt is not None else ""
        return f"{self.msgid!r}{context} ({where})"


def parse(text: str) -> list[Entry]:
    """The entries of a `.po` file, the header (empty msgid) and obsolete ones left out."""
    entries: list[Entry] = []
    for block in text.split("\n\n"):
        entry, target = Entry(), None
        for raw in block.splitlines():
            line = raw.strip()
            if line.startswith("#~") or not line:
                continue
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#:"):
                entry.locations += line[2:].split()
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                _append(entry, target, _unquote(line))
            else:
                keyword, _, value = line.partition(" ")
                target = keyword
                if keyword == "msgctxt":
                    entry.msgctxt = ""
                _append(entry, target, _unquote(value))
        if entry.msgid:
            entries.append(entry)
    return entries


def _unquote(value: str) -> str:
    return ast.literal_eval(value)  # a C-style string literal; Python reads it the same


def _append(entry: Entry, target: str | None, text: str) -> None:
    if target == "msgid":
        entry.msgid += text
    elif target == "msgid_plural":
        entry.msgid_plural += text
    elif target == "msgctxt":
        entry.msgctxt = (entry.msgctxt or "") + text
    elif target == "msgstr":
        entry.msgstr[0] = entry.msgstr.get(0, "") + text
    elif target and target.startswith("msgstr["):
        index = int(target[len("msgstr[") : -1])
        entry.msgstr[index] = entry.msgstr.get(index, "") + text


def pending(entries: list[Entry]) -> tuple[list[Entry], list[Entry]]:
    """(untranslated, fuzzy) entries. Fuzzy ones are not used at run time."""
    untranslated = [e for e in entries if e.untranslated]
    fuzzy = [e for e in entries if e.fuzzy and not e.untranslated]
    return untranslated, fuzzy


def makemessages(package_dir: Path) -> subprocess.CompletedProcess:
    """`samverkan makemessages -l en` run in `package_dir` with that copy's code, so
    its LOCALE_PATHS (and nothing else) is written."""
    env = {
        **os.environ,
        "PYTHONPATH": str(package_dir.parent),
        "DJANGO_SETTINGS_MODULE": os.environ.get(
            "DJANGO_SETTINGS_MODULE", "samverkan.config.settings.dev"
        ),
    }
    return subprocess.run(  # nosec B603: fixed arguments
        [sys.executable, "-m", "samverkan", "makemessages", "-l", "en"],
        cwd=package_dir,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )


def extract_fresh(package_dir: Path = PACKAGE_DIR) -> list[Entry]:
    """The English catalogue as `makemessages` would make it from the package's current
    files, built in a scratch copy: the tree is not touched."""
    with tempfile.TemporaryDirectory(prefix="samverkan-i18n-") as scratch:
        copy = Path(scratch) / "samverkan"
        shutil.copytree(package_dir, copy, ignore=IGNORED)
        datatexts.write(copy)
        makemessages(copy)
        return parse((copy / CATALOGUE).read_text(encoding="utf-8"))


def report(untranslated: list[Entry], fuzzy: list[Entry]) -> str:
    lines = [f"{len(untranslated)} untranslated, {len(fuzzy)} fuzzy English entries."]
    if untranslated:
        lines.append("Untranslated:")
        lines += [f"  {e.describe()}" for e in untranslated]
    if fuzzy:
        lines.append("Fuzzy (not used at run time until reviewed):")
        lines += [f"  {e.describe()}" for e in fuzzy]
    return "\n".join(lines)
