from platform_shared.service.migrations import run_env
from policy_service.adapters import incident_models  # noqa: F401  (its tables join Base.metadata)
from policy_service.adapters.models import Base

# 0008: this service's head when its own revisions still created the platform's tables.
run_env(Base.metadata, head_at_platform_split="0008")
