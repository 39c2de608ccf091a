from platform_shared.db.migrations import run_env
from policy_service.models import Base

run_env(Base.metadata)
