"""Named crash points for fault-injection tests.

`FAILPOINTS=outbox.after_claim` in a service's environment makes that service kill itself with
SIGKILL when it reaches `failpoint("outbox.after_claim")`; `name@N` kills on the N-th hit. This is
the honest way to test "the process died exactly here". Unset (production), a failpoint is a dict
lookup and nothing else.
"""

import os
import signal
from collections import Counter


def _parse(spec: str) -> dict[str, int]:
    points = {}
    for item in filter(None, spec.split(",")):
        name, _, nth = item.partition("@")
        points[name] = int(nth or 1)
    return points


_ACTIVE = _parse(os.environ.get("FAILPOINTS", ""))
_hits: Counter[str] = Counter()


def failpoint(name: str) -> None:
    if name in _ACTIVE:
        _hits[name] += 1
        if _hits[name] >= _ACTIVE[name]:
            os.kill(os.getpid(), signal.SIGKILL)
