"""``python -m ignite_orm``: schema and migrations (see :mod:`ignite_orm._cli`)."""

from __future__ import annotations

import sys

from ._cli import main

if __name__ == "__main__":
    sys.exit(main())
