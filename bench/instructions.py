"""Roster import (issue 3) counted in CPU instructions: Frontline ÷ floor on SQLite.

Run with `python -m bench.instructions` (needs valgrind; not part of `make bench`).

Wall time on a shared 2-vCPU machine moves by ±20 % between runs of the same code,
which hides a change worth 3 %. Valgrind's instruction count does not move: the same
code on the same roster gives the same count, so this is how a small change to the
row checks or the commit is judged before the wall-time bench (`roster_run.py`) is
run. Instructions are not time: SQLite's index inserts with random keys cost more in
cache misses than their instructions say (the wall-time ratio runs higher), and on
PostgreSQL the server's work is in another process (not counted here, so only SQLite).

Each step runs in its own process under `valgrind --tool=cachegrind` on a fresh copy
of one migrated database; a step that only loads what the others load (`noop`) is
subtracted from each, leaving the import's own instructions per roster row.
"""

import argparse
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "instructions"


def _env() -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "PYTHONPATH": str(ROOT)}
    env.pop("DATABASE_URL", None)
    env["BENCH_OUT"] = str(OUT)
    return env


def _step(*args: str, valgrind: bool = False) -> int | dict:
    command = [sys.executable, "-m", "bench.steps", *args]
    if valgrind:
        command = ["valgrind", "--tool=cachegrind", "--cache-sim=no"]
        command += ["--cachegrind-out-file=/dev/null", sys.executable, "-m", "bench.steps", *args]
    done = subprocess.run(
        command, cwd=ROOT, env=_env(), capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise SystemExit(f"step {args[0]} failed:\n{done.stdout}\n{done.stderr}")
    if not valgrind:
        return json.loads(done.stdout.strip().splitlines()[-1])
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if found is None:
        raise SystemExit(f"no instruction count from valgrind:\n{done.stderr[-2000:]}")
    return int(found[1].replace(",", ""))


def _fresh_database(template: Path) -> None:
    for path in OUT.glob("bench.sqlite3*"):
        path.unlink()
    shutil.copy(template, OUT / "bench.sqlite3")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    _step("setup")
    roster = OUT / f"roster_{args.rows}.xlsx"
    _step("generate", str(roster), str(args.rows))
    template = OUT / "template.sqlite3"
    with sqlite3.connect(OUT / "bench.sqlite3") as database:  # one file, no WAL beside it
        database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(OUT / "bench.sqlite3", template)
    counts = {}
    for name, step_args in (
        ("noop", ("noop",)),
        ("floor", ("floor", str(roster))),
        ("frontline", ("frontline", str(roster))),
        ("preview", ("frontline_preview", str(roster))),
    ):
        _fresh_database(template)
        counts[name] = _step(*step_args, valgrind=True)
        print(f"  {name}: {counts[name]:,} instructions", flush=True)
    floor, frontline, preview = (
        (counts[name] - counts["noop"]) / args.rows for name in ("floor", "frontline", "preview")
    )
    print(
        f"\nRoster of {args.rows:,} rows on SQLite, instructions per row:"
        f" floor {floor:,.0f}; Frontline {frontline:,.0f}"
        f" (preview {preview:,.0f}, commit {frontline - preview:,.0f});"
        f" Frontline ÷ floor {frontline / floor:.2f}×"
    )


if __name__ == "__main__":
    main()
