"""Sync with feed servers (the Google Reader API): client, engine and state."""
