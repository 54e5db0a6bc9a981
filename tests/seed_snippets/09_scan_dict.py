# Seed snippet: "Scan Queries ("Alternatively ... in one go")", from Ignite's "Python Thin Client" page
# (the project's seed document, lines 572-581).  Runs against: ignite_node.
# Everything below the marker line is the seed's code, verbatim except:
#   - nothing (no import, no address)
# Note: a continuation: the test runs it after 08_scan.py, which defines `my_cache`
# The test fills each {NAME} placeholder (tests/test_seed_snippets.py).
# ---- seed snippet ----
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
