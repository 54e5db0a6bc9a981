# Seed snippet: "Security: Authentication without SSL", from Ignite's "Python Thin Client" page
# (the project's seed document, lines 745-745).  Runs against: ignite_auth_node.
# Everything below the marker line is the seed's code, verbatim except:
#   - nothing (no import, no address)
# Note: the seed shows only the constructor: the test runs it after `from ignite_wire
#   import Client` and then connects the client to {HOST}:{PORT} (the node's address)
#   and uses it
# The test fills each {NAME} placeholder (tests/test_seed_snippets.py).
# ---- seed snippet ----
client = Client(username='ignite', password='ignite', use_ssl=False)
