"""`python -m kabar`."""

import sys

from kabar.cli.main import main

sys.exit(main())
