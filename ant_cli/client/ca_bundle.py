"""Which CA bundle verifies the server, and the check, before anything is sent, that it can be read.

requests reads REQUESTS_CA_BUNDLE and CURL_CA_BUNDLE itself; SSL_CERT_FILE (what OpenSSL and curl
honour) is honoured here too. A bundle that is missing or unreadable is the user's configuration, not
the network: reported at once (exit 2), never retried as if the connection had failed.
"""

from __future__ import annotations

import os
from typing import Mapping

from ant_cli.core.errors import UsageError

VARIABLES = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE")


def chosen_bundle(variables: Mapping[str, str]) -> tuple[str, str] | None:
    """The first variable (in requests' order, then SSL_CERT_FILE) that names a bundle, and its path."""
    return next(((name, variables[name]) for name in VARIABLES if variables.get(name)), None)


def ca_bundle(variables: Mapping[str, str]):
    """What requests' `verify` takes: the bundle's path, or True for the default one."""
    chosen = chosen_bundle(variables)
    return chosen[1] if chosen else True


def check_ca_bundle(variables: Mapping[str, str]) -> None:
    """Raise UsageError, naming the variable and the path, when the chosen bundle cannot be read or holds
    no PEM certificate (what OpenSSL needs of a bundle file; the full parse is left to it, as it is slow).

    A directory of certificates is accepted, as requests accepts it.
    """
    chosen = chosen_bundle(variables)
    if chosen is None:
        return
    name, path = chosen
    try:
        if os.path.isdir(path):
            os.listdir(path)
            return
        with open(path, "rb") as bundle:
            data = bundle.read()
    except OSError as exc:
        raise UsageError(f"{name} names a CA bundle that cannot be read: {path}: "
                         f"{exc.strerror or type(exc).__name__}") from None
    if b"CERTIFICATE-----" not in data:
        raise UsageError(f"{name} names a CA bundle that holds no PEM certificate: {path}")
