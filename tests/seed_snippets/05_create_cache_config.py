# Seed snippet: "Creating a Cache (with a set of properties)", from Ignite's "Python Thin Client" page
# (the project's seed document, lines 142-176).  Runs against: ignite_node.
# Everything below the marker line is the seed's code, verbatim except:
#   - `pyignite` -> `ignite_wire` (the import name)
#   - port 10800 -> {PORT}: thin-client port of the test's node
# The test fills each {NAME} placeholder (tests/test_seed_snippets.py).
# ---- seed snippet ----
from collections import OrderedDict

from ignite_wire import Client, GenericObjectMeta
from ignite_wire.datatypes import *
from ignite_wire.datatypes.prop_codes import *

# Open a connection
client = Client()
client.connect('127.0.0.1', {PORT})

cache_config = {
    PROP_NAME: 'my_cache',
    PROP_BACKUPS_NUMBER: 2,
    PROP_CACHE_KEY_CONFIGURATION: [
        {
            'type_name': 'PersonKey',
            'affinity_key_field_name': 'companyId'
        }
    ]
}

my_cache = client.create_cache(cache_config)


class PersonKey(metaclass=GenericObjectMeta, type_name='PersonKey', schema=OrderedDict([
    ('personId', IntObject),
    ('companyId', IntObject),
])):
    pass


personKey = PersonKey(personId=1, companyId=1)
my_cache.put(personKey, 'test')

print(my_cache.get(personKey))
