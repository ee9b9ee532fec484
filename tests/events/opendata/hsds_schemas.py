"""Validators for the vendored HSDS 3.0 schemas (schemas/hsds) and the UK profile's."""

import json
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

HERE = Path(__file__).parent / "schemas"


@cache
def _registry() -> Registry:
    resources = []
    for path in sorted((HERE / "hsds").glob("*.json")):
        resources.append(
            (
                path.name,
                Resource.from_contents(json.loads(path.read_text()), default_specification=_spec()),
            )
        )
    return Registry().with_resources(resources)


def _spec():
    from referencing.jsonschema import DRAFT202012

    return DRAFT202012


@cache
def hsds(name: str) -> Draft202012Validator:
    """The HSDS 3.0 schema `name` ("service", "organization", "location"), $refs resolved."""
    schema = json.loads((HERE / "hsds" / f"{name}.json").read_text())
    return Draft202012Validator(schema, registry=_registry(), format_checker=FormatChecker())


@cache
def uk(name: str) -> Draft202012Validator:
    """The UK profile's compiled schema `name` ("service", "service_list", "organization_list")."""
    schema = json.loads((HERE / "hsds_uk" / "compiled" / f"{name}.json").read_text())
    return Draft202012Validator(schema, format_checker=FormatChecker())


def assert_valid(validator: Draft202012Validator, document: dict) -> None:
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])
