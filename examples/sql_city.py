"""The seed's SQL example: the City table, its rows, and the field names.

Connects to 127.0.0.1:10800 as the seed does (``IGNITE_WIRE_HOST`` / ``IGNITE_WIRE_PORT``
override it).  Idempotent: the table is dropped first (if a run was interrupted) and at
the end.
"""

import os

from ignite_wire import Client

host = os.environ.get("IGNITE_WIRE_HOST", "127.0.0.1")
port = int(os.environ.get("IGNITE_WIRE_PORT", "10800"))

client = Client()
client.connect(host, port)

CITY_DROP_TABLE_QUERY = "DROP TABLE IF EXISTS City"

CITY_CREATE_TABLE_QUERY = """CREATE TABLE City (
    ID INT(11),
    Name CHAR(35),
    CountryCode CHAR(3),
    District CHAR(20),
    Population INT(11),
    PRIMARY KEY (ID, CountryCode)
) WITH "affinityKey=CountryCode\""""

CITY_CREATE_INDEX = """CREATE INDEX idx_country_code ON city (CountryCode)"""

CITY_INSERT_QUERY = """INSERT INTO City(
    ID, Name, CountryCode, District, Population
) VALUES (?, ?, ?, ?, ?)"""

CITY_DATA = [
    [3793, "New York", "USA", "New York", 8008278],
    [3794, "Los Angeles", "USA", "California", 3694820],
    [3795, "Chicago", "USA", "Illinois", 2896016],
    [3796, "Houston", "USA", "Texas", 1953631],
    [3797, "Philadelphia", "USA", "Pennsylvania", 1517550],
    [3798, "Phoenix", "USA", "Arizona", 1321045],
    [3799, "San Diego", "USA", "California", 1223400],
    [3800, "Dallas", "USA", "Texas", 1188580],
]

CITY_SELECT_QUERY = "SELECT * FROM City"

client.sql(CITY_DROP_TABLE_QUERY)
client.sql(CITY_CREATE_TABLE_QUERY)
client.sql(CITY_CREATE_INDEX)

for row in CITY_DATA:
    client.sql(CITY_INSERT_QUERY, query_args=row)

cities = client.sql(CITY_SELECT_QUERY)
for city in cities:
    print(*city)

# With include_field_names=True the first item is the list of column names
field_names = client.sql(CITY_SELECT_QUERY, include_field_names=True).__next__()
print(field_names)

client.sql(CITY_DROP_TABLE_QUERY)
client.close()
