"""Print every service's access table as Markdown (the README's route table is this output;
tests/test_route_table.py keeps the two in step). Usage: python tools/route_table.py"""

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


if __name__ == "__main__":
    print(route_table())
