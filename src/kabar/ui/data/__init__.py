"""Plain classes behind the reader, no Textual here: the views and pages of entries the
widgets show, and the main screen's decisions (the next unread entry, undo of
mark-all-read, the refresh queue, the link y copies), each tested without a screen."""
