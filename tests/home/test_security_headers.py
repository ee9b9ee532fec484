def test_pages_carry_a_strict_content_security_policy(client, home_page):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert response["Permissions-Policy"].startswith("camera=(self)")
    assert response["X-Frame-Options"] == "DENY"


def test_admin_policy_still_allows_only_our_own_host(client, home_page):
    csp = client.get("/admin/login/")["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "http" not in csp


def test_admin_policy_allows_no_inline_event_handler_or_style_attribute(client, home_page):
    csp = client.get("/admin/login/")["Content-Security-Policy"]
    assert "script-src-attr 'none'" in csp
    assert "style-src-attr 'none'" in csp
    assert "unsafe-eval" not in csp


def test_our_own_admin_screens_get_the_strict_policy(client, home_page):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_superuser=True))
    for path in ("/admin/insights/", "/checkin/"):
        response = client.get(path)
        assert response.status_code == 200, path
        csp = response["Content-Security-Policy"]
        assert "unsafe-inline" not in csp, path
        assert "script-src 'self';" in csp, path
