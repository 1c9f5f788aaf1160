"""Kabar's core: fetch, parse, store, extract and refresh. Plain Python: never imports
Textual or Rich, so the CLI, the TUI and the tests share it."""
