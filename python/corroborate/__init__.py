"""corroborate: claim-level news corroboration, from Python.

Line up what news outlets claim about one story and show, with evidence, where they agree and
where they conflict. This package calls the same Rust library as the ``corroborate`` command
line tool, so the same articles give the same stories, claim groups and verdicts::

    import corroborate

    report = corroborate.analyze(["examples/articles"])
    report.summary["verdicts"]["conflict"]
    groups = report.to_pandas("groups")

Inputs are paths (files, folders, WARC, feeds, JSON Lines; what the CLI reads), article texts
or article records (dicts with the JSON-record field names: ``text`` or ``html``, ``url``,
``title``, ``date``, ``outlet``, ``authors``, ...). The GIL is released while the Rust library
works, so other Python threads keep running.
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Iterable, Mapping
from typing import Any, Optional, Union

from . import _native
from ._native import InputError
from ._tables import TABLES, to_arrow_table
from ._tables import schema as table_schema

__all__ = [
    "InputError",
    "KnowledgeBaseWarning",
    "Report",
    "TABLES",
    "analyze",
    "extract",
    "table_schema",
    "__version__",
]

__version__: str = _native.__version__


class KnowledgeBaseWarning(UserWarning):
    """A warning about a row of a knowledge-base file (the row still loaded)."""


class Report:
    """The result of :func:`analyze`, with the structure of the JSON report.

    The analysis stays in Rust until it is asked for: :meth:`to_dict` (and the attributes
    ``summary``, ``articles``, ``stories``, ``groups``, ``provenance``) read the JSON report
    once and keep it; :meth:`to_arrow` and :meth:`to_pandas` build tables straight from the
    analysis; :meth:`to_json` writes the same bytes as ``corroborate analyze -f json``.
    """

    def __init__(self, native: Any) -> None:
        self._native = native
        self._dict: Optional[dict] = None

    def __repr__(self) -> str:
        articles, stories, groups, errors = self._native.counts()
        return (
            f"<corroborate.Report: {articles} articles, {stories} stories, "
            f"{groups} claim groups, {errors} input errors>"
        )

    def to_dict(self) -> dict:
        """The JSON report as Python objects (the same keys as ``-f json``).

        Built once and kept: later calls return the same dict.
        """
        if self._dict is None:
            self._dict = json.loads(self._native.json())
        return self._dict

    def to_json(self, path: Union[str, "os.PathLike[str]", None] = None, *, pretty: bool = False) -> Optional[str]:
        """The JSON report: written to ``path`` when given (streamed, nothing returned), else
        returned as a string. ``pretty`` indents it as the CLI does on a terminal."""
        if path is not None:
            self._native.write_json(os.fspath(path), pretty)
            return None
        return self._native.json(pretty).decode("utf-8")

    def to_arrow(self, table: Optional[str] = None) -> Any:
        """One table as a ``pyarrow.Table``, or all four as a dict when ``table`` is None.

        Tables: ``articles`` (one row an article: metadata, text, story, counts, dating,
        sourcing and framing profiles), ``claims`` (one row a claim: article, index, type,
        evidence span and text, the claim object as JSON), ``stories`` (id, label, articles,
        near-duplicate pairs as JSON) and ``groups`` (verdict, topic, explanation, story,
        confidence, claim references, evidence with its text, quote diffs as JSON). The
        schemas: :func:`corroborate.table_schema`.
        """
        if table is None:
            return {name: self.to_arrow(name) for name in TABLES}
        if table not in TABLES:
            raise ValueError(
                f"no table {table!r}: the tables are {', '.join(TABLES)}"
            )
        lines, longest = self._native.table(table)
        return to_arrow_table(table, lines, longest)

    def to_pandas(self, table: Optional[str] = None) -> Any:
        """:meth:`to_arrow` as ``pandas.DataFrame`` objects (needs pandas)."""
        if table is None:
            return {name: self.to_pandas(name) for name in TABLES}
        return self.to_arrow(table).to_pandas()

    @property
    def schema_version(self) -> str:
        """The version of the report's schema (``crates/report/SCHEMA.md``)."""
        return self.to_dict()["schema_version"]

    @property
    def summary(self) -> dict:
        """Counts of articles, stories, groups, errors and groups per verdict."""
        return self.to_dict()["summary"]

    @property
    def articles(self) -> list:
        """Every article: text, metadata, sentences, entities, claims, dating, profiles."""
        return self.to_dict()["articles"]

    @property
    def stories(self) -> list:
        """Stories: their articles and near-duplicate pairs."""
        return self.to_dict()["stories"]

    @property
    def groups(self) -> list:
        """Claim groups, most important verdict first, each with its evidence."""
        return self.to_dict()["groups"]

    @property
    def errors(self) -> list:
        """Inputs that could not be read: ``{"source": ..., "reason": ...}``."""
        return [{"source": s, "reason": r} for s, r in self._native.errors()]

    @property
    def provenance(self) -> dict:
        """Tool, version, time of the run, inputs and knowledge bases."""
        return self.to_dict()["provenance"]


PathLike = Union[str, "os.PathLike[str]"]


def _is_path(text: str) -> bool:
    """Whether a str input names a file, folder or URL rather than being an article's text."""
    if "\n" in text:
        return False
    if text.startswith(("http://", "https://")) or not any(c.isspace() for c in text):
        return True
    return os.path.exists(text)


def _classify(index: int, item: Any) -> tuple:
    """One input as the ``(kind, name, content)`` triple the native module reads."""
    name = f"inputs[{index}]"
    if isinstance(item, os.PathLike):
        return ("path", os.fspath(item), None)
    if isinstance(item, str):
        if _is_path(item):
            return ("path", item, None)
        return ("text", name, item.encode("utf-8"))
    if isinstance(item, (bytes, bytearray, memoryview)):
        return ("text", name, bytes(item))
    if isinstance(item, Mapping):
        try:
            record = json.dumps(dict(item), default=str, ensure_ascii=False)
        except (TypeError, ValueError) as e:
            raise InputError(f"{name}: the record cannot be read as JSON: {e}") from None
        return ("record", name, record.encode("utf-8"))
    raise TypeError(
        f"{name}: expected a path, an article's text or a record dict, "
        f"got {type(item).__name__}"
    )


def _as_list(value: Any) -> list:
    if isinstance(value, (str, bytes, bytearray, memoryview, os.PathLike, Mapping)):
        return [value]
    if isinstance(value, Iterable):
        return list(value)
    return [value]


def analyze(
    inputs: Any,
    kb: Union[PathLike, Iterable[PathLike], None] = None,
    threads: Optional[int] = None,
    *,
    on_error: str = "raise",
) -> Report:
    """Analyse articles and return the :class:`Report` the CLI would write as JSON.

    ``inputs`` is one input or a list of them, in report order:

    - a path or URL (``str`` or ``os.PathLike``): a file, a folder (read recursively), a
      WARC/WARC.gz crawl, a feed, JSON or JSON Lines records, or an http(s) URL, read as
      ``corroborate analyze`` reads it. A ``str`` is taken as a path when it contains no white
      space, starts with ``http://``/``https://``, or names an existing file or folder;
    - an article's text (any other ``str``, or ``bytes``): plain text, optionally with a
      front-matter block, or an HTML page;
    - an article record (a ``dict``) with the JSON-record field names: ``text`` or ``html``,
      ``url``, ``title``, ``date``, ``outlet``, ``authors``, and the news-please and trafilatura
      names for them.

    Texts and records are named ``inputs[i]`` in the report and in errors.

    ``kb``: knowledge-base files (one path or several) merged over the built-in knowledge base,
    as ``analyze --kb``. ``threads``: worker threads (default: all cores).

    ``on_error``: ``"raise"`` (default) raises :class:`InputError` naming every input that could
    not be read and why (the error's ``report`` holds the analysis of the rest);
    ``"keep"`` returns the report with them listed in ``report.errors``, as the CLI does.
    """
    if on_error not in ("raise", "keep"):
        raise ValueError(f"on_error must be 'raise' or 'keep', not {on_error!r}")
    if threads is not None and (not isinstance(threads, int) or threads < 1):
        raise ValueError(f"threads must be a positive number, not {threads!r}")
    triples = [_classify(i, item) for i, item in enumerate(_as_list(inputs))]
    kb_files = [] if kb is None else [os.fspath(k) for k in _as_list(kb)]
    native, kb_warnings = _native.analyze(triples, kb_files, threads)
    for line in kb_warnings:
        warnings.warn(line, KnowledgeBaseWarning, stacklevel=2)
    report = Report(native)
    errors = native.errors()
    if errors and on_error == "raise":
        listed = "; ".join(f"{source}: {reason}" for source, reason in errors)
        error = InputError(
            f"{len(errors)} input{'s' if len(errors) > 1 else ''} could not be read: {listed}"
        )
        error.errors = [{"source": s, "reason": r} for s, r in errors]
        error.report = report
        raise error
    return report


def extract(html: Union[str, bytes], url: Optional[str] = None) -> dict:
    """The main text and metadata of one page, as ``corroborate extract -f json`` gives them.

    ``html`` is an HTML page (``str``, or ``bytes`` in any declared charset) or an article's
    plain text; ``url`` its address when known. Returns a dict with ``source``, ``url``,
    ``title``, ``byline``, ``published`` (``YYYY-MM-DD``), ``outlet``, ``language`` and
    ``text``. Raises :class:`InputError` when no article can be extracted.
    """
    if isinstance(html, str):
        content = html.encode("utf-8")
    elif isinstance(html, (bytes, bytearray, memoryview)):
        content = bytes(html)
    else:
        raise TypeError(f"extract: expected str or bytes, got {type(html).__name__}")
    return json.loads(_native.extract(content, url))
