"""The main screen, split by subject: reading, feeds, refresh, search."""

from kabar.ui.screens.main.screen import MainScreen

__all__ = ["MainScreen"]
