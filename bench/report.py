"""Put the runs at several sizes side by side, as the Markdown table of docs/performance.md.

    python -m bench.report newsroom_bench_10k newsroom_bench_100k newsroom_bench_1m

reads the JSON that `bench.run` saved for each database and adds the ratio column: p50 at the
largest size ÷ p50 at the smallest (the target of issues #5 and #11 is ≤ 1.5 for every page of
every site). A page whose query count differs between the sizes shows each size's count, in
bold: it should not.
"""

import argparse
import json
from typing import Any

from bench.common import WORK_DIR

RATIO_TARGET = 1.5


def load(name: str) -> dict:
    return json.loads((WORK_DIR / "results" / f"{name.rpartition('/')[2]}.json").read_text())


def page_kind(page: str) -> str:
    """ "rubric p59" at 10k and "rubric p500" at 1M are the same row: the deep rubric page."""
    return "rubric deep" if page.startswith("rubric p") and page != "rubric p1" else page


def milliseconds(value: float | None) -> str:
    """None: no request finished within the run (wrk's 30 s timeout or gunicorn's)."""
    return "timeout" if value is None else f"{value:.1f}"


def queries(counts: list[int | None]) -> str:
    """The page's query count, the same at every size; each size's when not."""
    if counts[0] is None:
        return "–"
    if len(set(counts)) == 1:
        return str(counts[0])
    return "**" + "/".join(str(count) for count in counts) + "**"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("databases", nargs="+", help="smallest first")
    args = parser.parse_args(argv)
    runs = [load(name) for name in args.databases]
    sizes = [name.rpartition("_")[2] for name in args.databases]
    rows: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for run in runs:
        for result in run["results"]:
            site = result.get("site", "oblast")
            rows.setdefault((site, page_kind(result["page"]), result["layer"]), []).append(result)
    header = ["site", "page", "layer", "queries"]
    for size in sizes:
        header += [f"req/s {size}", f"p50 ms {size}", f"p99 ms {size}", f"err {size}"]
    header += [
        f"p50 {sizes[-1]} ÷ {sizes[0]}",
        f"app CPU ms/req {sizes[-1]}",
        f"DB CPU ms/req {sizes[0]}",
        f"DB CPU ms/req {sizes[-1]}",
        f"RSS/worker MB {sizes[-1]}",
    ]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for (site, page, layer), results in rows.items():
        if len(results) != len(runs):
            continue
        cells = [site, page, layer, queries([r["queries"] for r in results])]
        for r in results:
            cells += [
                f"{r['requests_per_second']:.0f}",
                milliseconds(r["p50_ms"]),
                milliseconds(r["p99_ms"]),
                str(r["errors"]),
            ]
        first, last = results[0]["p50_ms"], results[-1]["p50_ms"]
        if first and last:
            ratio = last / first
            cells.append(f"**{ratio:.2f}**" if ratio > RATIO_TARGET else f"{ratio:.2f}")
        else:
            cells.append("**∞**")
        # PostgreSQL's CPU at both ends tells a query that grows from a busier machine.
        for key, at, spec in [
            ("app_cpu_ms", -1, ".2f"),
            ("db_cpu_ms", 0, ".2f"),
            ("db_cpu_ms", -1, ".2f"),
            ("worker_rss_mb", -1, ".0f"),
        ]:
            value = results[at].get(key)
            cells.append("–" if value is None else format(value, spec))
        print("| " + " | ".join(cells) + " |")
    for name, run in zip(args.databases, runs, strict=True):
        machine = run["machine"]
        print(
            f"\n{name}: started {run['started'][:16]}Z, load average before "
            f"{', '.join(f'{x:.2f}' for x in machine['load_average'])}, after "
            f"{', '.join(f'{x:.2f}' for x in run['load_average_after'])}"
        )


if __name__ == "__main__":
    main()
