"""PostgreSQL's binary COPY format read with numpy (the draw path's fast read): a million rows of
fixed-width, non-null columns move as one buffer, never as a million Python tuples.

A binary COPY stream is a 19-byte header, then per row an int16 field count and, per field, an int32
length and the value (big-endian), then an int16 -1. With every column fixed-width and not null each row
has the same size, so the body is a numpy structured array (postgresql.org/docs/current/sql-copy.html)."""

import io
from collections.abc import Sequence

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from platform_shared.db.engine import asyncpg_connection

HEADER = b"PGCOPY\n\xff\r\n\x00" + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00"
TRAILER = b"\xff\xff"


def row_dtype(fields: Sequence[tuple[str, str]]) -> np.dtype:
    """Big-endian fields with their length prefixes: [('n', '>i2'), ('len_a', '>i4'), ('a', '>i8'), …]."""
    layout: list[tuple[str, str]] = [("count", ">i2")]
    for name, kind in fields:
        layout += [(f"len_{name}", ">i4"), (name, kind)]
    return np.dtype(layout)


def parse_rows(data: bytes, fields: Sequence[tuple[str, str]]) -> np.ndarray:
    if not data.startswith(HEADER[:11]):
        raise ValueError("not a binary COPY stream")
    dtype = row_dtype(fields)
    body = data[len(HEADER) : len(data) - len(TRAILER)]
    if len(body) % dtype.itemsize:
        raise ValueError("a binary COPY row is not the expected width (a NULL or a variable-width column?)")
    return np.frombuffer(body, dtype=dtype)


async def copy_out(session: AsyncSession, query: str, *args: object) -> bytes:
    """COPY (query) TO STDOUT in binary, on the session's connection and inside its transaction."""
    driver = await asyncpg_connection(await session.connection())
    buffer = io.BytesIO()
    await driver.copy_from_query(query, *args, output=buffer, format="binary")
    return buffer.getvalue()
