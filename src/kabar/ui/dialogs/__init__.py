"""Small modal dialogs, one per module."""
