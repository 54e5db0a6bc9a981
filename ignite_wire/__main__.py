"""``python -m ignite_wire``: the cluster inspection CLI (see :mod:`ignite_wire._cli`)."""

from __future__ import annotations

import sys

from ._cli import main

if __name__ == "__main__":
    sys.exit(main())
