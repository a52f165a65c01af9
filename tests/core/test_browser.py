"""Pages in a real browser: the dashboard screenshot and axe-core on every navigable page."""

import pytest

from peacekit.core.navigation import nav_for
from tests.browser import (
    SCREENSHOTS,
    axe_violations,
    describe,
    full_page_screenshot,
    login,
    make_driver,
    needs_browser,
)

pytestmark = [
    needs_browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def driver():
    browser = make_driver()
    yield browser
    browser.quit()


def test_sign_in_page_has_no_serious_accessibility_violations(live_server, driver):
    driver.get(f"{live_server.url}/accounts/login/")
    violations = axe_violations(driver)
    assert not violations, describe(violations)


def test_dashboard_screenshot_and_every_menu_page_passes_axe(
    live_server, driver, program_admin, org_a
):

    login(driver, live_server.url, program_admin.email, "correct horse battery")
    assert "Welcome" in driver.page_source
    full_page_screenshot(driver, SCREENSHOTS / "dashboard.png")
    failures = {}
    for item in nav_for(program_admin, None):
        driver.get(live_server.url + item["url"])
        violations = axe_violations(driver)
        if violations:
            failures[item["url"]] = describe(violations)
    assert not failures, failures
