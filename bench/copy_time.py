"""Time `copier copy` for each preset, so template changes that slow down rendering show up.

Every run renders into a fresh temporary directory with the same interpreter's copier
(``sys.executable -m copier``) and BACKEND_SQUAD_OFFLINE=1, so the numbers measure the
template and its hooks rather than the network. One untimed warm-up run per preset fills the
bytecode cache, as an installed copier has it. Prints preset, median, min and max seconds.

    python bench/copy_time.py --runs 5
    python bench/copy_time.py --presets blog,saas --runs 3
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PRESETS = ("blog", "saas", "ecommerce", "api_gateway", "webhook_relay", "custom")
REPO = Path(__file__).resolve().parent.parent
TIMEOUT_S = 300  # one render; bounded so a hung hook cannot stall the benchmark


def time_copy(repo: Path, preset: str, env: dict[str, str]) -> float:
    """Seconds one ``copier copy`` of ``preset`` takes; raises with copier's output on failure."""
    parent = tempfile.mkdtemp(prefix=f"copy_time_{preset}_")
    dest = Path(parent) / "project"
    cmd = [sys.executable, "-m", "copier", "copy", "--trust", "--defaults", "--vcs-ref=HEAD", "-d", f"preset={preset}",
           str(repo), str(dest)]
    try:
        start = time.perf_counter()
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=TIMEOUT_S, stdin=subprocess.DEVNULL)
        elapsed = time.perf_counter() - start
        if proc.returncode != 0:
            raise RuntimeError(f"copier failed for preset {preset} (rc={proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
        return elapsed
    finally:
        shutil.rmtree(parent, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="renders per preset (default 5)")
    parser.add_argument("--presets", default=",".join(PRESETS), help="comma-separated presets (default: all)")
    parser.add_argument("--repo", type=Path, default=REPO, help="template repository (default: this checkout)")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    presets = [p.strip() for p in args.presets.split(",") if p.strip()]
    unknown = [p for p in presets if p not in PRESETS]
    if unknown:
        parser.error(f"unknown preset(s) {unknown}; choose from {', '.join(PRESETS)}")

    env = {**os.environ, "BACKEND_SQUAD_OFFLINE": "1"}
    # Measure what a user's Python does: cache bytecode (this workplace sets PYTHONDONTWRITEBYTECODE).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    rows = []
    for preset in presets:
        time_copy(args.repo, preset, env)  # warm-up, untimed: fills bytecode and OS caches
        times = []
        for i in range(args.runs):
            times.append(time_copy(args.repo, preset, env))
            print(f"  {preset} run {i + 1}/{args.runs}: {times[-1]:.3f} s", file=sys.stderr, flush=True)
        rows.append((preset, statistics.median(times), min(times), max(times)))

    print(f"copier copy, {args.runs} run(s) per preset, python {sys.version.split()[0]}")
    print(f"{'preset':<15} {'median s':>9} {'min s':>9} {'max s':>9}")
    for preset, med, lo, hi in rows:
        print(f"{preset:<15} {med:>9.3f} {lo:>9.3f} {hi:>9.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
