"""Plain classes the widgets show: views and pages of entries. No Textual here."""
