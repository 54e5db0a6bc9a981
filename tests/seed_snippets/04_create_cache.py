# Seed snippet: "Creating a Cache (by name)", from Ignite's "Python Thin Client" page
# (the project's seed document, lines 131-138).  Runs against: ignite_node.
# Everything below the marker line is the seed's code, verbatim except:
#   - `pyignite` -> `ignite_wire` (the import name)
#   - port 10800 -> {PORT}: thin-client port of the test's node
# The test fills each {NAME} placeholder (tests/test_seed_snippets.py).
# ---- seed snippet ----
from ignite_wire import Client

# Open a connection
client = Client()
client.connect('127.0.0.1', {PORT})

# Create a cache
my_cache = client.create_cache('myCache')
