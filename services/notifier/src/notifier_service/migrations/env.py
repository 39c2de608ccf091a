from notifier_service.models import Base
from platform_shared.service.migrations import run_env

run_env(Base.metadata)
