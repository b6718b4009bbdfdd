"""The server worker as gunicorn loads it (config.wsgi)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_a_worker_leaves_what_it_loaded_out_of_the_collectors_full_passes():
    # In its own process: freezing the test process would change every other test's.
    code = "import gc, config.wsgi; print(gc.get_freeze_count())"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    # Django and the apps are tens of thousands of objects; a roster import no longer
    # has the collector walk them again and again.
    assert int(done.stdout.split()[-1]) > 20_000
