"""Signals a lower app sends for a higher one to act on (the dependency inverted).

``evaluation_submitted``: someone answered a built-in evaluation (after a meeting:
``survey="mote"``, after a closed case: ``survey="arende"``). Keyword arguments:
``survey``, ``user_id``, ``occasion`` (what was evaluated, e.g. "meeting:<id>"),
``organisation_type``, ``answers`` ({question code: value}), ``comment``. The governance
app folds it into the survey's anonymous responses, in the same transaction.
"""

from django.dispatch import Signal

evaluation_submitted = Signal()
