"""Arrow schemas of the report's tables and their construction from the native module's rows.

Every column is a field of the JSON report (``crates/report/SCHEMA.md``); fields whose shape
varies by kind (a claim's fields, a group's topic, quote diffs, near-duplicate pairs) are kept
as JSON text in one column, so no information is lost and every table has a fixed schema.
"""

from __future__ import annotations

import io
from typing import Any

TABLES = ("articles", "claims", "stories", "groups")

# Columns read as text and then cast to dates (the JSON reader has no date type).
_DATES = {"articles": ("published", "dating_earliest", "dating_latest")}


def _pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.json  # noqa: F401
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(
            "corroborate's tables need pyarrow: pip install pyarrow"
        ) from e
    return pyarrow


def schema(table: str) -> Any:
    """The ``pyarrow.Schema`` of one table (dates as ``date32``)."""
    pa = _pyarrow()
    read = _read_schema(table)
    dates = _DATES.get(table, ())
    return pa.schema(
        [pa.field(f.name, pa.date32()) if f.name in dates else f for f in read]
    )


def _read_schema(table: str) -> Any:
    pa = _pyarrow()
    i64, s = pa.int64(), pa.string()
    if table == "articles":
        term = pa.struct([("term", s), ("category", s), ("count", i64)])
        return pa.schema(
            [
                ("doc", i64),
                ("source", s),
                ("url", s),
                ("outlet", s),
                ("title", s),
                ("byline", s),
                ("published", s),
                ("published_origin", s),
                ("language", s),
                ("text", pa.large_string()),
                ("story", i64),
                ("sentences", i64),
                ("entities", i64),
                ("mentions", i64),
                ("claims", i64),
                ("dating_earliest", s),
                ("dating_latest", s),
                (
                    "sourcing",
                    pa.struct(
                        [("named", i64), ("anonymous", i64), ("hedged", i64), ("document", i64)]
                    ),
                ),
                (
                    "framing",
                    pa.struct([("outlet", pa.list_(term)), ("quoted_only", pa.list_(term))]),
                ),
            ]
        )
    if table == "claims":
        return pa.schema(
            [
                ("doc", i64),
                ("claim", i64),
                ("type", s),
                ("start", i64),
                ("end", i64),
                ("text", s),
                ("json", pa.large_string()),
            ]
        )
    if table == "stories":
        return pa.schema(
            [
                ("story", i64),
                ("label", s),
                ("docs", pa.list_(i64)),
                ("articles", i64),
                ("near_duplicates", pa.large_string()),
            ]
        )
    if table == "groups":
        return pa.schema(
            [
                ("group", i64),
                ("verdict", s),
                ("topic_type", s),
                ("topic", s),
                ("explanation", s),
                ("story", i64),
                ("confidence", pa.float32()),
                ("independent_sources", i64),
                ("claims", pa.list_(pa.struct([("doc", i64), ("claim", i64)]))),
                (
                    "evidence",
                    pa.list_(
                        pa.struct([("doc", i64), ("start", i64), ("end", i64), ("text", s)])
                    ),
                ),
                ("diffs", s),
            ]
        )
    raise ValueError(f"no table {table!r}: the tables are {', '.join(TABLES)}")


def to_arrow_table(table: str, lines: bytes, longest: int) -> Any:
    """The ``pyarrow.Table`` of ``table`` from its JSON Lines rows."""
    pa = _pyarrow()
    read = _read_schema(table)
    if not lines:
        result = read.empty_table()
    else:
        result = pa.json.read_json(
            io.BytesIO(lines),
            read_options=pa.json.ReadOptions(block_size=max(1 << 20, longest + 1)),
            parse_options=pa.json.ParseOptions(
                explicit_schema=read, unexpected_field_behavior="error"
            ),
        )
    for column in _DATES.get(table, ()):
        index = result.schema.get_field_index(column)
        result = result.set_column(
            index, pa.field(column, pa.date32()), result.column(column).cast(pa.date32())
        )
    return result.combine_chunks() if result.num_rows else result
