"""The lean HTTP session's pool: an idle connection is kept while the server keeps it, whatever its number."""

from __future__ import annotations

import http.client
import os
import socket

from ant_cli.client.lean_http import was_dropped
from tests.helpers import wait_until


def connected_pair(low_descriptors: int = 0):
    """A client connection (as http.client holds it) and the server's end, after `low_descriptors` other
    descriptors are taken, so that the client's number can lie past select's limit of 1,024."""
    held = [os.dup(0) for _ in range(low_descriptors)]
    listener = socket.create_server(("127.0.0.1", 0))
    client = http.client.HTTPConnection("127.0.0.1", listener.getsockname()[1], timeout=5)
    client.connect()
    server, _ = listener.accept()
    listener.close()
    return client, server, held


def test_an_open_idle_connection_is_kept_even_past_descriptor_1024():
    client, server, held = connected_pair(low_descriptors=1100)
    try:
        assert client.sock.fileno() > 1024
        assert not was_dropped(client)  # select() cannot watch it; keep-alive must not be lost for that
        server.close()
        wait_until(lambda: was_dropped(client), 5, what="the close to reach the client")  # readable: end of file
    finally:
        client.close()
        for descriptor in held:
            os.close(descriptor)
