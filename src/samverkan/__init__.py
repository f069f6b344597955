"""Samverkan: consent-gated collaboration around children at risk."""

__version__ = "0.1.0"
