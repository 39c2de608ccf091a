"""The notifier's contact book (seed §1: notices by e-mail), pure: an operator's import checked row by row
before anything is stored, and an address as logs may show it. An address is personal data: it never reaches
a log, an error, an event or a dead letter — a refused row is named by its index and field, never its value."""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from platform_shared.errors import InvalidInputError

MAX_ADDRESS = 254
"""RFC 5321 §4.5.3.1.3: the longest path a mail server takes."""
MAX_LOCAL_PART = 64
_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$")
_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")


@dataclass(frozen=True)
class Contact:
    user_id: str
    email: str


def address_problem(address: str) -> str | None:
    """Why an address cannot be mailed (None: it can). Plain addresses only (`local@domain.tld`, an ASCII
    domain, IDN in its punycode form): what a notice needs, not every form RFC 5322 allows."""
    if not address or address != address.strip():
        return "an e-mail address without spaces around it"
    if len(address) > MAX_ADDRESS:
        return f"at most {MAX_ADDRESS} characters"
    local, at, domain = address.rpartition("@")
    if not at or not local:
        return "an address of the form name@example.com"
    if len(local) > MAX_LOCAL_PART or not _LOCAL.match(local) or local.startswith(".") or local.endswith(".") \
            or ".." in local:
        return "a name before @ of letters, digits and .!#$%&'*+/=?^_`{|}~- (no leading, trailing or double dot)"
    labels = domain.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels) or labels[-1].isdigit():
        return "a domain after @ such as example.com"
    return None


def checked_contacts(rows: Sequence[tuple[str, str]]) -> list[Contact]:
    """The rows of an import as contacts, or InvalidInputError on the first bad one (`contacts.<i>.<field>`),
    saying how many rows are bad; an address is normalised to a lower-case domain."""
    problems: list[tuple[int, str, str]] = []
    seen: set[str] = set()
    for index, (user_id, email) in enumerate(rows):
        if user_id in seen:
            problems.append((index, "user_id", "this user appears twice in the batch"))
        seen.add(user_id)
        problem = address_problem(email)
        if problem is not None:
            problems.append((index, "email", f"needs {problem}"))
    if problems:
        index, field, message = problems[0]
        rows_at_fault = sorted({p[0] for p in problems})
        raise InvalidInputError(f"row {index}: {message}; {len(rows_at_fault)} row(s) refused "
                                f"({', '.join(map(str, rows_at_fault[:20]))}); nothing stored",
                                field=f"contacts.{index}.{field}")
    return [Contact(user_id, normalised(email)) for user_id, email in rows]


def normalised(address: str) -> str:
    local, _, domain = address.rpartition("@")
    return f"{local}@{domain.lower()}"


def masked(address: str) -> str:
    """An address as an operator may see it in a log line: `k***@example.com`."""
    local, at, domain = address.rpartition("@")
    return f"{local[:1]}***{at}{domain}" if at else "***"
