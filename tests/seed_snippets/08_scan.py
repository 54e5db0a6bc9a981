# Seed snippet: "Scan Queries", from Ignite's "Python Thin Client" page
# (the project's seed document, lines 530-568).  Runs against: ignite_node.
# Everything below the marker line is the seed's code, verbatim except:
#   - `pyignite` -> `ignite_wire` (the import name)
#   - port 10800 -> {PORT}: thin-client port of the test's node
# The test fills each {NAME} placeholder (tests/test_seed_snippets.py).
# ---- seed snippet ----
from ignite_wire import Client

client = Client()
client.connect('127.0.0.1', {PORT})

my_cache = client.create_cache('myCache')

my_cache.put_all({'key_{}'.format(v): v for v in range(20)})
# {
#     'key_0': 0,
#     'key_1': 1,
#     'key_2': 2,
#     ... 20 elements in total...
#     'key_18': 18,
#     'key_19': 19
# }

result = my_cache.scan()

for k, v in result:
    print(k, v)
# 'key_17' 17
# 'key_10' 10
# 'key_6' 6,
# ... 20 elements in total...
# 'key_16' 16
# 'key_12' 12


result = my_cache.scan()
print(dict(result))
# {
#     'key_17': 17,
#     'key_10': 10,
#     'key_6': 6,
#     ... 20 elements in total...
#     'key_16': 16,
#     'key_12': 12
# }
