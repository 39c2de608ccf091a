"""Which database errors say the database is away rather than that a statement or an event is wrong:
a consumer waits those out without counting them towards a dead letter, and the pool drops the
connection that saw one, so the next reaches whatever answers now (a promoted primary after a failover).

By SQLSTATE (PostgreSQL, Appendix A): class 08 connection exception, class 53 insufficient resources (out
of connections, memory, disk), 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now (still
starting), 25006 read-only SQL transaction (a connection left on a primary that became a standby)."""

OUTAGE_CLASSES = ("08", "53")
OUTAGE_STATES = frozenset({"57P01", "57P02", "57P03", "25006"})


def sqlstate_of(error: BaseException) -> str | None:
    """The SQLSTATE anywhere in the chain: SQLAlchemy's error → the adapted DBAPI error → asyncpg's."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        state = getattr(current, "sqlstate", None)
        if isinstance(state, str) and len(state) == 5:
            return state
        orig = getattr(current, "orig", None)
        current = orig if isinstance(orig, BaseException) else current.__cause__
    return None


def is_outage_sqlstate(state: str | None) -> bool:
    return state is not None and (state[:2] in OUTAGE_CLASSES or state in OUTAGE_STATES)


def is_lost_connection_sqlstate(state: str | None) -> bool:
    """The connection itself is no good any more (08, 57P01-57P03, 25006). Not class 53: a server short of
    disk or memory keeps its connections, and dropping the whole pool on each such error would only add a
    storm of reconnections to the shortage."""
    return state is not None and (state[:2] == "08" or state in OUTAGE_STATES)
