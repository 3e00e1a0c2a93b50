"""An operator's applications."""

from typing import Annotated

from fastapi import APIRouter, HTTPException, Response, status
from pydantic import AliasChoices, BaseModel, ConfigDict, EmailStr, Field, FiniteFloat

from routers.deps import NO_APPLICATION, CurrentOperator, OwnedApplication, ServicesDep
from services.applications import Application, ApplicationDraft

router = APIRouter(tags=["applications"])

SNS_TOPIC_ARN = r"^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$"
Text = Annotated[str, Field(min_length=1, max_length=256)]


class ApplicationBody(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    App_name: Text = Field(validation_alias=AliasChoices("App_name", "app_name", "name"))
    Application: Text = Field(
        validation_alias=AliasChoices("Application", "application", "application_id")
    )
    Email: EmailStr = Field(validation_alias=AliasChoices("Email", "email"))
    Domain: Text = Field(validation_alias=AliasChoices("Domain", "domain"))
    threshold_kwh: FiniteFloat | None = None
    alert_emails: list[EmailStr] | None = Field(default=None, max_length=50)
    alert_sns_topic_arn: str | None = Field(default=None, pattern=SNS_TOPIC_ARN)

    def draft(self) -> ApplicationDraft:
        return ApplicationDraft(
            name=self.App_name,
            application_id=self.Application,
            email=self.Email,
            domain=self.Domain,
            threshold_kwh=self.threshold_kwh,
            alert_emails=list(self.alert_emails or []),
            alert_sns_topic_arn=self.alert_sns_topic_arn,
        )


class ApplicationOut(BaseModel):
    id: str
    name: str
    application_id: str
    email: str
    domain: str
    threshold_kwh: float | None
    alert_emails: list[str]
    alert_sns_topic_arn: str | None
    created_at: str
    updated_at: str

    @classmethod
    def of(cls, app: Application) -> "ApplicationOut":
        return cls.model_validate(app.model_dump())


@router.post("/app", status_code=status.HTTP_201_CREATED)
def create_application(
    body: ApplicationBody, operator: CurrentOperator, services: ServicesDep
) -> ApplicationOut:
    return ApplicationOut.of(services.applications.create(operator, body.draft()))


@router.get("/apps")
def list_applications(operator: CurrentOperator, services: ServicesDep) -> list[ApplicationOut]:
    return [ApplicationOut.of(app) for app in services.applications.list(operator)]


@router.get("/app/{app_id}")
def get_application(app: OwnedApplication) -> ApplicationOut:
    return ApplicationOut.of(app)


@router.put("/app/{app_id}")
def update_application(
    app_id: str, body: ApplicationBody, operator: CurrentOperator, services: ServicesDep
) -> ApplicationOut:
    app = services.applications.update(operator, app_id, body.draft())
    if app is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, NO_APPLICATION)
    return ApplicationOut.of(app)


@router.delete("/app/{app_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_application(app_id: str, operator: CurrentOperator, services: ServicesDep) -> Response:
    if not services.applications.delete(operator, app_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, NO_APPLICATION)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
