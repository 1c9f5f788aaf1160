"""Full-text extraction: a web page to a Kabar `Article`, captions kept as captions.

trafilatura finds the main text; our own layer adds what it misses or gets wrong: figures
and their captions (found in the page itself and placed where they stood), furniture that
survives its filters (empty bylines, "Read also" lines, comment-form headings,
copy-protection and cookie notices, tag lists, related-story lists), the headline and
standfirst repeated above the text, and the page's metadata read from its head.
`is_teaser`/`wants_full_text` decide when a feed entry needs its page fetched at all.
"""

from kabar.core.article.extract.extractor import extract_article
from kabar.core.article.extract.teaser import is_teaser, wants_full_text

__all__ = ["extract_article", "is_teaser", "wants_full_text"]
