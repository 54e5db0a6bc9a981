"""Operation flows: each thin-client operation written once, for both clients.

A flow (see :mod:`..flow`) builds its request bytes, yields them, and decodes the answer.
Around that it handles what pyignite did with I/O inside its codec: binary types the
cluster must learn before it receives an object (op 3003) and types the client must learn
before it can read one (op 3002).  No flow knows about sockets, nodes or threads, nor
where it is sent: the client routes by choosing the connection that drives the flow.
"""
