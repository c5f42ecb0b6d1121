"""Kubernetes label selectors (kubectl's ``-l``), evaluated on the client against the JobSet's
``metadata.labels``, as the TypeScript SDK does (src/client/selector.ts): ``k=v``, ``k==v``,
``k!=v``, ``k`` (exists), ``!k`` (does not exist), ``k in (a,b)``, ``k notin (a,b)``, joined by
commas (all must hold)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, Mapping

from .errors import FieldIssue, JobSetValidationError

_KEY = re.compile(r"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")
_VALUE = re.compile(r"^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$")
_SET = re.compile(r"^(\S+)\s+(in|notin)\s*\((.*)\)$")
_EQ = re.compile(r"^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$")


@dataclass(frozen=True)
class Requirement:
    key: str
    op: Literal["exists", "notExists", "in", "notIn"]
    values: tuple[str, ...] = ()


def _terms(selector: str) -> list[str]:
    """Splits on the commas that are not inside parentheses."""
    terms, depth, start = [], 0, 0
    for i, c in enumerate(selector):
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "," and depth == 0:
            terms.append(selector[start:i])
            start = i + 1
    terms.append(selector[start:])
    return [t.strip() for t in terms]


def parse_label_selector(selector: str) -> list[Requirement]:
    """The requirements of ``selector`` (empty: none, everything matches).

    Raises:
        JobSetValidationError: the selector is malformed (field ``label_selector``).
    """
    if selector.strip() == "":
        return []

    def fail(why: str) -> JobSetValidationError:
        return JobSetValidationError([FieldIssue("label_selector", f"invalid label selector {selector!r}: {why}")], subject="list request")

    def key(k: str) -> str:
        if not _KEY.match(k):
            raise fail(f"{k!r} is not a valid label key")
        return k

    def value(v: str) -> str:
        if not _VALUE.match(v):
            raise fail(f"{v!r} is not a valid label value")
        return v

    requirements: list[Requirement] = []
    for term in _terms(selector):
        if term == "":
            raise fail("empty requirement")
        if m := _SET.match(term):
            requirements.append(Requirement(key(m[1]), "in" if m[2] == "in" else "notIn", tuple(value(v.strip()) for v in m[3].split(","))))
        elif m := _EQ.match(term):
            requirements.append(Requirement(key(m[1]), "notIn" if m[2] == "!=" else "in", (value(m[3]),)))
        elif term.startswith("!"):
            requirements.append(Requirement(key(term[1:].strip()), "notExists"))
        else:
            requirements.append(Requirement(key(term), "exists"))
    return requirements


def matches_labels(requirements: list[Requirement], labels: Mapping[str, str] | None) -> bool:
    """Whether ``labels`` satisfy every requirement (``!=``/``notin`` hold when the key is absent, as in Kubernetes)."""
    labels = labels or {}
    for r in requirements:
        has = r.key in labels
        ok = {
            "exists": has,
            "notExists": not has,
            "in": has and labels.get(r.key) in r.values,
            "notIn": not has or labels.get(r.key) not in r.values,
        }[r.op]
        if not ok:
            return False
    return True
