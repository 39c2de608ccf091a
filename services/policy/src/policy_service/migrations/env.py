from platform_shared.service.migrations import run_env
from policy_service.models import Base

run_env(Base.metadata)
