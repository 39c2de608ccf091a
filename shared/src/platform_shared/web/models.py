"""Building blocks every admin API's request bodies share."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class StrictModel(BaseModel):
    """A request body that refuses unknown fields (a typo is an error, not silently ignored)."""

    model_config = ConfigDict(extra="forbid")


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
