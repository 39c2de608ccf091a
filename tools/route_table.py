"""Print every service's access table as Markdown (the README's route table is this output;
tests/test_route_table.py keeps the two in step). Usage: python tools/route_table.py [--console]
(`--console`: the operators' console's own table, the README's console section)."""

import sys

from console_service.access import ACCESS as CONSOLE
from lottery_service.access import ACCESS as LOTTERY
from notifier_service.access import ACCESS as NOTIFIER
from platform_shared.web.access import DOCUMENT_ROUTES, AccessTable, shared_routes
from policy_service.access import ACCESS as POLICY
from waitlist_service.access import ACCESS as WAITLIST

SERVICES: dict[str, AccessTable] = {"lottery": LOTTERY, "waitlist": WAITLIST, "notifier": NOTIFIER, "policy": POLICY}


def route_table() -> str:
    lines = ["| service | route | who may call it |", "|---|---|---|"]
    shared = shared_routes()
    lines += [f"| every service | `{method} {path}` | {access.describe()} |"
              for (method, path), access in shared.items() if (method, path) not in DOCUMENT_ROUTES]
    lines.append("| every service | `GET /docs`, `/redoc`, `/openapi.json` | public |")
    for service, table in SERVICES.items():
        lines += [f"| {service} | `{method} {path}` | {access.describe()} |"
                  for (method, path), access in table.items() if (method, path) not in shared]
    return "\n".join(lines)


def console_route_table() -> str:
    """The console's routes: `sensitive` there means the service behind the action asks for a fresh second
    factor, which the console then asks for in a dialog."""
    lines = ["| console route | who may open it |", "|---|---|"]
    lines += [f"| `{method} {path}` | {access.describe()} |" for (method, path), access in CONSOLE.items()]
    return "\n".join(lines)


if __name__ == "__main__":
    print(console_route_table() if "--console" in sys.argv else route_table())
