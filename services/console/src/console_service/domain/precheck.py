"""The §3.1 pre-check as a checklist, from what the service's dry run answers (the same items as
`lottery-ops draws precheck`): each item ✓ or ✗ with what was seen."""

from dataclasses import dataclass

from console_service.domain.sections import N_
from platform_shared.contracts.admin.lottery import DryRunOut

DRAWABLE = ("closed", "drawing_ready")


@dataclass(frozen=True)
class Check:
    item: str
    """The English msgid; the page shows it translated."""
    ok: bool
    seen: str
    moment: bool = False
    """`seen` is an instant (ISO): the page shows it in KST."""


def _rate(name: str, rate: float | None) -> str:
    return f"{name} {rate:.0%}" if rate is not None else f"{name} —"


def precheck(report: DryRunOut) -> list[Check]:
    rates, excluded = report.pass_rates, report.excluded
    return [
        Check(N_("Status is closed or drawing_ready"), report.status in DRAWABLE, report.status),
        Check(N_("Draw time reached (or an early run with its reason)"), report.draw_at_reached, report.draw_at_kst,
              moment=True),
        Check(N_("Seats (K) and waitlist (W)"), report.seats >= 1, f"K={report.seats} W={report.waitlist_size}"),
        Check(N_("Intro-first / AdGate pass rates"), report.eligible > 0,
              f"{_rate('intro', rates.intro_first)}, {_rate('adgate', rates.adgate)}"),
        Check(N_("Blacklist / suspicious filters on"), True,
              ", ".join(f"{name} {count}" for name, count in excluded.model_dump().items())),
        Check(N_("Weight cap of the policy in force"), report.entries_above_cap == 0,
              f"cap {report.weight_cap:g} (v{report.policy_version}), above {report.entries_above_cap}"),
        Check(N_("Seed display value"), bool(report.seed_display), report.seed_display),
    ]
