"""Browser tests: Playwright drives Debian's Chromium against Django's live server.

No browser is downloaded: Chromium comes from the system package (`make test` installs it).
"""

import os
import shutil

import pytest
from playwright.sync_api import expect

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made by the
# tests themselves (factories) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Every user the factories make has this password.
PASSWORD = "correct-horse-battery"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(params=[PHONE, DESKTOP], ids=["phone", "desktop"])
def screen(request):
    return request.param


@pytest.fixture
def browser_context_args(browser_context_args, screen):
    return {**browser_context_args, **screen, "locale": "ru-RU"}


@pytest.fixture
def sign_in(live_server, page):
    """Log a user (made by the role fixtures, with the factories' password) in to the admin in
    this page, signing out whoever was signed in there before."""

    def sign_in_as(user):
        page.context.clear_cookies()
        page.goto(live_server.url + "/admin/login/")
        page.get_by_label("Имя пользователя").fill(user.username)
        page.get_by_label("Пароль").fill(PASSWORD)
        page.get_by_role("button", name="Войти").click()
        expect(page.locator("h1")).to_contain_text("Рабочий стол")

    return sign_in_as


# Every page of a browser test runs under the site's Content-Security-Policy, as in production:
# a script, style, frame or request that the policy refuses fails the test that caused it. The
# browser reports each refusal as a `securitypolicyviolation` event (listened to from a script
# the browser injects itself, which the policy does not govern) and on the console.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || event.documentURI}:${event.lineNumber}`);
});
"""


@pytest.fixture(autouse=True)
def csp_violations(context):
    """The policy's refusals seen so far; a test that provokes one on purpose clears the list."""
    violations: list[str] = []

    def collect(message):
        if "Content Security Policy" in message.text or message.text.startswith("CSP violation"):
            violations.append(f"{message.page.url if message.page else ''}: {message.text}")

    context.add_init_script(REPORT_VIOLATIONS)
    context.on("console", collect)
    yield violations
    if violations:
        pytest.fail("The Content-Security-Policy refused:\n" + "\n".join(violations))
