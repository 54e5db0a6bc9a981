"""``python -m ignite_wire``: the cluster inspection CLI (see :mod:`ignite_wire.cli`)."""

from __future__ import annotations

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
