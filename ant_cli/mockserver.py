"""The mock API lives in its own package, `ant_mock` (`python -m ant_mock --help`); this old name forwards to it.

`from ant_cli.mockserver import MockServer` and `python -m ant_cli.mockserver [options]` keep working.
"""

from ant_mock import MockServer
from ant_mock.cli import main

__all__ = ["MockServer", "main"]

if __name__ == "__main__":
    raise SystemExit(main(prog="python -m ant_cli.mockserver"))
