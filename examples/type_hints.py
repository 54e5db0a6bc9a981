"""The seed's type hints example: ``value_hint`` and ``key_hint``.

Connects to 127.0.0.1:10800 as the seed does (``IGNITE_WIRE_HOST`` / ``IGNITE_WIRE_PORT``
override it).  Idempotent: the cache is destroyed at the end.
"""

import os

from ignite_wire import Client
from ignite_wire.datatypes import CharObject, ShortObject

host = os.environ.get("IGNITE_WIRE_HOST", "127.0.0.1")
port = int(os.environ.get("IGNITE_WIRE_PORT", "10800"))

client = Client()
client.connect(host, port)

my_cache = client.get_or_create_cache("my cache")

my_cache.put("my key", 42)
# Value 42 takes 9 bytes of memory as a LongObject

my_cache.put("my key", 42, value_hint=ShortObject)
# Value 42 takes only 3 bytes as a ShortObject

my_cache.put("a", 1)
# 'a' is a key of type String

my_cache.put("a", 2, key_hint=CharObject)
# Another key 'a' of type CharObject is created

value = my_cache.get("a")
print(value)  # 1

value = my_cache.get("a", key_hint=CharObject)
print(value)  # 2

# Now let us delete both keys at once
my_cache.remove_keys(
    [
        "a",  # a default type key
        ("a", CharObject),  # a key of type CharObject
    ]
)
print(my_cache.get("a"), my_cache.get("a", key_hint=CharObject))  # None None

my_cache.destroy()
client.close()
