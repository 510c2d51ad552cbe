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
2. **Entity linking on the driver**: each article's entities (names and kinds only) are
   collected in the CLI's input order, which numbers the articles as the CLI does, and linked
   across the run (one canonical name per person).
3. **Stories by shuffles**, the CLI's stories exactly (the library's ``parts`` of story
   clustering): the run's statistics (document frequencies over exact-copy representatives;
   the first of a group of exact copies is found by grouping on their hash) are summed in the
   executors and broadcast; each article's key terms and MinHash LSH band keys are emitted in
   the executors; a shuffle on key terms gives each article the neighbours it scans in each
   key's postings (nearest in time, capped, as the CLI scans them) and a shuffle on articles
   its story candidates; a shuffle on band keys gives the near-duplicate candidates; the
   candidate pairs are joined with both articles' clustering features (computed once per
   article, a few kilobytes) and kept when they are links of the story
   graph (similarity at least ``edge_min``, or a confirmed near-duplicate). The driver runs
   the run's average link over the links' similarities (integers and floats only) and splits
   the run into parts of whole average-link clusters, joined by the edges of the articles
   average link leaves alone, near-duplicates and copies; each part is clustered in the
   executors (``groupBy(part).applyInPandas``) with the run's clusters, statistics and links
   (singleton attachment, near-duplicates, labels). No story depends on an article outside its
   part, so this is exact; the cost is bounded by the largest part.
4. **Alignment per story in the executors**: the analyses are shuffled by story
   (``groupBy(story).applyInPandas``) and each story is dated, judged against the knowledge
   base and aligned; groups are then put in the report's order (verdict, then story).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import shutil
import sys
from typing import Any, Iterator, Optional, Sequence

TABLES = ("articles", "claims", "stories", "groups")

_ANALYSES = (
    "file long, rec long, analysis binary, slim binary, entities binary, copy long,"
    " error_source string, error_reason string"
)
_STORY_ROWS = (
    "kind string, story long, doc long, rank long, origin long, second long, idx long, row string"
)
_COLUMNS = ("file", "rec", "analysis", "slim", "entities", "copy", "error_source", "error_reason")


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
    cols: dict = {k: [] for k in _COLUMNS}

    def add(*values: Any) -> None:
        for k, v in zip(_COLUMNS, values):
            cols[k].append(v)

    for i, analysis, slim, entities, copy in articles:
        add(files[i], base[i] + count[i], analysis, slim, entities, copy, None, None)
        count[i] += 1
    for i, source, reason in errors:
        add(files[i], -1, None, None, None, None, source, reason)
    types = (pa.int64(), pa.int64()) + (pa.binary(),) * 3 + (pa.int64(),) + (pa.string(),) * 2
    schema = pa.schema(list(zip(_COLUMNS, types)))
    return pa.RecordBatch.from_pydict(cols, schema=schema)


_STATISTICS: list = []


def _statistics(broadcast: Any) -> Any:
    """The run's statistics of ``broadcast`` (bytes), read once per Python worker: a worker
    loads a broadcast's value once, so the same bytes object means the same statistics."""
    from corroborate import _native

    data = broadcast.value
    if not _STATISTICS or _STATISTICS[0][0] is not data:
        _STATISTICS[:] = [(data, _native.RunStatistics(data))]
    return _STATISTICS[0][1]


def _docs(batch: Any) -> list:
    """``(doc, slim, entities, rep)`` tuples of a batch of step 3."""
    return list(
        zip(
            batch.column("doc").to_pylist(),
            batch.column("slim").to_pylist(),
            batch.column("entities").to_pylist(),
            batch.column("rep").to_pylist(),
        )
    )


def _sum_statistics(batches: Iterator[Any]) -> Iterator[Any]:
    """Executor side of step 3: the statistics of a partition's articles, as one row."""
    import pyarrow as pa
    from corroborate import _native

    for batch in batches:
        data = _native.story_statistics(_docs(batch))
        yield pa.RecordBatch.from_pydict({"statistics": [data]})


def _story_keys(statistics: Any):
    """Executor side of step 3: ``(band, key, day, doc)`` rows, an article's key terms (with
    its day) and LSH band keys (``band``)."""

    def keys(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa
        from corroborate import _native

        for batch in batches:
            docs = _docs(batch)
            found = _native.story_keys(_statistics(statistics), docs)
            cols: dict = {"band": [], "key": [], "day": [], "doc": []}
            for (doc, _, _, _), (terms, bands, day) in zip(docs, found):
                for band, ks, d in ((False, terms, day), (True, bands, None)):
                    cols["band"].extend([band] * len(ks))
                    cols["key"].extend(ks)
                    cols["day"].extend([d] * len(ks))
                    cols["doc"].extend([doc] * len(ks))
            yield pa.RecordBatch.from_pydict(
                cols,
                schema=pa.schema(
                    [
                        ("band", pa.bool_()),
                        ("key", pa.int64()),
                        ("day", pa.int32()),
                        ("doc", pa.int64()),
                    ]
                ),
            )

    return keys


def _pairs(a: list, b: list, **extra: Any) -> Any:
    """A batch of pairs of article ids ``(a, b)``, with constant columns ``extra``."""
    import pyarrow as pa

    cols = {"a": pa.array(a, pa.int64()), "b": pa.array(b, pa.int64())}
    for name, value in extra.items():
        cols[name] = pa.array([value] * len(a), pa.bool_())
    return pa.RecordBatch.from_pydict(cols)


def _neighbours(batches: Iterator[Any]) -> Iterator[Any]:
    """Executor side of step 3: each key term's postings to ``(a, b)`` rows, an article and a
    neighbour it scans in them."""
    from corroborate import _native

    for batch in batches:
        postings = [
            [(p["day"], p["doc"]) for p in lst] for lst in batch.column("postings").to_pylist()
        ]
        yield _pairs(*_native.posting_neighbours(postings))


def _candidates(batches: Iterator[Any]) -> Iterator[Any]:
    """Executor side of step 3: each article's neighbours to its story candidate pairs."""
    from corroborate import _native

    for batch in batches:
        seen = list(zip(batch.column("a").to_pylist(), batch.column("seen").to_pylist()))
        yield _pairs(*_native.story_candidates(seen), duplicate=False)


def _buckets(batches: Iterator[Any]) -> Iterator[Any]:
    """Executor side of step 3: each LSH bucket's articles to near-duplicate candidates."""
    from corroborate import _native

    for batch in batches:
        yield _pairs(*_native.bucket_pairs(batch.column("docs").to_pylist()), duplicate=True)


def _features(batches: Iterator[Any]) -> Iterator[Any]:
    """Executor side of step 3: each article's clustering features, ``(doc, features)``."""
    import pyarrow as pa
    from corroborate import _native

    for batch in batches:
        docs = [(d, s, e) for d, s, e, _ in _docs(batch)]
        features = _native.story_features(docs)
        yield pa.RecordBatch.from_pydict(
            {"doc": batch.column("doc"), "features": pa.array(features, pa.binary())}
        )


def _links(statistics: Any):
    """Executor side of step 3: the candidate pairs (joined with both articles' features) that
    are links of the run's story graph, with the similarity of story links."""

    def links(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa
        from corroborate import _native

        for batch in batches:
            col = lambda name: batch.column(name).to_pylist()  # noqa: E731
            pairs = list(zip(col("duplicate"), col("a_features"), col("b_features")))
            similarity = pa.array(_native.story_links(_statistics(statistics), pairs), pa.float32())
            kept = {k: batch.column(k) for k in ("a", "b", "duplicate")}
            kept["similarity"] = similarity
            yield pa.RecordBatch.from_pydict(kept).filter(similarity.is_valid())

    return links


def _cluster_parts(statistics: Any):
    """Executor side of step 3: one part's articles and links to its stories,
    ``(first, story)``."""

    def cluster(pdf: Any) -> Any:
        import pandas as pd
        from corroborate import _native

        articles = pdf[pdf["slim"].notna()]
        links = pdf[pdf["slim"].isna()]
        docs = [
            (int(d), bytes(s), bytes(e), int(c))
            for d, s, e, c in zip(
                articles["doc"], articles["slim"], articles["entities"], articles["cluster"]
            )
        ]
        rows = list(zip(links["doc"], links["other"], links["duplicate"], links["similarity"]))
        similar = [(int(a), int(b), float(s)) for a, b, d, s in rows if not d]
        duplicates = [(int(a), int(b)) for a, b, d, _ in rows if d]
        stories = _native.cluster_part(_statistics(statistics), docs, similar, duplicates)
        return pd.DataFrame(
            {"first": [f for f, _ in stories], "story": [bytes(s) for _, s in stories]}
        )

    return cluster


def _stories(spark: Any, docs: Any, work: str) -> Any:
    """Step 3: the stories of ``docs`` (``doc``, ``copy``, ``slim``, ``entities``), as a
    data frame ``(story, first, json)`` with ids in the CLI's order (by first article)."""
    import pyarrow as pa
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    from corroborate import _native

    first_copy = F.min("doc").over(Window.partitionBy("copy"))
    docs = (
        docs.withColumn(
            "first", F.when(F.col("copy").isNull(), F.col("doc")).otherwise(first_copy)
        )
        .withColumn("rep", F.col("doc") == F.col("first"))
        .select("doc", "slim", "entities", "rep", "first")
    )
    docs.write.mode("overwrite").parquet(os.path.join(work, "slims"))
    docs = spark.read.parquet(os.path.join(work, "slims"))
    n = docs.count()
    if n == 0:
        return spark.createDataFrame([], "story long, first long, json binary")

    statistics = (
        docs.mapInArrow(_sum_statistics, "statistics binary")
        .rdd.map(lambda r: bytes(r[0]))
        .treeReduce(_native.merge_statistics)
    )
    statistics = spark.sparkContext.broadcast(statistics)

    # Candidate pairs: story candidates by a shuffle on key terms, then on articles;
    # near-duplicate candidates by a shuffle on LSH band keys.
    keys = docs.mapInArrow(_story_keys(statistics), "band boolean, key long, day int, doc long")
    keys.write.mode("overwrite").parquet(os.path.join(work, "keys"))
    keys = spark.read.parquet(os.path.join(work, "keys"))
    similar = (
        keys.where("NOT band")
        .groupBy("key")
        .agg(F.collect_list(F.struct("day", "doc")).alias("postings"))
        .where(F.size("postings") > 1)
        .select("postings")
        .mapInArrow(_neighbours, "a long, b long")
        .groupBy("a")
        .agg(F.collect_list("b").alias("seen"))
        .mapInArrow(_candidates, "a long, b long, duplicate boolean")
    )
    duplicates = (
        keys.where("band")
        .groupBy("key")
        .agg(F.collect_list("doc").alias("docs"))
        .where(F.size("docs") > 1)
        .select("docs")
        .mapInArrow(_buckets, "a long, b long, duplicate boolean")
    )
    # The links of the story graph: candidates scored with both articles' features (a few KB
    # each, read and tokenised once per article rather than once per pair).
    features = docs.mapInArrow(_features, "doc long, features binary")
    features.write.mode("overwrite").parquet(os.path.join(work, "features"))
    features = spark.read.parquet(os.path.join(work, "features"))
    side = lambda e: features.select(  # noqa: E731
        F.col("doc").alias(e), F.col("features").alias(f"{e}_features")
    )
    links = (
        similar.unionByName(duplicates)
        .distinct()
        .join(side("a"), "a")
        .join(side("b"), "b")
        .mapInArrow(_links(statistics), "a long, b long, duplicate boolean, similarity float")
        .toArrow()
    )
    # Parts to cluster apart, on the driver from the links and copies (integers only).
    copies = docs.where("NOT rep").select("first", "doc").toArrow()
    column = lambda t, c: t.column(c).to_pylist()  # noqa: E731
    duplicate = column(links, "duplicate")
    pairs = list(zip(column(links, "a"), column(links, "b"), column(links, "similarity")))
    part, cluster = _native.story_parts(
        n,
        [p for p, d in zip(pairs, duplicate) if not d],
        [(a, b) for (a, b, _), d in zip(pairs, duplicate) if d],
        list(zip(column(copies, "first"), column(copies, "doc"))),
    )
    del copies, pairs
    sizes = sorted(collections.Counter(part).values(), reverse=True)
    print(
        f"corroborate.spark: {n} articles, {links.num_rows} story links, {len(sizes)} parts,"
        f" the largest of {sizes[0]} articles (sizes {sizes[:10]})",
        file=sys.stderr,
    )
    parts = spark.createDataFrame(
        pa.table(
            {
                "doc": pa.array(range(n), pa.int64()),
                "part": pa.array(part, pa.int64()),
                "cluster": pa.array(cluster, pa.int64()),
            }
        ).to_pandas()
    )
    del cluster
    link_rows = spark.createDataFrame(
        pa.table(
            {
                "part": pa.array([part[a] for a in column(links, "a")], pa.int64()),
                "doc": links.column("a"),
                "other": links.column("b"),
                "duplicate": links.column("duplicate"),
                "similarity": links.column("similarity"),
            }
        ).to_pandas(),
        "part long, doc long, other long, duplicate boolean, similarity float",
    )
    del links
    stories = (
        docs.join(parts, "doc")
        .select(
            "part",
            "doc",
            "slim",
            "entities",
            "cluster",
            F.lit(None).cast("long").alias("other"),
            F.lit(None).cast("boolean").alias("duplicate"),
            F.lit(None).cast("float").alias("similarity"),
        )
        .unionByName(
            link_rows.select(
                "part",
                "doc",
                F.lit(None).cast("binary").alias("slim"),
                F.lit(None).cast("binary").alias("entities"),
                F.lit(None).cast("long").alias("cluster"),
                "other",
                "duplicate",
                "similarity",
            )
        )
        .groupBy("part")
        .applyInPandas(_cluster_parts(statistics), "first long, story binary")
    )
    stories.write.mode("overwrite").parquet(os.path.join(work, "stories"))
    stories = spark.read.parquet(os.path.join(work, "stories"))
    return (
        stories.orderBy("first")
        .rdd.zipWithIndex()
        .map(lambda r: (r[1], r[0]["first"], r[0]["story"]))
        .toDF("story long, first long, json binary")
    )


def _align_stories(kb: Sequence[str]):
    """Executor side of step 4: one story's rows (its JSON, then its articles) to table rows."""

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
        row, article_rows, claim_rows, groups = _native.align_story(
            story, bytes(story_row["analysis"].iloc[0]), docs, list(kb)
        )
        out = {k: [] for k in ("kind", "story", "doc", "rank", "origin", "second", "idx", "row")}

        def add(
            kind: str, doc: int, rank: int, origin: int, second: int, idx: int, row: str
        ) -> None:
            for k, v in zip(out, (kind, story, doc, rank, origin, second, idx, row)):
                out[k].append(v)

        add("stories", -1, 0, 0, 0, 0, row)
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

    # Step 2: article numbers in the CLI's order and entity linking on the driver.
    names = analyses.where("rec >= 0").select("file", "rec", "entities").toArrow()
    names = names.sort_by([("file", "ascending"), ("rec", "ascending")])
    linked = _native.link_entities(names.column("entities").to_pylist())
    keys = pa.table(
        {
            "file": names.column("file"),
            "rec": names.column("rec"),
            "doc": pa.array(range(names.num_rows), pa.int64()),
            "entities": pa.array(linked, pa.binary()),
        }
    )
    del names, linked
    docs = (
        analyses.where("rec >= 0")
        .drop("entities")
        .join(spark.createDataFrame(keys.to_pandas()), ["file", "rec"])
        .select("doc", "copy", "analysis", "slim", "entities")
    )
    del keys
    docs.write.mode("overwrite").parquet(os.path.join(work, "docs"))
    docs = spark.read.parquet(os.path.join(work, "docs"))

    # Step 3: stories by a shuffle.
    stories = _stories(spark, docs, work)
    members = stories.select(
        "story", F.explode(F.from_json(F.col("json").cast("string"), "docs array<long>").docs)
    ).withColumnRenamed("col", "doc")

    # Step 4: alignment per story in the executors.
    per_story = (
        docs.join(members, "doc")
        .select("story", "doc", "analysis", "entities")
        .unionByName(
            stories.select(
                "story",
                F.lit(-1).cast("long").alias("doc"),
                F.col("json").alias("analysis"),
                F.lit(None).cast("binary").alias("entities"),
            )
        )
    )
    rows = per_story.groupBy("story").applyInPandas(_align_stories(kb), _STORY_ROWS)
    rows.write.mode("overwrite").parquet(os.path.join(work, "rows"))
    rows = spark.read.parquet(os.path.join(work, "rows"))

    _write(rows.where("kind = 'articles'").orderBy("doc"), "articles", out)
    _write(rows.where("kind = 'claims'").orderBy("doc", "idx"), "claims", out)
    _write(rows.where("kind = 'stories'").orderBy("story"), "stories", out)
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

    summary = _summary(spark, out, _native.verdicts())
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
    shutil.rmtree(work, ignore_errors=True)
    return summary


def _summary(spark: Any, out: str, verdicts: list) -> dict:
    """The JSON report's ``summary`` object, counted from the written tables."""
    from pyspark.sql import functions as F

    read = lambda t: spark.read.parquet(os.path.join(out, t))  # noqa: E731
    groups = read("groups")
    counts = dict(groups.groupBy("verdict").count().collect())
    invalid = groups.select(F.explode("evidence").alias("e")).where("e.text IS NULL").count()
    return {
        "articles": read("articles").count(),
        "stories": read("stories").count(),
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
