from platform_shared.service.migrations import run_env
from waitlist_service.models import Base

run_env(Base.metadata)
