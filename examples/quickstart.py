"""Quick start: connect, create a cache, put and get values.

Run it against a node on 127.0.0.1:10800 (``python -m ignite_wire.testing up`` starts
one), or let ``python examples/run_with_node.py examples/quickstart.py`` start and stop a
node for it.  ``IGNITE_WIRE_HOST`` / ``IGNITE_WIRE_PORT`` point it elsewhere.
"""

import os

from ignite_wire import Client

host = os.environ.get("IGNITE_WIRE_HOST", "127.0.0.1")
port = int(os.environ.get("IGNITE_WIRE_PORT", "10800"))

client = Client()
print(f"Connecting to {host}:{port} ...")
client.connect(host, port)
print(f"Connected: {client}")

cache = client.get_or_create_cache("quickstart")
print(f"Got cache {cache.name!r} (created if it did not exist)")

cache.put("my key", 42)
print("put('my key', 42)")
print(f"get('my key') -> {cache.get('my key')!r}")
print(f"get('non-existent key') -> {cache.get('non-existent key')!r}")

cache.put_all({"one": 1, "two": 2, "three": 3})
print("put_all({'one': 1, 'two': 2, 'three': 3})")
values = cache.get_all(["one", "two", "three", "four"])
print(f"get_all(['one', 'two', 'three', 'four']) -> {dict(sorted(values.items()))!r}")

cache.destroy()
print(f"Destroyed cache {cache.name!r}; bye")
client.close()
