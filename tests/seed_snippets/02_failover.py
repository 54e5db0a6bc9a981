# Seed snippet: "Client Failover", from Ignite's "Python Thin Client" page
# (the project's seed document, lines 60-92).  Runs against: ignite_cluster (3 nodes).
# Everything below the marker line is the seed's code, verbatim except:
#   - `pyignite` -> `ignite_wire` (the import name)
#   - ('127.0.0.1', 10800) -> ('127.0.0.1', {PORT_0}): node 0 of the test's 3-node cluster
#   - ('217.29.2.1', 10800) -> ('{HOST_1}', {PORT_1}): node 1 of that cluster (127.0.0.1)
#   - ('200.10.33.1', 10800) -> ('{HOST_2}', {PORT_2}): node 2 of that cluster (127.0.0.1)
# The test fills each {NAME} placeholder (tests/test_seed_snippets.py).
# ---- seed snippet ----
from ignite_wire import Client
from ignite_wire.datatypes.cache_config import CacheMode
from ignite_wire.datatypes.prop_codes import *
from ignite_wire.exceptions import SocketError

nodes = [
    ('127.0.0.1', {PORT_0}),
    ('{HOST_1}', {PORT_1}),
    ('{HOST_2}', {PORT_2}),
]

client = Client(timeout=40.0)
client.connect(nodes)
print('Connected to {}'.format(client))

my_cache = client.get_or_create_cache({
    PROP_NAME: 'my_cache',
    PROP_CACHE_MODE: CacheMode.REPLICATED,
})
my_cache.put('test_key', 0)

# Abstract main loop
while True:
    try:
        # Do the work
        test_value = my_cache.get('test_key')
        my_cache.put('test_key', test_value + 1)
    except (OSError, SocketError) as e:
        # Recover from error (repeat last command, check data
        # consistency or just continue − depends on the task)
        print('Error: {}'.format(e))
        print('Last value: {}'.format(my_cache.get('test_key')))
        print('Reconnected to {}'.format(client))
