"""What verify reports."""

from __future__ import annotations

from dataclasses import dataclass, field

from samverkan.audit import hashing

MAX_PROBLEMS = 1000  # kept in memory; further problems are only counted


@dataclass
class Problem:
    seq: int | None
    event_id: int | None
    message: str


@dataclass
class VerifyResult:
    checked: int = 0  # links checked
    unsealed: int = 0  # rows not (yet) linked into the chain
    head_seq: int = 0
    head_hash: str = hashing.GENESIS_HASH
    problems: list[Problem] = field(default_factory=list)
    more_problems: int = 0  # problems beyond MAX_PROBLEMS, counted only
    notes: list[str] = field(default_factory=list)  # information, not failures
    witnesses: list[str] = field(default_factory=list)  # the witnesses compared
    witnessed_seq: int = 0  # the last link a witness saw
    segments: int = 0
    rows: int = 0  # rows whose content was checked
    slow: int = 0  # of which through the reference path (PostgreSQL's set-based check aside)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.more_problems

    def add(self, problem: Problem) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
        else:
            self.more_problems += 1

    @property
    def problem_count(self) -> int:
        return len(self.problems) + self.more_problems


@dataclass
class Rows:
    """One segment's pass over its rows."""

    rows: int = 0
    unsealed: int = 0
    slow: int = 0
    problems: list[Problem] = field(default_factory=list)
    more: int = 0

    def add(self, problem: Problem) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
        else:
            self.more += 1
