"""Named crash points for fault-injection tests.

`FAILPOINTS=outbox.after_claim` in a service's environment makes that service kill itself with
SIGKILL when it reaches `failpoint("outbox.after_claim")` — the honest way to test "the process died
exactly here". Unset (production), a failpoint is a set lookup and nothing else.
"""

import os
import signal

_ACTIVE = frozenset(name for name in os.environ.get("FAILPOINTS", "").split(",") if name)


def failpoint(name: str) -> None:
    if name in _ACTIVE:
        os.kill(os.getpid(), signal.SIGKILL)
