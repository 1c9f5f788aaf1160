"""The Textual face of Kabar. It talks to the core only through workers and messages."""
