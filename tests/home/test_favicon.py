"""`/favicon.ico`, asked for by browsers, feed readers and bookmarks, is served (whitenoise)."""


def test_favicon_ico_is_served_as_an_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\x00\x00\x01\x00")  # the ICO file signature
    assert "max-age" in response["Cache-Control"]
