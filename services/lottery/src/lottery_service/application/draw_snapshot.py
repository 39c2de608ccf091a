"""A draw as its audit records show it before and after a change (runbook §0: no action without its trace)."""

from lottery_service.adapters.models import Draw


def draw_snapshot(draw: Draw) -> dict[str, object]:
    return {"display_name": draw.display_name, "seats": draw.seats, "waitlist_size": draw.waitlist_size,
            "draw_at": draw.draw_at.isoformat(),
            "status": str(draw.status), "requires_intro": draw.requires_intro,
            "requires_adgate": draw.requires_adgate, "weight_cap": draw.weight_cap,
            "cooldown_hours": draw.cooldown_hours, "commitment": draw.commitment,
            "frozen_set_hash": draw.frozen_set_hash, "algorithm": draw.algorithm}
