"""`python -m kabar`."""

from kabar.cli.main import entry

entry()
