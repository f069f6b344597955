"""The handover tests' world (``test_handover.w``), shared with the tests of attached
records."""

from .test_handover import w  # noqa: F401
