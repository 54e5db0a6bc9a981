"""The seed's scan query example: iterate over (key, value) pairs, or make a dict.

Connects to 127.0.0.1:10800 as the seed does (``IGNITE_WIRE_HOST`` / ``IGNITE_WIRE_PORT``
override it).  Idempotent: the cache is created if absent and destroyed at the end.
"""

import os

from ignite_wire import Client

host = os.environ.get("IGNITE_WIRE_HOST", "127.0.0.1")
port = int(os.environ.get("IGNITE_WIRE_PORT", "10800"))

client = Client()
client.connect(host, port)

my_cache = client.get_or_create_cache("myCache")

my_cache.put_all({f"key_{v}": v for v in range(20)})
# {
#     'key_0': 0,
#     'key_1': 1,
#     ... 20 elements in total...
#     'key_19': 19
# }

# 1. Iterate over the generated pairs (in the cluster's order, not the insertion order)
result = my_cache.scan()
for k, v in result:
    print(k, v)

# 2. Convert the generator to a dictionary in one go
result = my_cache.scan()
print(dict(result))

# 3. The same, in smaller pages: each server round trip brings page_size pairs
print(len(dict(my_cache.scan(page_size=5))), "entries scanned, 5 per page")

my_cache.destroy()
client.close()
