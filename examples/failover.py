"""The seed's failover example, with a bounded loop.

The client is given every node's address; when the node it talks to fails, the call in
flight raises (``SocketError`` is an ``OSError``), and the next call reconnects to another
listed node.  Kill a node while this runs to see it (``python -m ignite_wire.testing up
--nodes 3`` prints the pids), or let ``python examples/run_with_node.py --nodes 3
examples/failover.py`` start and stop three nodes.

Environment: ``IGNITE_WIRE_NODES`` (required), the nodes as ``host:port,host:port,...``;
``IGNITE_WIRE_FAILOVER_SECONDS`` (default 10), how long the main loop runs.
"""

import os
import sys
import time

from ignite_wire import Client
from ignite_wire.datatypes.cache_config import CacheMode
from ignite_wire.datatypes.prop_codes import *
from ignite_wire.exceptions import SocketError

if "IGNITE_WIRE_NODES" not in os.environ:
    sys.exit("set IGNITE_WIRE_NODES=host:port,host:port,... (the nodes of one cluster)")
nodes = []
for item in os.environ["IGNITE_WIRE_NODES"].split(","):
    node_host, _, node_port = item.strip().rpartition(":")
    nodes.append((node_host, int(node_port)))
seconds = float(os.environ.get("IGNITE_WIRE_FAILOVER_SECONDS", "10"))

client = Client(timeout=40.0)
client.connect(nodes)
print(f"Connected to {client}")

my_cache = client.get_or_create_cache(
    {
        PROP_NAME: "my_cache",
        PROP_CACHE_MODE: CacheMode.REPLICATED,
    }
)
my_cache.put("test_key", 0)

# Main loop, bounded in time (the seed's runs forever)
deadline = time.monotonic() + seconds
errors = 0
while time.monotonic() < deadline:
    try:
        # Do the work
        test_value = my_cache.get("test_key")
        my_cache.put("test_key", test_value + 1)
    except (OSError, SocketError) as e:
        # Recover from error (repeat last command, check data
        # consistency or just continue - depends on the task)
        errors += 1
        print(f"Error: {e}")
        print(f"Last value: {my_cache.get('test_key')}")
        print(f"Reconnected to {client}")

print(f"Done: test_key = {my_cache.get('test_key')} after {seconds:g} s, {errors} error(s)")
my_cache.destroy()
client.close()
