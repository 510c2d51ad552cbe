"""Type stubs of the corroborate package (the API documented in __init__.py)."""

import os
from collections.abc import Iterable, Mapping
from typing import Any, Literal, Optional, Union, overload

import pandas
import pyarrow

__version__: str

TableName = Literal["articles", "claims", "stories", "groups"]
TABLES: tuple[str, str, str, str]
PathLike = Union[str, os.PathLike[str]]
Input = Union[str, bytes, os.PathLike[str], Mapping[str, Any]]

class InputError(ValueError):
    """An input that could not be read; the message names the input and the reason."""

    errors: list[dict[str, str]]
    report: Report

class KnowledgeBaseWarning(UserWarning): ...

class Report:
    def to_dict(self) -> dict[str, Any]: ...
    @overload
    def to_json(self, path: None = None, *, pretty: bool = False) -> str: ...
    @overload
    def to_json(self, path: PathLike, *, pretty: bool = False) -> None: ...
    @overload
    def to_arrow(self, table: None = None) -> dict[str, pyarrow.Table]: ...
    @overload
    def to_arrow(self, table: TableName) -> pyarrow.Table: ...
    @overload
    def to_pandas(self, table: None = None) -> dict[str, pandas.DataFrame]: ...
    @overload
    def to_pandas(self, table: TableName) -> pandas.DataFrame: ...
    @property
    def schema_version(self) -> str: ...
    @property
    def summary(self) -> dict[str, Any]: ...
    @property
    def articles(self) -> list[dict[str, Any]]: ...
    @property
    def stories(self) -> list[dict[str, Any]]: ...
    @property
    def groups(self) -> list[dict[str, Any]]: ...
    @property
    def errors(self) -> list[dict[str, str]]: ...
    @property
    def provenance(self) -> dict[str, Any]: ...

def analyze(
    inputs: Union[Input, Iterable[Input]],
    kb: Union[PathLike, Iterable[PathLike], None] = None,
    threads: Optional[int] = None,
    *,
    on_error: Literal["raise", "keep"] = "raise",
) -> Report: ...
def extract(html: Union[str, bytes], url: Optional[str] = None) -> dict[str, Optional[str]]: ...
def table_schema(table: TableName) -> pyarrow.Schema: ...
