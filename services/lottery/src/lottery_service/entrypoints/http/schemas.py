"""Path parameters the lottery's routers share (bodies and answers are in platform_shared/contracts/admin)."""

from typing import Annotated

from fastapi import Path

from platform_shared.contracts.policy import CAMPAIGN_ID_PATTERN

CampaignId = Annotated[str, Path(min_length=1, max_length=100, pattern=CAMPAIGN_ID_PATTERN)]
