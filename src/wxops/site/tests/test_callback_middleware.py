"""The callback URL is served by the site's WSGI application without the middleware it never needs."""

import io

import pytest


@pytest.mark.django_db(transaction=True)
def test_the_callback_url_is_served_without_the_middleware_it_never_needs():
    """Through the WSGI application as gunicorn serves it: the callback skips sessions, CSRF, users,
    messages and frame options (the admin keeps them), and still gets the security middleware."""
    from wxops.site.wsgi import application  # loading it warms up the site, which reads the database

    def get(path: str) -> dict:
        answered = {}

        def start_response(status, headers):
            answered.update(status=status, headers=dict(headers))

        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "testserver",
                   "SERVER_PORT": "80", "HTTP_HOST": "testserver", "wsgi.url_scheme": "http",
                   "wsgi.input": io.BytesIO(), "wsgi.errors": io.StringIO(), "SERVER_PROTOCOL": "HTTP/1.1"}
        b"".join(application(environ, start_response))
        return answered

    callback = get("/wechat/callback/wxnobody00000000/")
    admin = get("/admin/login/")
    assert callback["status"].startswith("404") and admin["status"].startswith("200")
    assert "X-Frame-Options" in admin["headers"] and "X-Frame-Options" not in callback["headers"]
    assert "Cookie" in admin["headers"].get("Vary", "") and "Cookie" not in callback["headers"].get("Vary", "")
    assert callback["headers"].get("X-Content-Type-Options") == "nosniff"  # SecurityMiddleware still runs
