"""Label selectors as kubectl's -l reads them (the TypeScript SDK's test cases, src/client/selector.ts)."""

from __future__ import annotations

import pytest

from jobset_temporal import JobSetValidationError
from jobset_temporal.selector import matches_labels, parse_label_selector

LABELS = {"team": "a", "tier": "prod"}


@pytest.mark.parametrize(
    ("selector", "matches"),
    [
        ("", True),
        ("team=a", True),
        ("team==a", True),
        ("team=b", False),
        ("team!=b", True),
        ("missing!=x", True),
        ("team", True),
        ("!team", False),
        ("!missing", True),
        ("tier in (prod, staging)", True),
        ("tier notin (prod)", False),
        ("team=a,tier in (dev)", False),
        ("team=a, tier in (prod,dev)", True),
    ],
)
def test_selector_matches(selector: str, matches: bool) -> None:
    assert matches_labels(parse_label_selector(selector), LABELS) is matches


@pytest.mark.parametrize("selector", ["team=a,", "bad key=x", "team=not valid!", "-x"])
def test_a_malformed_selector_names_the_field(selector: str) -> None:
    with pytest.raises(JobSetValidationError) as caught:
        parse_label_selector(selector)
    assert caught.value.issues[0].path == "label_selector"
