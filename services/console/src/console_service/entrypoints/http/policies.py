"""정책 / Policies (seed §5, §8): the document, changes, history, rollback, AdGate exceptions, propagation."""

from fastapi import APIRouter

router = APIRouter()
