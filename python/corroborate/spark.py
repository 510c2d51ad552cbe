"""corroborate on Apache Spark: the analysis of ``corroborate analyze``, distributed.

From a notebook::

    from corroborate.spark import analyze
    summary = analyze(spark, ["crawl/", "more.parquet"], "out/", kb=["my-kb.toml"])

or with ``spark-submit``::

    spark-submit "$(python -c 'import corroborate.spark as s; print(s.__file__)')" \\
        --out out/ [--kb FILE]... [--files-per-task N] INPUT...

Inputs are paths the driver and the executors can both read: files and folders of what the CLI
reads (JSON Lines and JSON article records, WARC and WARC.gz crawls, HTML, plain text, feeds;
folders listed as the CLI lists them) and Parquet files or folders of article records (columns
with the JSON-record field names: ``url``, ``title``, ``text`` or ``html``, ``date``,
``outlet``, ``authors``, ...). The output folder gets Parquet tables ``articles``, ``claims``,
``stories``, ``groups`` and ``errors`` with the columns of :meth:`corroborate.Report.to_arrow`
(the JSON report's field names), in the report's order, and ``summary.json`` (the JSON
report's ``summary`` object).

The plan, with the Rust library inside every step:

1. **Per-article analysis in the executors**: the inputs are spread over tasks
   (``files_per_task`` files per task; one Parquet batch per task), each task reads, extracts
   and analyses its articles (``mapInArrow``), and the analyses are written to a work folder.
2. **Stories on the driver**: the slim copy of each article (text, sentences, entities; no
   claims) is collected in the CLI's input order, which numbers the articles as the CLI does,
   and the library links entities across the run and clusters stories exactly as the CLI
   (TF-IDF field similarities over key-term candidates, average link, near-duplicates by
   MinHash LSH and sentence alignment).
3. **Alignment per story in the executors**: the analyses are shuffled by story
   (``groupBy(story).applyInPandas``) and each story is dated, judged against the knowledge
   base and aligned; groups are then put in the report's order (verdict, then story).

Why stories are not formed in Spark: the CLI's stories are not the connected components of
LSH candidate pairs; they are average-link clusters over TF-IDF similarities whose weights are
document frequencies over the whole run, and entity linking (one canonical name per person
across the run) changes the features. Distributed versions of both would give different
stories; step 2 gives the same ones, at the cost of the driver holding about one slim copy per
article (see the README section "Spark" for the measured bytes and the limit it sets).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from typing import Any, Iterator, Optional, Sequence

TABLES = ("articles", "claims", "stories", "groups")

_ANALYSES = (
    "file long, rec long, analysis binary, slim binary, error_source string, error_reason string"
)
_STORY_ROWS = (
    "kind string, story long, doc long, rank long, origin long, second long, idx long, row string"
)


def _is_parquet(path: str) -> bool:
    if path.endswith(".parquet"):
        return True
    if os.path.isdir(path):
        names = os.listdir(path)
        return any(n.endswith(".parquet") for n in names) and not any(
            n.endswith((".jsonl", ".json", ".warc", ".gz", ".txt", ".html")) for n in names
        )
    return False


def _analyze_paths(batches: Iterator[Any]) -> Iterator[Any]:
    """Executor side of step 1 for files: analyse each batch of ``(file, path)`` rows."""
    from corroborate import _native

    for batch in batches:
        files = batch.column("file").to_pylist()
        paths = batch.column("path").to_pylist()
        articles, errors = _native.analyze_each([("path", p, None) for p in paths])
        yield _analysis_batch(files, [0] * len(files), articles, errors)


def _analyze_records(batches: Iterator[Any]) -> Iterator[Any]:
    """Executor side of step 1 for Parquet records: each row is one JSON article record."""
    from corroborate import _native

    for batch in batches:
        files = batch.column("__file").to_pylist()
        positions = batch.column("__pos").to_pylist()
        names = batch.column("__name").to_pylist()
        records = batch.drop_columns(["__file", "__pos", "__name"]).to_pylist()
        inputs = [
            (
                "record",
                name,
                json.dumps({k: v for k, v in r.items() if v is not None}, default=str).encode(),
            )
            for name, r in zip(names, records)
        ]
        articles, errors = _native.analyze_each(inputs)
        yield _analysis_batch(files, positions, articles, errors)


def _analysis_batch(files: list, base: list, articles: list, errors: list) -> Any:
    """Rows of step 1: ``(file, rec)`` orders the articles as the CLI numbers them (``rec``
    counts the articles of one input file from ``base``)."""
    import pyarrow as pa

    count = [0] * len(files)
    cols: dict = {
        k: [] for k in ("file", "rec", "analysis", "slim", "error_source", "error_reason")
    }
    for i, analysis, slim in articles:
        cols["file"].append(files[i])
        cols["rec"].append(base[i] + count[i])
        count[i] += 1
        cols["analysis"].append(analysis)
        cols["slim"].append(slim)
        cols["error_source"].append(None)
        cols["error_reason"].append(None)
    for i, source, reason in errors:
        cols["file"].append(files[i])
        cols["rec"].append(-1)
        cols["analysis"].append(None)
        cols["slim"].append(None)
        cols["error_source"].append(source)
        cols["error_reason"].append(reason)
    schema = pa.schema(
        [
            ("file", pa.int64()),
            ("rec", pa.int64()),
            ("analysis", pa.binary()),
            ("slim", pa.binary()),
            ("error_source", pa.string()),
            ("error_reason", pa.string()),
        ]
    )
    return pa.RecordBatch.from_pydict(cols, schema=schema)


def _align_stories(kb: Sequence[str]):
    """Executor side of step 3: one story's rows (its JSON, then its articles) to table rows."""

    def align(pdf: Any) -> Any:
        import pandas as pd
        from corroborate import _native

        story_row = pdf[pdf["doc"] < 0]
        articles = pdf[pdf["doc"] >= 0]
        story = int(pdf["story"].iloc[0])
        docs = [
            (int(d), bytes(a), bytes(e))
            for d, a, e in zip(articles["doc"], articles["analysis"], articles["entities"])
        ]
        article_rows, claim_rows, groups = _native.align_story(
            bytes(story_row["analysis"].iloc[0]), docs, list(kb)
        )
        out = {k: [] for k in ("kind", "story", "doc", "rank", "origin", "second", "idx", "row")}

        def add(
            kind: str, doc: int, rank: int, origin: int, second: int, idx: int, row: str
        ) -> None:
            for k, v in zip(out, (kind, story, doc, rank, origin, second, idx, row)):
                out[k].append(v)

        for row in article_rows:
            add("articles", json.loads(row)["doc"], 0, 0, 0, 0, row)
        for row in claim_rows:
            value = json.loads(row)
            add("claims", value["doc"], 0, 0, 0, value["claim"], row)
        for rank, origin, second, idx, row in groups:
            add("groups", -1, rank, origin, second, idx, row)
        return pd.DataFrame(out)

    return align


def _typed(table: str):
    """Executor side of writing: JSON rows (column ``row``, and ``group`` for groups) to the
    table's typed Arrow batches."""

    def convert(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa
        from corroborate._tables import to_arrow_table

        target = _spark_arrow_schema(table)
        for batch in batches:
            rows = batch.column("row").to_pylist()
            if not rows:
                continue
            lines = "\n".join(rows).encode()
            result = to_arrow_table(table, lines, max(len(r) for r in rows) * 4 + 1)
            if table == "groups":
                index = result.schema.get_field_index("group")
                result = result.set_column(index, "group", batch.column("group").cast(pa.int64()))
            yield from result.cast(target).to_batches()

    return convert


def _spark_arrow_schema(table: str) -> Any:
    """The table's Arrow schema with the string types Spark's Arrow reader takes."""
    import pyarrow as pa
    from corroborate._tables import schema

    def plain(t: Any) -> Any:
        if pa.types.is_large_string(t):
            return pa.string()
        if pa.types.is_list(t):
            return pa.list_(plain(t.value_type))
        if pa.types.is_struct(t):
            return pa.struct([pa.field(f.name, plain(f.type)) for f in t])
        return t

    return pa.schema([pa.field(f.name, plain(f.type)) for f in schema(table)])


def _write(df: Any, table: str, out: str) -> None:
    from pyspark.sql.pandas.types import from_arrow_schema

    spark_schema = from_arrow_schema(_spark_arrow_schema(table))
    df.mapInArrow(_typed(table), spark_schema).write.mode("overwrite").parquet(
        os.path.join(out, table)
    )


def analyze(
    spark: Any,
    inputs: Sequence[str],
    out: str,
    kb: Optional[Sequence[str]] = None,
    files_per_task: int = 64,
) -> dict:
    """Analyses ``inputs`` on the cluster of ``spark`` and writes the tables and
    ``summary.json`` under ``out``; returns the summary. See the module docs."""
    from pyspark.sql import functions as F
    import pyarrow as pa

    from corroborate import _native

    kb = [os.path.abspath(k) for k in (kb or [])]
    os.makedirs(out, exist_ok=True)
    work = os.path.join(out, "_work")
    parquet = [p for p in inputs if _is_parquet(p)]
    files = _native.list_files([p for p in inputs if not _is_parquet(p)])
    files = [os.path.abspath(f) for f in files]

    # Step 1: per-article analysis in the executors.
    parts = []
    if files:
        tasks = max(1, -(-len(files) // max(1, files_per_task)))
        rdd = spark.sparkContext.parallelize(list(enumerate(files)), tasks)
        parts.append(rdd.toDF("file long, path string").mapInArrow(_analyze_paths, _ANALYSES))
    if parquet:
        records = spark.read.parquet(*parquet)
        names = sorted(records.select(F.input_file_name().alias("f")).distinct().toPandas()["f"])
        index = spark.createDataFrame(
            [(n, len(files) + i) for i, n in enumerate(names)], "__name0 string, __file long"
        )
        records = (
            records.withColumn("__name0", F.input_file_name())
            .join(F.broadcast(index), "__name0")
            .withColumn("__pos", F.monotonically_increasing_id())
            .withColumn("__name", F.concat_ws("#", "__name0", F.col("__pos").cast("string")))
            .drop("__name0")
        )
        parts.append(records.mapInArrow(_analyze_records, _ANALYSES))
    analyses = parts[0]
    for p in parts[1:]:
        analyses = analyses.unionByName(p)
    analyses.write.mode("overwrite").parquet(os.path.join(work, "analyses"))
    analyses = spark.read.parquet(os.path.join(work, "analyses"))

    # Step 2: article numbers in the CLI's order, entity linking and stories on the driver.
    slims = analyses.where("rec >= 0").select("file", "rec", "slim").toArrow()
    slims = slims.sort_by([("file", "ascending"), ("rec", "ascending")])
    stories, entities = _native.cluster_stories(slims.column("slim").to_pylist())
    story_of = _story_of(stories, slims.num_rows)

    keys = pa.table(
        {
            "file": slims.column("file"),
            "rec": slims.column("rec"),
            "doc": pa.array(range(slims.num_rows), pa.int64()),
            "story": pa.array(story_of, pa.int64()),
            "entities": pa.array(entities, pa.binary()),
        }
    )
    del slims
    keys_df = spark.createDataFrame(keys.to_pandas())
    story_json = spark.createDataFrame(
        [(i, -1, bytes(s)) for i, (s, _) in enumerate(stories)],
        "story long, doc long, analysis binary",
    ).withColumn("entities", F.lit(None).cast("binary"))

    # Step 3: alignment per story in the executors.
    per_story = (
        analyses.where("rec >= 0")
        .join(keys_df, ["file", "rec"])
        .select("story", "doc", "analysis", "entities")
        .unionByName(story_json)
    )
    rows = per_story.groupBy("story").applyInPandas(_align_stories(kb), _STORY_ROWS)
    rows.write.mode("overwrite").parquet(os.path.join(work, "rows"))
    rows = spark.read.parquet(os.path.join(work, "rows"))

    _write(rows.where("kind = 'articles'").orderBy("doc"), "articles", out)
    _write(rows.where("kind = 'claims'").orderBy("doc", "idx"), "claims", out)
    story_rows = spark.createDataFrame(
        [(i, row) for i, (_, row) in enumerate(stories)], "story long, row string"
    )
    _write(story_rows.orderBy("story"), "stories", out)
    groups = rows.where("kind = 'groups'").select("rank", "origin", "second", "story", "idx", "row")
    groups = (
        groups.orderBy("rank", "origin", "second", "story", "idx")
        .rdd.zipWithIndex()
        .map(lambda r: (r[1], r[0]["row"]))
        .toDF("group long, row string")
    )
    _write(groups, "groups", out)
    errors = (
        analyses.where("rec < 0").select("file", "error_source", "error_reason").orderBy("file")
    )
    errors.select(
        F.col("error_source").alias("source"), F.col("error_reason").alias("reason")
    ).write.mode("overwrite").parquet(os.path.join(out, "errors"))

    summary = _summary(spark, out, len(stories), _native.verdicts())
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
    shutil.rmtree(work, ignore_errors=True)
    return summary


def _story_of(stories: list, n: int) -> list:
    out = [0] * n
    for i, (story, _) in enumerate(stories):
        for doc in json.loads(story)["docs"]:
            out[doc] = i
    return out


def _summary(spark: Any, out: str, stories: int, verdicts: list) -> dict:
    """The JSON report's ``summary`` object, counted from the written tables."""
    from pyspark.sql import functions as F

    read = lambda t: spark.read.parquet(os.path.join(out, t))  # noqa: E731
    groups = read("groups")
    counts = dict(groups.groupBy("verdict").count().collect())
    invalid = groups.select(F.explode("evidence").alias("e")).where("e.text IS NULL").count()
    return {
        "articles": read("articles").count(),
        "stories": stories,
        "groups": groups.count(),
        "errors": read("errors").count(),
        "invalid_evidence": invalid,
        "verdicts": {v: counts.get(v, 0) for v in verdicts},
    }


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="corroborate.spark", description=__doc__.split("\n\n")[0])
    parser.add_argument("inputs", nargs="+", help="files, folders, WARC, JSON Lines or Parquet")
    parser.add_argument("--out", required=True, help="output folder (Parquet tables, summary.json)")
    parser.add_argument(
        "--kb", action="append", default=[], help="knowledge-base file (repeatable)"
    )
    parser.add_argument("--files-per-task", type=int, default=64)
    args = parser.parse_args(argv)
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.appName("corroborate").getOrCreate()
    try:
        summary = analyze(
            spark, args.inputs, args.out, kb=args.kb, files_per_task=args.files_per_task
        )
    finally:
        spark.stop()
    json.dump(summary, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
