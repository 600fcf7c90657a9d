"""Seconds per render in the option matrix (tests/test_matrix.py), with and without its worker set-up.

The every-combination test renders ~4,000 projects in worker processes that reuse what Copier would otherwise
redo per run (compiled templates, the render context, git calls about an index that does not exist). This renders
the same evenly spread combinations both ways, one worker each, and prints the median and total per render, so a
change that slows the matrix (and the 90-minute CI budget) shows up before CI.

    python bench/matrix_render.py --count 40
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.matrix import COMBINATIONS  # noqa: E402
from tests.test_matrix import _plain_template, _render, _render_many_in_one_process  # noqa: E402


def _timed_render(job: tuple[str, dict, str]) -> float:
    template, combination, destination = job
    started = time.perf_counter()
    _render(template, combination, Path(destination))
    return time.perf_counter() - started


def seconds_per_render(template: Path, combinations: list[dict], workdir: Path, faster: bool) -> list[float]:
    """One worker process, the first render of each template source included (as in the test)."""
    jobs = [(str(template), c, str(workdir / f"{'fast' if faster else 'plain'}-{i}")) for i, c in enumerate(combinations)]
    with ProcessPoolExecutor(max_workers=1, initializer=_render_many_in_one_process if faster else None) as pool:
        return list(pool.map(_timed_render, jobs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=40, help="combinations to render each way")
    count = parser.parse_args().count
    chosen = COMBINATIONS[:: max(1, len(COMBINATIONS) // count)][:count]
    with tempfile.TemporaryDirectory() as root:
        template = _plain_template(Path(root) / "template")
        print(f"{len(chosen)} of {len(COMBINATIONS)} combinations, one worker each way")
        for faster in (False, True):
            times = seconds_per_render(template, chosen, Path(root), faster)
            label = "matrix worker set-up" if faster else "plain Copier"
            print(f"{label:>21}: median {statistics.median(times):.2f} s, total {sum(times):.1f} s")


if __name__ == "__main__":
    main()
