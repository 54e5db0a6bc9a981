"""The seed's SSL/TLS example: an encrypted connection with a client certificate.

(Not called ``ssl.py``: a script of that name would shadow the standard ``ssl`` module for
every example in this folder.)

Environment (all required, there is no sensible default for a certificate):
``IGNITE_WIRE_HOST``, ``IGNITE_WIRE_PORT``: the SSL node; ``IGNITE_WIRE_SSL_KEYFILE``,
``IGNITE_WIRE_SSL_CERTFILE``: the client key and certificate; ``IGNITE_WIRE_SSL_CA_CERTFILE``:
the CA that signed the node's certificate.  ``python examples/run_with_node.py --ssl
examples/ssl_tls.py`` makes fresh certificates, starts an SSL-only node and sets them.
"""

import os
import ssl
import sys

from ignite_wire import Client

REQUIRED = (
    "IGNITE_WIRE_HOST",
    "IGNITE_WIRE_PORT",
    "IGNITE_WIRE_SSL_KEYFILE",
    "IGNITE_WIRE_SSL_CERTFILE",
    "IGNITE_WIRE_SSL_CA_CERTFILE",
)
missing = [name for name in REQUIRED if name not in os.environ]
if missing:
    sys.exit(f"set {', '.join(missing)} (see the docstring of {__file__})")

client = Client(
    use_ssl=True,
    ssl_cert_reqs=ssl.CERT_REQUIRED,
    ssl_keyfile=os.environ["IGNITE_WIRE_SSL_KEYFILE"],
    ssl_certfile=os.environ["IGNITE_WIRE_SSL_CERTFILE"],
    ssl_ca_certfile=os.environ["IGNITE_WIRE_SSL_CA_CERTFILE"],
)

client.connect(os.environ["IGNITE_WIRE_HOST"], int(os.environ["IGNITE_WIRE_PORT"]))
print(f"Connected over TLS: {client}")

cache = client.get_or_create_cache("ssl example")
cache.put("secret", "sent encrypted")
print(cache.get("secret"))  # sent encrypted
cache.destroy()
client.close()
