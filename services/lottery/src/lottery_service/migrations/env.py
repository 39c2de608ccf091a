import lottery_service.adapters.commitment_log_models
import lottery_service.adapters.notice_models  # noqa: F401  (its tables join Base's metadata)
from lottery_service.adapters.models import Base
from platform_shared.service.migrations import run_env

# 0013: this service's head when its own revisions still created the platform's tables.
run_env(Base.metadata, head_at_platform_split="0013")
