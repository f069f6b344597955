"""Signals a lower app sends for a higher one to act on (the dependency inverted).

``evaluation_submitted``: someone answered a built-in evaluation (after a meeting:
``survey="mote"``, after a closed case: ``survey="arende"``). Keyword arguments:
``survey``, ``user_id``, ``occasion`` (what was evaluated, e.g. "meeting:<id>"),
``organisation_type``, ``answers`` ({question code: value}), ``comment``. The governance
app folds it into the survey's anonymous responses, in the same transaction.

``occasion_ended``: something that surveys may follow up has ended — a forum meeting was
held (``trigger="meeting"``) or a matter of a report of concern was closed
(``trigger="case"``). Keyword arguments: ``trigger``, ``occasion`` (as above, e.g.
"meeting:<public id>"), ``label`` (what it was, without personal data: the forum and the
date, the report's reference), ``forum_level`` (the forum's level, or ""), and
``respondents``: the people who took part, as ``Respondent`` tuples (a person once per
organisation they took part for). The governance app invites each person once to the
surveys the strategy group bound to such occasions, in the same transaction.
"""

from typing import NamedTuple

from django.dispatch import Signal

evaluation_submitted = Signal()
occasion_ended = Signal()


class Respondent(NamedTuple):
    user_id: int
    organisation_id: int
    organisation_type: str
