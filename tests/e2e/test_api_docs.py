"""/api/docs in a real browser: Swagger UI draws every operation, from our own files only."""

import pytest


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_api_reference_draws_its_operations_without_breaking_the_csp(
    page, live_server, home_page
):
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda error: problems.append(str(error)))

    page.goto(f"{live_server.url}/api/docs")
    page.locator(".swagger-ui .opblock").first.wait_for(timeout=20_000)

    summaries = page.locator(".swagger-ui .opblock-summary-path").all_inner_texts()
    assert "/api/occurrences/" in summaries and "/meetings.json" in summaries
    assert "/openreferral/services/{id}" in [s.replace("\u200b", "") for s in summaries]
    assert page.third_party_requests == []
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
