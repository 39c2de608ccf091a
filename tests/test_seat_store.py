"""Both waitlist stores are whole `SeatStore`s (application/ports.py), unit tier. mypy checks the same in
bootstrap.py and at the bottom of tests/memory_waitlist.py; this says it again at run time, by name: a method
the protocol gains and the memory store lacks fails here, and the memory store never falls through to SQL
(it shares no code with `RunStore`)."""

import ast
import inspect
from pathlib import Path

import pytest

from tests.memory_waitlist import MemoryRunStore
from waitlist_service.adapters.run_store import RunStore
from waitlist_service.application.ports import SeatStore

PROTOCOL_METHODS = sorted(name for name, member in vars(SeatStore).items()
                          if inspect.isfunction(member) and not name.startswith("_"))


@pytest.mark.parametrize("store", [RunStore, MemoryRunStore], ids=lambda store: store.__name__)
def test_a_store_has_every_method_of_the_protocol_with_its_signature(store: type) -> None:
    assert PROTOCOL_METHODS, "SeatStore declares the methods the use cases call"
    missing = [name for name in PROTOCOL_METHODS if not inspect.iscoroutinefunction(getattr(store, name, None))]
    assert not missing, f"{store.__name__} lacks these SeatStore methods: {missing}"
    differ = [f"{name}{inspect.signature(getattr(store, name))} != {inspect.signature(getattr(SeatStore, name))}"
              for name in PROTOCOL_METHODS
              if inspect.signature(getattr(store, name)) != inspect.signature(getattr(SeatStore, name))]
    assert not differ, f"{store.__name__} differs from SeatStore:\n" + "\n".join(differ)


def test_the_memory_store_shares_no_code_with_the_sql_store() -> None:
    assert not issubclass(MemoryRunStore, RunStore)
    source = ast.parse(Path(inspect.getfile(MemoryRunStore)).read_text())
    imported = {node.module for node in ast.walk(source) if isinstance(node, ast.ImportFrom)}
    assert "waitlist_service.adapters.run_store" not in imported
