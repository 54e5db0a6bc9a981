"""The seed's key-value example: put, get, get_all.

Connects to 127.0.0.1:10800 as the seed does (``IGNITE_WIRE_HOST`` / ``IGNITE_WIRE_PORT``
override it).  Idempotent: the cache is created if absent and destroyed at the end.
"""

import os

from ignite_wire import Client

host = os.environ.get("IGNITE_WIRE_HOST", "127.0.0.1")
port = int(os.environ.get("IGNITE_WIRE_PORT", "10800"))

client = Client()
client.connect(host, port)

# Create cache (or take the one a previous run left behind)
my_cache = client.get_or_create_cache("my cache")

# Put value in cache
my_cache.put("my key", 42)

# Get value from cache
result = my_cache.get("my key")
print(result)  # 42

result = my_cache.get("non-existent key")
print(result)  # None

# Get multiple values from cache
result = my_cache.get_all(
    [
        "my key",
        "non-existent key",
        "other-key",
    ]
)
print(result)  # {'my key': 42}

my_cache.destroy()
client.close()
