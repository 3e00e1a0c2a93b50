"""What callers hand the services: a signed-in operator, an application's fields."""

from services.applications import ApplicationDraft
from services.clock import new_id, now_text
from storage.records import User

# As long as production's: shorter HMAC keys draw warnings.
JWT_SECRET = "the jwt secret of the services under test"
PEPPER = "the api key pepper of the services under test"


def operator(name: str) -> User:
    """An operator as the routes hand one to the services: already signed in."""
    return User(
        user_id=new_id("usr"),
        email=f"{name}@example.com",
        password_hash="not used here",
        created_at=now_text(),
    )


def draft(name: str = "Meters North") -> ApplicationDraft:
    return ApplicationDraft(
        name=name, application_id="meters-north", email="ops@example.com", domain="example.com"
    )
