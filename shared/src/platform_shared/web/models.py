"""Building blocks every admin API's request bodies share."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class StrictModel(BaseModel):
    """A request body that refuses unknown fields (a typo is an error, not silently ignored)."""

    model_config = ConfigDict(extra="forbid")


Reason = Annotated[str, Field(min_length=3, max_length=1000)]
"""Why an operator does something: required, and kept in the audit log."""


class ReasonIn(StrictModel):
    reason: Reason


class TokenIn(StrictModel):
    """Step two of a two-step action: the token its prepare step answered."""

    token: str = Field(min_length=10, max_length=64)
