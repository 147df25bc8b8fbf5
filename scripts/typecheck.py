"""`make typecheck`: mypy (django-stubs, djangorestframework-stubs) over hoptac, configured in pyproject.toml.

Required to be clean: `hoptac/core`, `hoptac/accounts` and every `services.py` and `loaders.py`
(the code every write goes through; `figures/loaders.py` holds the figures' bulk writes). Errors elsewhere are printed as a count and do not fail the run yet; lower
that count as you touch a file, and add a directory to REQUIRED once it is clean.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = ("hoptac/core/", "hoptac/accounts/")
ERROR = re.compile(r"^(?P<path>[^:\s]+\.py):\d+: error: ")


def required(path: str) -> bool:
    return path.startswith(REQUIRED) or path.endswith(("/services.py", "/loaders.py"))


def main() -> int:
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "hoptac"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    errors = [line for line in run.stdout.splitlines() if ERROR.match(line)]
    if run.returncode not in (0, 1) or (run.returncode == 1 and not errors):
        sys.stdout.write(run.stdout + run.stderr)  # mypy itself failed (configuration, crash)
        return 2
    strict = [line for line in errors if required(ERROR.match(line)["path"])]
    for line in strict:
        print(line)
    rest = len(errors) - len(strict)
    print(
        f"mypy: {len(strict)} errors in core, accounts and services.py (must be 0); "
        f"{rest} errors in the rest of hoptac (counted, not yet required)"
    )
    return 1 if strict else 0


if __name__ == "__main__":
    sys.exit(main())
