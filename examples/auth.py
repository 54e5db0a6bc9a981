"""The seed's authentication examples: credentials with SSL, and without.

Supplying credentials turns SSL on, as the seed says.  When the SSL variables below are
set, this runs the seed's "authentication with SSL" example; otherwise its
"authentication without SSL" one (``use_ssl=False``: the password travels in clear text,
fine on loopback, discouraged anywhere else).

Environment: ``IGNITE_WIRE_HOST``, ``IGNITE_WIRE_PORT`` (required): a node with
authentication; ``IGNITE_WIRE_USERNAME`` / ``IGNITE_WIRE_PASSWORD`` (default ``ignite`` /
``ignite``, the seed's and the harness's default user); optionally
``IGNITE_WIRE_SSL_KEYFILE``, ``IGNITE_WIRE_SSL_CERTFILE``, ``IGNITE_WIRE_SSL_CA_CERTFILE``.
``python examples/run_with_node.py --auth [--ssl] examples/auth.py`` starts such a node.
"""

import os
import ssl
import sys

from ignite_wire import Client

missing = [name for name in ("IGNITE_WIRE_HOST", "IGNITE_WIRE_PORT") if name not in os.environ]
if missing:
    sys.exit(f"set {', '.join(missing)} (see the docstring of {__file__})")
host = os.environ["IGNITE_WIRE_HOST"]
port = int(os.environ["IGNITE_WIRE_PORT"])
username = os.environ.get("IGNITE_WIRE_USERNAME", "ignite")
password = os.environ.get("IGNITE_WIRE_PASSWORD", "ignite")

if "IGNITE_WIRE_SSL_CA_CERTFILE" in os.environ:
    # Credentials over SSL: no use_ssl needed, the credentials turn it on
    client = Client(
        ssl_cert_reqs=ssl.CERT_REQUIRED,
        ssl_keyfile=os.environ.get("IGNITE_WIRE_SSL_KEYFILE"),
        ssl_certfile=os.environ.get("IGNITE_WIRE_SSL_CERTFILE"),
        ssl_ca_certfile=os.environ["IGNITE_WIRE_SSL_CA_CERTFILE"],
        username=username,
        password=password,
    )
    how = "with SSL"
else:
    # Authentication without securing the connection
    client = Client(username=username, password=password, use_ssl=False)
    how = "without SSL"

client.connect(host, port)
print(f"Authenticated as {username!r} {how}: {client}")

cache = client.get_or_create_cache("auth example")
cache.put("who", username)
print(cache.get("who"))
cache.destroy()
client.close()
