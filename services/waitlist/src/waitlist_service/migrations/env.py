from platform_shared.db.migrations import run_env
from waitlist_service.models import Base

run_env(Base.metadata)
