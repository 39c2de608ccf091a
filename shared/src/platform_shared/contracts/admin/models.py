"""Building blocks every admin API's request and response bodies share."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class StrictModel(BaseModel):
    """A request body that refuses unknown fields (a typo is an error, not silently ignored)."""

    model_config = ConfigDict(extra="forbid")


class ResponseModel(BaseModel):
    """An answer body: the docstring under a field becomes its description in the OpenAPI document."""

    model_config = ConfigDict(use_attribute_docstrings=True)


BIGINT_MAX, INTEGER_MAX = 2**63 - 1, 2**31 - 1
"""The largest values of PostgreSQL's BIGINT and INTEGER: ids and numbers past them are refused by field."""
RowId = Annotated[int, Field(ge=1, le=BIGINT_MAX)]
"""The id of a stored row (a BIGINT): anything past it is refused as the field it is, not by the database."""

Reason = Annotated[str, Field(min_length=3, max_length=1000, pattern=r"^[^\x00]*$")]
"""Why an operator does something: required, and kept in the audit log (no NUL: PostgreSQL cannot store it)."""


class ReasonIn(StrictModel):
    reason: Reason


class TokenIn(StrictModel):
    """Step two of a two-step action: the token its prepare step answered."""

    token: str = Field(min_length=10, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    """URL-safe base64, as made (audit/confirmations.py)."""


IsoMoment = Annotated[str, Field(json_schema_extra={"format": "date-time"})]
"""An instant already written as ISO 8601 by the use case (`datetime.isoformat()`, with its own offset):
kept as that text, so the answer reads exactly as the audit log and the confirmation store hold it."""

ConfirmationToken = Annotated[str, Field(description="Names exactly what this step showed; step two takes it")]
"""A prepare step's token (audit/confirmations.py): every two-step answer ends with it and `expires_at`."""
