#!/usr/bin/env python3
"""Speed and memory of `corroborate extract` beside Python trafilatura, on the same pages.

1. Replicates readability-test-pages/*/source.html (../shared/testdata) into .bench/pages/ until
   about --mb megabytes (default 100), one file per page.
2. Runs `corroborate extract -f json -j 1` and `-j <all cores>` over the folder, and trafilatura
   (pip-installed into .bench/venv) single-threaded over the same files (or a --py-mb subset,
   scaled), each under /usr/bin/time for peak memory.
3. Generates a WARC.gz of --warc-gb gigabytes (default 1; per-record gzip members as Common Crawl
   writes them; HTML responses from the same pages, each preceded by its request record) and
   streams `corroborate extract` over it, reporting time and peak memory (target: under 500 MB).

Each page run is repeated --repeat times (default 3), the tools taking turns, and the median
time is reported (peak memory: the largest): a single run of about a second swings by ±20 % on
a shared machine.

Prints a Markdown table. Usage: python3 scripts/extract_bench.py [--mb 100] [--py-mb 100]
[--warc-gb 1] [--repeat 3] [--skip-warc | --warc-only] [--binary PATH]
"""

import argparse
import gzip
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "testdata" / "readability-test-pages" / "pages"
BENCH = ROOT / ".bench"
TARGET = Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target").resolve()
VENV = BENCH / "venv"

PY_EXTRACT = r'''
import sys, trafilatura, warnings
warnings.filterwarnings("ignore")
paths = [l.strip() for l in open(sys.argv[1]) if l.strip()]
for p in paths:
    trafilatura.bare_extraction(open(p, "rb").read(), with_metadata=True)
'''


def sources():
    return sorted(SHARED.glob("*/source.html"))


def replicate(target_mb):
    out = BENCH / f"pages-{target_mb}mb"
    marker = out / ".done"
    if marker.exists():
        return out
    out.mkdir(parents=True, exist_ok=True)
    pages = [p.read_bytes() for p in sources()]
    total, i = 0, 0
    while total < target_mb * 1_000_000:
        data = pages[i % len(pages)]
        (out / f"{i:06d}.html").write_bytes(data)
        total += len(data)
        i += 1
    marker.write_text(str(i))
    return out


def timed(cmd, stdout=subprocess.DEVNULL):
    """Runs cmd under /usr/bin/time -v; returns (seconds, peak RSS in MB)."""
    t = time.time()
    proc = subprocess.run(["/usr/bin/time", "-v", *cmd], stdout=stdout, stderr=subprocess.PIPE, text=True)
    secs = time.time() - t
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    rss = int(m.group(1)) / 1024 if m else float("nan")
    if proc.returncode not in (0, 1):
        print(proc.stderr[-3000:], file=sys.stderr)
    return secs, rss


def ensure_venv():
    py = VENV / "bin" / "python"
    if not py.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    if subprocess.run([str(py), "-c", "import trafilatura"], capture_output=True).returncode != 0:
        subprocess.run([str(py), "-m", "pip", "install", "-q", "--upgrade", "pip"], check=True)
        subprocess.run([str(py), "-m", "pip", "install", "-q", "trafilatura"], check=True)
    return str(py)


def make_warc(gb):
    path = BENCH / f"bench-{gb}gb.warc.gz"
    if path.exists() and path.stat().st_size >= gb * 1_000_000_000:
        return path
    pages = [p.read_bytes() for p in sources()]
    target = gb * 1_000_000_000
    n = 0
    with path.open("wb") as f:
        while f.tell() < target:
            page = pages[n % len(pages)]
            uri = f"https://news.example/{n // len(pages)}/{n % len(pages)}"
            request = f"GET /{n} HTTP/1.1\r\nHost: news.example\r\n\r\n".encode()
            http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + page
            for kind, ctype, block in [
                ("request", "application/http; msgtype=request", request),
                ("response", "application/http; msgtype=response", http),
            ]:
                head = (
                    f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\n"
                    f"WARC-Date: 2024-05-06T07:08:09Z\r\nWARC-Record-ID: <urn:uuid:{n:032x}>\r\n"
                    f"Content-Type: {ctype}\r\nContent-Length: {len(block)}\r\n\r\n"
                ).encode()
                f.write(gzip.compress(head + block + b"\r\n\r\n", compresslevel=6))
            n += 1
    return path


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=int, default=100)
    ap.add_argument("--py-mb", type=int, default=100, help="MB of the same pages for trafilatura")
    ap.add_argument("--warc-gb", type=int, default=1)
    ap.add_argument("--skip-warc", action="store_true")
    ap.add_argument("--warc-only", action="store_true", help="only the WARC.gz streaming run")
    ap.add_argument("--repeat", type=int, default=3, help="runs per page benchmark (median)")
    ap.add_argument("--binary", default=str(TARGET / "release" / "corroborate"))
    args = ap.parse_args()
    if not SHARED.exists():
        print("skipped: ../shared not found")
        return
    BENCH.mkdir(exist_ok=True)
    subprocess.run(["cargo", "build", "--release", "-p", "corroborate-cli"], check=True, cwd=ROOT)
    print(f"load average before the run: {os.getloadavg()[0]:.1f}")
    if not args.warc_only:
        pages_benchmark(args)
    if not args.skip_warc:
        warc_benchmark(args)


def pages_benchmark(args):
    folder = replicate(args.mb)
    files = sorted(folder.glob("*.html"))
    n_pages = len(files)
    mb = sum(f.stat().st_size for f in files) / 1e6
    cores = os.cpu_count() or 1
    py = ensure_venv()
    py_folder = replicate(args.py_mb) if args.py_mb != args.mb else folder
    py_files = sorted(py_folder.glob("*.html"))
    listing = BENCH / "bench-list.txt"
    listing.write_text("\n".join(str(f) for f in py_files))
    script = BENCH / "bench_trafilatura.py"
    script.write_text(PY_EXTRACT)
    py_mb = sum(f.stat().st_size for f in py_files) / 1e6
    runs = [
        (f"corroborate extract -j {t}", n_pages, mb, t,
         [args.binary, "extract", "-f", "json", "-j", str(t), str(folder)])
        for t in [1, cores]
    ]
    runs.append(("trafilatura (Python, 1 process)", len(py_files), py_mb, 1, [py, str(script), str(listing)]))
    measured = {name: [] for name, *_ in runs}
    for _ in range(max(1, args.repeat)):
        for name, *_, cmd in runs:
            measured[name].append(timed(cmd))
    rows = []
    for name, n, size, threads, _ in runs:
        times = sorted(secs for secs, _ in measured[name])
        rows.append((name, n, size, times[len(times) // 2], max(rss for _, rss in measured[name]), threads))

    base = rows[-1][1] / rows[-1][3]
    print(f"{n_pages} pages, {mb:.1f} MB (readability-test-pages replicated), {cores} cores, "
          f"median of {max(1, args.repeat)} runs each")
    print()
    print("| run | pages | MB | seconds | pages/s | MB/s | pages/s per core | × trafilatura per core | peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, n, size, secs, rss, threads in rows:
        pps = n / secs
        print(f"| {name} | {n} | {size:.0f} | {secs:.1f} | {pps:.0f} | {size / secs:.2f} | "
              f"{pps / threads:.0f} | {pps / threads / base:.1f} | {rss:.0f} |")



def warc_benchmark(args):
    t = time.time()
    warc = make_warc(args.warc_gb)
    gen = time.time() - t
    size = warc.stat().st_size / 1e6
    secs, rss = timed([args.binary, "extract", "-f", "json", str(warc)])
    print()
    print(f"WARC.gz stream: {size:.0f} MB compressed (generated in {gen:.0f} s), "
          f"extract {secs:.0f} s, {size / secs:.1f} MB/s compressed, peak RSS {rss:.0f} MB "
          f"({'under' if rss < 500 else 'OVER'} the 500 MB bound)")


if __name__ == "__main__":
    main()
