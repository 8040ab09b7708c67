"""Steps that several browser tests take the same way."""


def log_in(page, live_server: str, identifier: str, password: str) -> None:
    """Log in through the login form, whatever the page's language."""
    page.goto(f"{live_server}/auth/login")
    page.locator("#identifier").fill(identifier)
    page.locator("#password").fill(password)
    page.locator("form button.primary").click()
