"""Configuration: the config file (`settings`, `writer`), the key table (`keymap`),
where files live (`paths`) and the profile (`profile`)."""
