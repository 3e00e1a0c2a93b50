"""An operator's applications."""

import re
from typing import Annotated, Any

from fastapi import APIRouter, Response, status
from pydantic import (
    AfterValidator,
    AliasChoices,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    WithJsonSchema,
)

from routers.deps import OPERATOR, TOKEN_ERRORS, CurrentOperator, OwnedApplication, ServicesDep
from routers.errors import ALWAYS, documented
from routers.schemas import Answer
from services.applications import (
    ApplicationChanges,
    ApplicationDraft,
    CsvColumns,
)
from services.errors import ErrorCode
from services.thresholds import Threshold

router = APIRouter(tags=["applications"], responses=documented(*TOKEN_ERRORS, *ALWAYS))
WITH_BODY = documented(ErrorCode.BODY_TIMEOUT, ErrorCode.TOO_LARGE)
OWNED = documented(*OPERATOR.errors)
OWNED_WITH_BODY = documented(*OPERATOR.errors, ErrorCode.BODY_TIMEOUT, ErrorCode.TOO_LARGE)

SNS_TOPIC_ARN = r"^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$"


def _topic_arn(value: str | None) -> str | None:
    if value is not None and not re.fullmatch(SNS_TOPIC_ARN, value):
        raise ValueError(
            "must be an SNS topic ARN such as arn:aws:sns:eu-west-1:123456789012:wattkey-alerts"
        )
    return value


Text = Annotated[str, Field(min_length=1, max_length=256)]
AlertEmails = Annotated[list[EmailStr] | None, Field(max_length=50)]
# The pattern is documented in the schema; the validator words the refusal.
TopicArn = Annotated[
    str | None, AfterValidator(_topic_arn), WithJsonSchema({"anyOf": [
        {"type": "string", "pattern": SNS_TOPIC_ARN}, {"type": "null"}]})
]  # fmt: skip


def _optional(*names: str) -> Any:
    """Not required, but never null: without it the field keeps its value."""
    return Field(default=None, validation_alias=AliasChoices(*names))


class ApplicationFields(BaseModel):
    """The body of PATCH: any of the fields of POST and PUT."""

    model_config = ConfigDict(str_strip_whitespace=True)

    App_name: Text = _optional("App_name", "app_name", "name")
    Application: Text = _optional("Application", "application", "application_id")
    Email: EmailStr = _optional("Email", "email")
    Domain: Text = _optional("Domain", "domain")
    threshold_kwh: Threshold | None = None
    alert_emails: AlertEmails = None
    alert_sns_topic_arn: TopicArn = None
    csv_columns: CsvColumns | None = Field(
        default=None,
        description="The columns of this application's CSV files when the reader does not "
        "know their layout; an upload's own `columns` wins.",
    )

    def changes(self) -> ApplicationChanges:
        renamed = {
            "App_name": "name",
            "Application": "application_id",
            "Email": "email",
            "Domain": "domain",
        }
        given = self.model_dump(include=self.model_fields_set)
        return ApplicationChanges(
            **{renamed.get(name, name): value for name, value in given.items()}
        )


class ApplicationBody(ApplicationFields):
    """The body of POST and PUT: every field, the first four required."""

    App_name: Text = Field(validation_alias=AliasChoices("App_name", "app_name", "name"))
    Application: Text = Field(
        validation_alias=AliasChoices("Application", "application", "application_id")
    )
    Email: EmailStr = Field(validation_alias=AliasChoices("Email", "email"))
    Domain: Text = Field(validation_alias=AliasChoices("Domain", "domain"))

    def draft(self) -> ApplicationDraft:
        return ApplicationDraft(
            name=self.App_name,
            application_id=self.Application,
            email=self.Email,
            domain=self.Domain,
            threshold_kwh=self.threshold_kwh,
            alert_emails=list(self.alert_emails or []),
            alert_sns_topic_arn=self.alert_sns_topic_arn,
            csv_columns=self.csv_columns,
        )


class ApplicationOut(Answer):
    id: str
    name: str
    application_id: str
    email: str
    domain: str
    threshold_kwh: float | None
    alert_emails: list[str]
    alert_sns_topic_arn: str | None
    csv_columns: CsvColumns | None
    created_at: str
    updated_at: str


@router.post(
    "/app",
    status_code=status.HTTP_201_CREATED,
    response_model=ApplicationOut,
    responses=WITH_BODY,
)
def apps_create(body: ApplicationBody, operator: CurrentOperator, services: ServicesDep) -> Any:
    return services.applications.create(operator, body.draft())


@router.get("/apps", response_model=list[ApplicationOut])
def apps_list(operator: CurrentOperator, services: ServicesDep) -> Any:
    return services.applications.list(operator)


@router.get("/app/{app_id}", response_model=ApplicationOut, responses=OWNED)
def apps_get(app: OwnedApplication) -> Any:
    return app


@router.put("/app/{app_id}", response_model=ApplicationOut, responses=OWNED_WITH_BODY)
def apps_replace(app: OwnedApplication, body: ApplicationBody, services: ServicesDep) -> Any:
    return services.applications.replace(app, body.draft())


@router.patch(
    "/app/{app_id}",
    response_model=ApplicationOut,
    responses=OWNED_WITH_BODY,
    summary="Change some fields of an application",
)
def apps_update(app: OwnedApplication, body: ApplicationFields, services: ServicesDep) -> Any:
    return services.applications.change(app, body.changes())


@router.delete("/app/{app_id}", status_code=status.HTTP_204_NO_CONTENT, responses=OWNED)
def apps_delete(app: OwnedApplication, services: ServicesDep) -> Response:
    services.applications.delete(app)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
