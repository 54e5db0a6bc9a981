# Seed snippet: "Executing SQL Statements (include_field_names)", from Ignite's "Python Thin Client" page
# (the project's seed document, lines 654-655).  Runs against: ignite_node.
# Everything below the marker line is the seed's code, verbatim except:
#   - nothing (no import, no address)
# Note: a continuation: the test runs it after 10_sql_city.py, which defines `client`
#   and `CITY_SELECT_QUERY`
# The test fills each {NAME} placeholder (tests/test_seed_snippets.py).
# ---- seed snippet ----
field_names = client.sql(CITY_SELECT_QUERY, include_field_names=True).__next__()
print(field_names)
