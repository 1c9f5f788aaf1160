"""The article model and how HTML becomes it: `document` (blocks, spans, figures),
`htmldoc`/`htmlparts`/`xmlblocks` (HTML to blocks), `extract` (a web page's main
text), `entryarticle` (what a reader sees for an entry), `picturedata`."""
