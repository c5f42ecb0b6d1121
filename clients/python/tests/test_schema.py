"""Offline: the shipped schema is the repository's, and local validation names the field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jobset_temporal import JobSetValidationError, json_schema, load_jobset

REPO = Path(__file__).resolve().parents[3]


def test_shipped_schema_is_identical_to_the_generated_one() -> None:
    generated = json.loads((REPO / "schema" / "jobset.schema.json").read_text())
    assert json_schema() == generated, "run `npm run gen:schema` (it writes both copies)"


def small(**spec: object) -> dict:
    return {
        "metadata": {"name": "small"},
        "spec": {
            "replicatedJobs": [
                {"name": "w", "template": {"spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "m", "image": "busybox"}]}}}}}
            ],
            **spec,
        },
    }


def test_a_valid_jobset_passes() -> None:
    assert load_jobset(small())["metadata"]["name"] == "small"


def test_every_problem_is_reported_with_its_field_path() -> None:
    bad = small(suspend="yes")
    bad["spec"]["replicatedJobs"][0]["replicas"] = -1
    bad["spec"]["replicatedJobs"][0]["template"]["spec"]["template"]["metadata"] = {"annotations": {"kwok-sim/fail": True}}
    bad["spec"]["typo"] = 1
    with pytest.raises(JobSetValidationError) as caught:
        load_jobset(bad)
    paths = [i.path for i in caught.value.issues]
    assert "spec.replicatedJobs[0].replicas" in paths
    assert "spec.suspend" in paths
    assert "spec.replicatedJobs[0].template.spec.template.metadata.annotations[kwok-sim/fail]" in paths
    assert "spec.typo" in paths
    assert any(str(i) == 'spec.typo: unknown field "typo"' for i in caught.value.issues)


def test_missing_metadata_is_a_required_value() -> None:
    with pytest.raises(JobSetValidationError) as caught:
        load_jobset({"spec": {"replicatedJobs": []}})
    assert [str(i) for i in caught.value.issues] == ["metadata: Required value"]


def test_yaml_text_must_hold_exactly_one_readable_jobset() -> None:
    with pytest.raises(JobSetValidationError, match="holds 2 JobSets"):
        load_jobset("metadata: {name: a}\nspec: {}\n---\nmetadata: {name: b}\nspec: {}\n")
    with pytest.raises(JobSetValidationError, match="unreadable YAML"):
        load_jobset("metadata: [unclosed\n")
    with pytest.raises(JobSetValidationError, match="expected a JobSet object"):
        load_jobset("- just\n- a list\n")
