"""Load a script from bench/ as a module, for the tests that run a bench's runner on a pinned set.

bench/ is not a package, so its scripts are loaded by path. Each is loaded once per test session and
registered in sys.modules under its own name (dataclasses defined in it look their module up there).
"""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parents[1] / "bench"


@cache
def load_bench(name: str) -> ModuleType:
    """bench/<name>.py as a module."""
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None, name
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
