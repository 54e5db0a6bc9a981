# Seed snippet: "Partition Awareness", from Ignite's "Python Thin Client" page
# (the project's seed document, lines 110-117).  Runs against: ignite_cluster (3 nodes).
# Everything below the marker line is the seed's code, verbatim except:
#   - ('127.0.0.1', 10800) -> ('127.0.0.1', {PORT_0}): node 0 of the test's 3-node cluster
#   - ('217.29.2.1', 10800) -> ('{HOST_1}', {PORT_1}): node 1 of that cluster (127.0.0.1)
#   - ('200.10.33.1', 10800) -> ('{HOST_2}', {PORT_2}): node 2 of that cluster (127.0.0.1)
# Note: the seed shows this without its import: the test runs it after `from ignite_wire
#   import Client`
# The test fills each {NAME} placeholder (tests/test_seed_snippets.py).
# ---- seed snippet ----
client = Client(partition_aware=True)
nodes = [
    ('127.0.0.1', {PORT_0}),
    ('{HOST_1}', {PORT_1}),
    ('{HOST_2}', {PORT_2}),
]

client.connect(nodes)
