"""Kabar command line."""
