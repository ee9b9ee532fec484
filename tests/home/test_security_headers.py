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
