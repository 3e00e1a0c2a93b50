"""What the API refuses appears as its sentence next to what caused it."""

from playwright.sync_api import expect

from tests.browser.conftest import Console
from tests.browser.test_journey import PASSWORD, create_application, sign_up


def test_refusals_are_sentences(console: Console) -> None:
    page = console.page
    console.expect_http_errors(401, 404, 409, 422)
    email = sign_up(console)
    expect(page.get_by_role("heading", name="New application")).to_be_visible()
    page.get_by_label("Name", exact=True).fill("Bad ARN")
    page.get_by_label("Application id").fill("bad-arn")
    page.get_by_label("Contact email").fill("ops@example.com")
    page.get_by_label("Domain").fill("example.com")
    page.get_by_label("SNS topic ARN").fill("not-an-arn")
    page.get_by_role("button", name="Create application").click()
    form = page.locator("form")
    expect(form.get_by_role("alert")).to_contain_text("must be an SNS topic ARN such as")
    console.shot("application-refused")

    page.get_by_role("button", name="Log out").click()
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_have_text("Incorrect email or password.")
    console.shot("sign-in-refused")

    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("alert")).to_have_text(
        "An operator with this email is already registered."
    )
    email_field = page.get_by_label("Email", exact=True)
    expect(email_field).to_have_attribute("aria-invalid", "true")
    expect(email_field).to_have_accessible_description(
        "An operator with this email is already registered."
    )
    console.shot("email-taken")

    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="Bad ARN")).to_have_count(0)
    expect(page.get_by_role("heading", name="Applications")).to_be_visible()
    console.open("/apps/app_missing/keys")
    expect(page.get_by_role("alert").first).to_have_text("No application with this id.")
    console.shot("application-missing")

    console.open("/nowhere")
    expect(page.get_by_role("heading", name="Nothing here")).to_be_visible()
    console.shot("not-found")


def test_edit_and_delete_application(console: Console) -> None:
    page = console.page
    sign_up(console)
    create_application(page)
    page.get_by_role("link", name="Settings").click()
    threshold = page.get_by_label("Threshold (kWh per reading)")
    expect(threshold).to_have_value("5")
    page.get_by_label("Name", exact=True).fill("Meters South")
    threshold.fill("7.5")
    page.get_by_label("Alert emails").fill("a@example.com, b@example.com")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status")).to_have_text("Saved.")
    expect(page.get_by_role("heading", name="Meters South")).to_be_visible()
    page.reload()
    expect(page.get_by_label("Threshold (kWh per reading)")).to_have_value("7.5")
    expect(page.get_by_label("Alert emails")).to_have_value("a@example.com, b@example.com")
    console.shot("settings")

    page.get_by_role("button", name="Delete application").click()
    dialog = page.get_by_role("dialog", name="Delete “Meters South”?")
    console.shot("delete-confirm", full_page=False)
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    page.get_by_role("button", name="Delete application").click()
    dialog.get_by_role("button", name="Delete application").click()
    expect(page.get_by_role("heading", name="Applications")).to_be_visible()
    expect(page.get_by_text("You have no applications yet.")).to_be_visible()
    console.shot("applications-empty")
