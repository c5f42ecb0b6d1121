"""Reading and checking JobSets before they are sent.

The JSON Schema shipped in this package is a copy of ``schema/jobset.schema.json`` of the
repository, which is generated from the TypeScript zod schema (``npm run gen:schema`` writes both
files; a test checks they are identical). It checks the shape of a JobSet; the workflow applies
the defaults and the semantic checks (the upstream webhook's) when it starts.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import Any, Iterable

import jsonschema
import yaml

from .errors import FieldIssue, JobSetValidationError

_IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")
_validator: jsonschema.protocols.Validator | None = None


def json_schema() -> dict[str, Any]:
    """The JobSet JSON Schema shipped with the package."""
    return json.loads(resources.files(__package__).joinpath("jobset.schema.json").read_text(encoding="utf-8"))


def _get_validator() -> jsonschema.protocols.Validator:
    global _validator
    if _validator is None:
        schema = json_schema()
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
        _validator = cls(schema)
    return _validator


def format_path(segments: Iterable[Any]) -> str:
    """``spec.replicatedJobs[0].replicas``, as the TypeScript side renders paths (``[key]`` for keys like ``kwok-sim/fail``)."""
    out = ""
    for seg in segments:
        if isinstance(seg, int):
            out += f"[{seg}]"
        elif _IDENTIFIER.match(str(seg)):
            out += str(seg) if out == "" else f".{seg}"
        else:
            out += f"[{seg}]"
    return out or "(root)"


def _issues(error: jsonschema.ValidationError) -> list[FieldIssue]:
    """One or more field issues for a schema error, each at the exact field to fix."""
    path = list(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set((error.schema or {}).get("properties", {}))
        extra = [k for k in error.instance if k not in allowed]
        if extra:
            return [FieldIssue(format_path([*path, k]), f'unknown field "{k}"') for k in extra]
    if error.validator == "required" and isinstance(error.instance, dict):
        missing = [k for k in error.validator_value if k not in error.instance]
        return [FieldIssue(format_path([*path, k]), "Required value") for k in missing]
    if error.context:
        # anyOf/oneOf: report the alternative that got furthest.
        return _issues(jsonschema.exceptions.best_match(error.context))
    return [FieldIssue(format_path(path), error.message)]


def validate_jobset(obj: Any) -> None:
    """Checks one JobSet object against the schema.

    Raises:
        JobSetValidationError: listing every problem, each with its field path.
    """
    errors = sorted(_get_validator().iter_errors(obj), key=lambda e: [str(p) for p in e.absolute_path])
    issues: list[FieldIssue] = []
    for e in errors:
        for issue in _issues(e):
            if issue not in issues:
                issues.append(issue)
    if issues:
        name = (obj.get("metadata") or {}).get("name") if isinstance(obj, dict) else None
        raise JobSetValidationError(issues, subject=f'JobSet "{name}"' if name else "JobSet")


def load_jobset(source: dict[str, Any] | str) -> dict[str, Any]:
    """One JobSet from a dict, or from YAML/JSON text holding exactly one document.

    Raises:
        JobSetValidationError: for unreadable text, not exactly one JobSet, or a schema violation.
    """
    if isinstance(source, str):
        try:
            docs = [d for d in yaml.safe_load_all(source) if d is not None]
        except yaml.YAMLError as e:
            raise JobSetValidationError([FieldIssue("(root)", f"unreadable YAML: {e}")]) from e
        if len(docs) != 1:
            raise JobSetValidationError([FieldIssue("(root)", f"the text holds {len(docs)} JobSets; submit them one at a time")])
        obj = docs[0]
    else:
        obj = source
    if not isinstance(obj, dict):
        raise JobSetValidationError([FieldIssue("(root)", f"expected a JobSet object, got {type(obj).__name__}")])
    validate_jobset(obj)
    return obj
