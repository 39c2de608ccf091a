from notifier_service.models import Base
from platform_shared.db.migrations import run_env

run_env(Base.metadata)
