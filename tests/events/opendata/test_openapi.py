"""/api/openapi.json describes the public JSON truly; /api/docs shows it from our own files."""

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from tests.events.test_api import city  # noqa: F401 - the fixture

pytestmark = pytest.mark.usefixtures("frozen")


def _document(client) -> dict:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def _check(document: dict, schema: dict, answer) -> None:
    """Validate `answer` against `schema`, its #/components/... refs resolved in `document`."""
    validator = Draft202012Validator({**schema, "components": document["components"]})
    errors = list(validator.iter_errors(answer))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def test_the_document_is_valid_openapi_3_1(client, home_page):
    document = _document(client)
    validate(document)  # raises on anything OpenAPI does not allow
    assert document["openapi"] == "3.1.0"
    assert document["servers"] == [{"url": "http://testserver"}]
    assert set(document["paths"]) == {
        "/api/occurrences/",
        "/meetings.json",
        "/openreferral/",
        "/openreferral/services",
        "/openreferral/services/{id}",
        "/openreferral/organizations",
        "/openreferral/locations",
    }


def test_the_apis_answers_and_errors_are_what_the_document_says(client, city):  # noqa: F811
    document = _document(client)
    operation = document["paths"]["/api/occurrences/"]["get"]
    ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
    bad = operation["responses"]["400"]["content"]["application/json"]["schema"]

    answer = client.get("/api/occurrences/?category=social-and-cafe")
    assert answer.status_code == 200 and answer.json()["results"]
    _check(document, ok, answer.json())

    error = client.get("/api/occurrences/?from=soon")
    assert error.status_code == 400
    _check(document, bad, error.json())
    assert error.json() == {
        "errors": {"from": ["Please give the “From” date as a date, for example 2026-12-24."]}
    }
    documented = {p["name"] for p in operation["parameters"]}
    assert documented == {"group", "category", "from", "to", "page"}


def test_meetings_and_hsds_answers_match_the_document(client, city):  # noqa: F811
    document = _document(client)
    paths = document["paths"]

    def schema(path, status="200"):
        return paths[path]["get"]["responses"][status]["content"]["application/json"]["schema"]

    _check(document, schema("/meetings.json"), client.get("/meetings.json").json())
    _check(document, schema("/openreferral/"), client.get("/openreferral/").json())
    for path in (
        "/openreferral/services",
        "/openreferral/organizations",
        "/openreferral/locations",
    ):
        _check(document, schema(path), client.get(path).json())
        _check(document, schema(path, "400"), client.get(path + "?page=0").json())


def test_the_browsable_reference_loads_swagger_ui_from_our_own_static_files(client, home_page):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-openapi-url="/api/openapi.json"' in html
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "/static/js/opendata/api_docs.js" in html
    assert "<script>" not in html  # the CSP forbids inline scripts
    assert "https://cdn" not in html and "unpkg" not in html and "jsdelivr" not in html
    for asset in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui.css", "js/opendata/api_docs.js"):
        from django.contrib.staticfiles import finders

        assert finders.find(asset), asset
