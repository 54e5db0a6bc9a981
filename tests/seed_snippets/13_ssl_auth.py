# Seed snippet: "Security: Authentication (with SSL)", from Ignite's "Python Thin Client" page
# (the project's seed document, lines 714-741).  Runs against: a node with TLS (client certificate required) and authentication.
# Everything below the marker line is the seed's code, verbatim except:
#   - `pyignite` -> `ignite_wire` (the import name)
#   - '/path/to/key/file' -> '{KEY}': the client key (ignite_tls)
#   - '/path/to/client/cert' -> '{CERT}': the client certificate (ignite_tls)
#   - '/path/to/trusted/cert/or/chain' -> '{CA}': the test CA certificate (ignite_tls)
#   - 'localhost', 10800 -> '{HOST}', {PORT}: the test node's address (127.0.0.1)
# The test fills each {NAME} placeholder (tests/test_seed_snippets.py).
# ---- seed snippet ----
# Licensed to the Apache Software Foundation (ASF) under one or more
# contributor license agreements.  See the NOTICE file distributed with
# this work for additional information regarding copyright ownership.
# The ASF licenses this file to You under the Apache License, Version 2.0
# (the "License"); you may not use this file except in compliance with
# the License.  You may obtain a copy of the License at
#
#      http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS,
# WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
# See the License for the specific language governing permissions and
# limitations under the License.

from ignite_wire import Client
import ssl


client = Client(
                ssl_cert_reqs=ssl.CERT_REQUIRED,
                ssl_keyfile='{KEY}',
                ssl_certfile='{CERT}',
                ssl_ca_certfile='{CA}',
                username='ignite',
                password='ignite',)

client.connect('{HOST}', {PORT})
