"""Where a Spark job's time went, from its event log (spark.eventLog.compress=false): per
stage, its job, its name (the call site; DataFrame writes show only "parquet" or a Scala
closure, so the job number, in the order of the writes in corroborate/spark.py, tells them
apart), wall time, task time and shuffle bytes, the stages with the most task time first.

    python scripts/spark_stages.py EVENT_LOG_FOLDER [TOP]
"""

import collections
import glob
import json
import re
import sys


def main() -> None:
    folder = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 12
    tasks: dict = collections.defaultdict(lambda: [0, 0, 0, 0])
    stages: dict = {}
    job_of: dict = {}
    for path in glob.glob(folder + "/**/*", recursive=True):
        if not path.split("/")[-1].startswith("events_"):
            continue
        with open(path) as f:
            for line in f:
                e = json.loads(line)
                kind = e.get("Event")
                if kind == "SparkListenerTaskEnd":
                    m = e.get("Task Metrics") or {}
                    r = m.get("Shuffle Read Metrics", {})
                    t = tasks[e["Stage ID"]]
                    t[0] += m.get("Executor Run Time", 0)
                    t[1] += m.get("Shuffle Write Metrics", {}).get("Shuffle Bytes Written", 0)
                    t[2] += r.get("Remote Bytes Read", 0) + r.get("Local Bytes Read", 0)
                    t[3] += 1
                elif kind == "SparkListenerJobStart":
                    for stage in e.get("Stage IDs", []):
                        job_of[stage] = e["Job ID"]
                elif kind == "SparkListenerStageCompleted":
                    info = e["Stage Info"]
                    wall = (info.get("Completion Time", 0) - info.get("Submission Time", 0)) / 1e3
                    stages[info["Stage ID"]] = (info.get("Stage Name", "?"), wall)
    total = sum(t[0] for t in tasks.values()) or 1
    print(f"  stages: {len(tasks)} with tasks, {total / 1e3:.0f} s of task time in all")
    ranked = sorted(tasks.items(), key=lambda kv: -kv[1][0])
    for stage, (run_ms, written, read, count) in ranked[:top]:
        name, wall = stages.get(stage, ("?", 0.0))
        name = re.sub(r"/\S*/", "", name).replace("$anonfun$withThreadLocalCaptured$2", "write")
        print(
            f"    job {job_of.get(stage, -1):>3} stage {stage:>3} {name[:36]:<36} wall {wall:7.1f} s, tasks {count:>4},"
            f" {run_ms / 1e3:7.1f} s ({100 * run_ms / total:4.1f} %),"
            f" shuffle write {written / 1e6:6.0f} MB, read {read / 1e6:6.0f} MB"
        )


if __name__ == "__main__":
    main()
