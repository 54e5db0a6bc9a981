"""The sans-IO core of ``ignite_wire``: bytes in, values out, no sockets, no clocks.

Only the standard library and this package are imported here.  The binary codec lives in
:mod:`.codec` (its module docstring maps the codec modules and the Python <-> Ignite type
rules); framing, the handshake and the connection state machine live next to it.
"""
