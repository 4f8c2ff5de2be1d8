"""`python -m ant_mock`: run the mock API until interrupted."""

import sys

from ant_mock.cli import main

sys.exit(main())
