"""The dashboard's answer names every status the queue knows: a new status must not vanish from it."""

from notifier_service.domain.delivery import Status
from platform_shared.contracts.admin.notifier import StatusCountsOut


def test_the_dashboard_counts_every_status_and_the_failed_total() -> None:
    assert set(StatusCountsOut.model_fields) == {status.value for status in Status} | {"failed"}
