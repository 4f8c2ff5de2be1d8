"""Allow `python -m ant_cli` as a synonym for the `ant` command."""

import sys

from ant_cli.main import main

sys.exit(main())
