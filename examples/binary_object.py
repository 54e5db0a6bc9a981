"""The seed's cache configuration example: a ``PersonKey`` binary object as the key.

``GenericObjectMeta`` declares a complex object type; ``PROP_CACHE_KEY_CONFIGURATION``
makes its ``companyId`` field the affinity key, so that all of a company's people live in
one partition.  Connects to 127.0.0.1:10800 as the seed does (``IGNITE_WIRE_HOST`` /
``IGNITE_WIRE_PORT`` override it).  Idempotent: the cache is destroyed at the end.
"""

import os
from collections import OrderedDict

from ignite_wire import Client, GenericObjectMeta
from ignite_wire.datatypes import *
from ignite_wire.datatypes.prop_codes import *

host = os.environ.get("IGNITE_WIRE_HOST", "127.0.0.1")
port = int(os.environ.get("IGNITE_WIRE_PORT", "10800"))

# Open a connection
client = Client()
client.connect(host, port)

cache_config = {
    PROP_NAME: "my_cache",
    PROP_BACKUPS_NUMBER: 2,
    PROP_CACHE_KEY_CONFIGURATION: [
        {
            "type_name": "PersonKey",
            "affinity_key_field_name": "companyId",
        }
    ],
}

my_cache = client.get_or_create_cache(cache_config)


class PersonKey(
    metaclass=GenericObjectMeta,
    type_name="PersonKey",
    schema=OrderedDict(
        [
            ("personId", IntObject),
            ("companyId", IntObject),
        ]
    ),
):
    pass


person_key = PersonKey(personId=1, companyId=1)
my_cache.put(person_key, "test")

print(my_cache.get(person_key))  # test

# The cluster keeps the key configuration
print(my_cache.settings[PROP_CACHE_KEY_CONFIGURATION])

my_cache.destroy()
client.close()
