"""Import every rule module below this package so that each registers its code."""

from __future__ import annotations

import importlib
import pkgutil

for _info in sorted(pkgutil.walk_packages(__path__, prefix=f"{__name__}."), key=lambda i: i.name):
    importlib.import_module(_info.name)
