"""pytest plugin: the pyignite value mode, the one step a migrating user takes.

Code that relies on pyignite's value representations (Collections read as ``(kind,
items)``, naive datetimes, ``(datetime, nanos)``, ``timedelta``...) calls
``ignite_wire.compat.use_pyignite_values()`` once at startup; this plugin does that for
the tests of pyignite's suite that assert those representations (the runner's
``NOT_APPLICABLE`` entries of kind "pyignite_mode"), so every client they make reads and
writes pyignite's forms.
"""

from __future__ import annotations

import ignite_wire.compat

ignite_wire.compat.use_pyignite_values()
