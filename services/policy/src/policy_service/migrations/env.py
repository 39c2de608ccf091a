from platform_shared.db.migrations import run_env

run_env()
