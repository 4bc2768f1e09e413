"""Logging in as a person does: through the admin's login form."""

from wxops.site.demo import read_logins


def log_in(page, base: str, username: str, password: str | None = None):
    """Log ``username`` in at ``base`` (the live server's URL); the demo's password unless given."""
    if password is None:
        password = {row.username: row.password for row in read_logins()}[username]
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    return page
