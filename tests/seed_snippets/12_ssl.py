# Seed snippet: "Security: SSL/TLS", from Ignite's "Python Thin Client" page
# (the project's seed document, lines 665-676).  Runs against: ignite_ssl_node (TLS, client certificate required).
# Everything below the marker line is the seed's code, verbatim except:
#   - `pyignite` -> `ignite_wire` (the import name)
#   - '/path/to/key/file' -> '{KEY}': the client key (ignite_tls)
#   - '/path/to/client/cert' -> '{CERT}': the client certificate (ignite_tls)
#   - '/path/to/trusted/cert/or/chain' -> '{CA}': the test CA certificate (ignite_tls)
#   - 'localhost', 10800 -> '{HOST}', {PORT}: the test node's address (127.0.0.1)
# The test fills each {NAME} placeholder (tests/test_seed_snippets.py).
# ---- seed snippet ----
from ignite_wire import Client
import ssl

client = Client(
                use_ssl=True,
                ssl_cert_reqs=ssl.CERT_REQUIRED,
                ssl_keyfile='{KEY}',
                ssl_certfile='{CERT}',
                ssl_ca_certfile='{CA}',
)

client.connect('{HOST}', {PORT})
