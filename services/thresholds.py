"""The one number type of an alert threshold: finite kWh, never a boolean in disguise."""

from typing import Annotated, Any

from pydantic import BeforeValidator, FiniteFloat


def _not_boolean(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("must be a number of kWh, not true or false")
    return value


Threshold = Annotated[FiniteFloat, BeforeValidator(_not_boolean)]
