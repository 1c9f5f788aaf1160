"""Feeds: finding them (`discovery`, `opml`, `urls`), fetching (`fetch`, `pagefile`),
parsing (`parse`) and refreshing them into the store (`refresh`)."""
