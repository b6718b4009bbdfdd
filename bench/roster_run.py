"""Roster import and people list (issue 3): every figure in one run, as ratios.

Run with `python -m bench.roster_run` (make bench runs it).


Each measurement runs in its own process (bench/steps.py) so its peak memory
(ru_maxrss) is its own. Results go to bench/out/results.json and into the
figures section of bench/README.md.
"""

import argparse
import hashlib
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN", "postgres://postgres@127.0.0.1:5432/postgres")
PG_DB = os.environ.get("BENCH_PG_DB", "people_bench")
LIST_ROUNDS = 3


def step(env: dict, name: str, *args: str) -> dict:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bench.steps", name, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"step {name} failed:\n{done.stdout}\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"  {name} {' '.join(args)}: {time.perf_counter() - started:.1f}s {result}", flush=True)
    return result


def fresh_env(database: str) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "PYTHONPATH": str(ROOT)}
    env.pop("DATABASE_URL", None)
    if database == "sqlite":
        for path in OUT.glob("bench.sqlite3*"):
            path.unlink()
    else:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{PG_DB}"')
            admin.execute(f'CREATE DATABASE "{PG_DB}"')
        env["DATABASE_URL"] = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + PG_DB
    step(env, "setup")
    return env


def roster(env: dict, rows: int, strings: str = "inline") -> str:
    # Named by the generator's source too: a roster written by an older generator is not reused.
    generator = hashlib.sha256((ROOT / "bench" / "roster.py").read_bytes()).hexdigest()[:8]
    kind = "" if strings == "inline" else f"_{strings}"
    path = OUT / f"roster_{rows}_{generator}{kind}.xlsx"
    if not path.exists():
        step(env, "generate", str(path), str(rows), strings)
    return str(path)


def _pairs(database: str, env: dict, path: str, repeats: int) -> tuple[list, list, dict]:
    """The floor and Frontline alternating on one roster, each Frontline import into an
    empty registry: (floors, Frontlines, the environment of the last pair)."""
    floors, frontlines = [], []
    for attempt in range(repeats):
        if attempt:
            env = fresh_env(database)
        floors.append(step(env, "floor", path))
        frontlines.append(step(env, "frontline", path))
    return floors, frontlines, env


def _median_run(runs: list[dict]) -> dict:
    """The run with the median time, with every run's seconds and the highest peak."""
    ordered = sorted(runs, key=lambda r: r["seconds"])
    middle = dict(ordered[len(ordered) // 2])
    middle["samples"] = [r["seconds"] for r in runs]
    middle["peak_mb"] = max(r["peak_mb"] for r in runs)
    return middle


def measure(database: str, rows: int, list_sizes: list[int], repeats: int) -> dict:
    print(f"== {database}", flush=True)
    env = fresh_env(database)
    path = roster(env, rows)
    # The floor and Frontline alternate, each Frontline import into an empty registry,
    # and the medians are compared: on a shared machine one pair can land on a quiet
    # second and a busy one (single pairs of the same code read 2.0x to 3.5x).
    floors, frontlines, env = _pairs(database, env, path, repeats)
    # The same rows as Excel and WPS write them: every text cell through shared strings,
    # which the reader handles differently (bench/README.md).
    env = fresh_env(database)
    shared_floors, shared_frontlines, env = _pairs(
        database, env, roster(env, rows, "shared"), repeats
    )
    result = {
        "floor": _median_run(floors),
        "frontline": _median_run(frontlines),
        "pairs": [f["seconds"] / b["seconds"] for f, b in zip(frontlines, floors, strict=True)],
        "shared_floor": _median_run(shared_floors),
        "shared_frontline": _median_run(shared_frontlines),
        "importexport": step(env, "importexport", path),
        "floor_registry": step(env, "floor_registry", path),
    }
    for size in list_sizes:
        step(env, "residents_fill", str(size))
        # Three rounds, each the median of 20 requests, and the median of the three: one
        # busy second of a shared machine once read a page at twice its time.
        rounds = [step(env, "listpage") for _ in range(LIST_ROUNDS)]
        result[f"list_{size}"] = {
            page: statistics.median(r[page] for r in rounds) for page in rounds[0]
        }
    return result


def million(database: str, rows: int) -> dict:
    print(f"== {database}, {rows:,}-row roster (memory)", flush=True)
    env = fresh_env(database)
    return step(env, "frontline", roster(env, rows))


def _spread(run: dict) -> str:
    samples = run.get("samples", [run["seconds"]])
    return f"[{min(samples):.1f}–{max(samples):.1f}]" if len(samples) > 1 else ""


def report(results: dict, rows: int, big: int, list_sizes: list[int], repeats: int) -> str:
    small, large = list_sizes
    lines = [
        f"Roster of {rows:,} rows (seed 2020). Ratios are measured within one run; the floor"
        f" and Frontline are the medians of {repeats} alternating runs each.",
        "",
        "| | SQLite | PostgreSQL |",
        "|---|---|---|",
    ]

    def row(label, fn):
        cells = []
        for db in ("sqlite", "postgresql"):
            cells.append(fn(results[db]) if db in results else "—")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    row(
        "floor: calamine + plain checks + executemany/COPY",
        lambda r: f"{r['floor']['seconds']:.1f} s {_spread(r['floor'])}",
    )
    row(
        "Frontline preview + commit",
        lambda r: (
            f"{r['frontline']['seconds']:.1f} s "
            f"({r['frontline']['preview_seconds']:.1f} + {r['frontline']['commit_seconds']:.1f}) "
            f"{_spread(r['frontline'])}"
        ),
    )
    row("django-import-export 4.4 (defaults)", lambda r: f"{r['importexport']['seconds']:.1f} s")
    row(
        "**Frontline ÷ floor** (target ≤ 3×), medians",
        lambda r: f"**{r['frontline']['seconds'] / r['floor']['seconds']:.2f}×**",
    )
    row(
        "Frontline ÷ floor, each alternating pair",
        lambda r: " ".join(f"{ratio:.1f}×" for ratio in r["pairs"]),
    )
    row(
        "the same rows with shared strings (as Excel writes them): floor, Frontline",
        lambda r: (
            f"{r['shared_floor']['seconds']:.1f} s {_spread(r['shared_floor'])}, "
            f"{r['shared_frontline']['seconds']:.1f} s "
            f"({r['shared_frontline']['preview_seconds']:.1f} + "
            f"{r['shared_frontline']['commit_seconds']:.1f}) {_spread(r['shared_frontline'])}"
        ),
    )
    row(
        "**Frontline ÷ floor, shared strings** (target ≤ 3×), medians",
        lambda r: f"**{r['shared_frontline']['seconds'] / r['shared_floor']['seconds']:.2f}×**",
    )
    row(
        "**django-import-export ÷ Frontline** (target ≥ 7×)",
        lambda r: f"**{r['importexport']['seconds'] / r['frontline']['seconds']:.1f}×**",
    )
    row(
        "floor into the registry's own table (plain values; indexes, foreign keys)",
        lambda r: f"{r['floor_registry']['seconds']:.1f} s",
    )
    row(
        "Frontline ÷ that floor (what Frontline adds to the table's own cost)",
        lambda r: f"{r['frontline']['seconds'] / r['floor_registry']['seconds']:.1f}×",
    )
    row("peak memory, floor", lambda r: f"{r['floor']['peak_mb']:.0f} MB")
    row("peak memory, Frontline (target ≤ 350 MB)", lambda r: f"{r['frontline']['peak_mb']:.0f} MB")
    row(
        "peak memory, Frontline, shared strings (target ≤ 350 MB)",
        lambda r: f"{r['shared_frontline']['peak_mb']:.0f} MB",
    )
    row("peak memory, django-import-export", lambda r: f"{r['importexport']['peak_mb']:.0f} MB")
    for key in ("leader_page1", "leader_page50", "cadre_page1", "leader_name"):
        row(
            f"list `{key}` at {large:,} ÷ at {small:,} (target ≤ 2×)",
            lambda r, k=key: (
                f"{r[f'list_{large}'][k] / r[f'list_{small}'][k]:.2f}× "
                f"({r[f'list_{small}'][k]:.0f} → {r[f'list_{large}'][k]:.0f} ms)"
            ),
        )
    for db, label in (("sqlite", "SQLite"), ("postgresql", "PostgreSQL")):
        m = results.get(f"million_{db}")
        if m is None:
            continue
        base = results[db]["frontline"]["peak_mb"]
        lines += [
            "",
            f"{big:,}-row roster on {label}: preview + commit {m['seconds']:.0f} s "
            f"({m['preview_seconds']:.0f} + {m['commit_seconds']:.0f}), peak memory "
            f"**{m['peak_mb']:.0f} MB** = {m['peak_mb'] / 350:.2f}× the 350 MB budget for "
            f"100,000 rows (target ≤ 2×), {m['peak_mb'] / base:.2f}× the 100,000-row peak "
            "measured above.",
        ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--million", type=int, default=1_000_000, help="0 to skip")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--list-sizes", default="10000,1000000")
    parser.add_argument("--repeats", type=int, default=5, help="floor and Frontline runs each")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    list_sizes = [int(n) for n in args.list_sizes.split(",")]
    results: dict = {}
    for database in args.databases.split(","):
        results[database] = measure(database, args.rows, list_sizes, args.repeats)
    if args.million:
        for database in args.databases.split(","):
            results[f"million_{database}"] = million(database, args.million)
    (OUT / "results.json").write_text(json.dumps(results, indent=2))
    text = report(results, args.rows, args.million, list_sizes, args.repeats)
    print("\n" + text)
    readme = ROOT / "bench" / "README.md"
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    block = f"<!-- figures -->\nMeasured {stamp} by `make bench`:\n\n{text}\n<!-- /figures -->"
    content = readme.read_text()
    readme.write_text(re.sub(r"<!-- figures -->.*<!-- /figures -->", block, content, flags=re.S))


if __name__ == "__main__":
    main()
