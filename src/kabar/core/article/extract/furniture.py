"""Drop the site furniture that survives trafilatura's own filters.

trafilatura prunes page regions by their class and id names, so what reaches us is
furniture written as ordinary paragraphs: labels left empty by a theme ("Penulis:",
"Author:"), inline "Baca Juga: ..." / "Read also: ..." links, comment-form headings, share
and newsletter prompts, copy-protection and cookie notices, tag lines, copyright lines,
and "related" sections at the end. These are recognised by their text, in the languages we
read, and by position: most of them sit at the start or the end of the article, so rules
that could hit real prose are applied only there.
"""

from __future__ import annotations

import re

from kabar.core.article.document import Block, Heading, ListBlock, Paragraph, block_text, plain

_F = re.I | re.U

# A label with nothing after it: a byline or tag box whose content was a link or an image.
_EMPTY_LABEL = re.compile(
    r"^(penulis|pewarta|reporter|editor|redaktur|oleh|author|authors|written by|by|writer|"
    r"source|sumber|foto|photo|fotografer|photographer|tags?|topik|topics?|kategori|"
    r"categor(y|ies)|filed under|posted in|share|bagikan|compartilhe|partager|teilen|"
    r"autor|autora|por|von|par|editado por|escrito por|著者|作者|記者|기자|автор|المؤلف|الكاتب)"
    r"\s*[:：|]?\s*$",
    _F,
)
# "Baca Juga: <link>" and its kin: a pointer to another article in the middle of the text.
_READ_ALSO = re.compile(
    r"^[\[(]?\s*(baca juga|baca pula|lihat juga|simak juga|cek juga|read also|also read|"
    r"read more|see more|see also|more on this|related|related posts?|related articles?|"
    r"related stories|related story|related coverage|related reading|recommended|"
    r"also on [\w.-]+|also|more|don'?t miss|watch|listen|leia também|leia mais|veja também|"
    r"veja mais|lee también|lea también|ver también|lire aussi|à lire aussi|voir aussi|"
    r"siehe auch|mehr zum thema|auch interessant|leggi anche|leggi anche su|"
    r"читайте также|см\. также|اقرأ أيضا|اقرأ أيضاً|اقرأ ايضا|関連記事|あわせて読みたい|"
    r"相关阅读|相關閱讀|延伸阅读|延伸閱讀|관련기사|관련 기사)\s*[:：\-–—|»]",
    _F,
)
# Headings that open a section of furniture; what follows them is dropped with them.
_SECTION_HEAD = re.compile(
    r"^(you may also like|you might also like|you may be interested in|related|"
    r"related (articles?|posts?|stories|news|content|coverage|reading)|recommended( for you)?|"
    r"more (from|on|in|stories|news)\b.*|popular on .*|most popular|most read|trending( now)?|"
    r"don'?t miss|editor'?s picks?|explore further|read next|up next|what to read next|"
    r"berita terkait|artikel terkait|baca juga|berita lainnya|terpopuler|pilihan editor|"
    r"leia também|veja também|notícias relacionadas|mais lidas|artículos relacionados|"
    r"noticias relacionadas|articles similaires|verwandte artikel|ähnliche artikel|"
    r"похожие статьи|читайте также|مقالات ذات صلة|関連記事|相关文章|相關文章|관련기사|"
    r"tags?|topics?|share( this( article| story| post)?)?|"
    r"(sign up for|subscribe to) .*newsletter.*|.*newsletter)\s*[.!:…]*$",
    _F,
)
# Headings that open the comment section or its form: everything after them goes.
_COMMENTS_HEAD = re.compile(
    r"^(\d+\s+)?(comments?|responses?|replies|leave a (reply|comment)|post a comment|"
    r"add a comment|join the (discussion|conversation)|write a comment|"
    r"tinggalkan (balasan|komentar)|tulis komentar|komentar|beri komentar|"
    r"deixe (um comentário|uma resposta|seu comentário)|comentários|comentarios|"
    r"deja un comentario|kommentare|kommentar schreiben|commentaires|laisser un commentaire|"
    r"комментарии|оставить комментарий|التعليقات|أضف تعليق|コメント|コメントを残す|评论|"
    r"發表評論|发表评论|댓글|tell us what you think)\s*[.!:…()\d]*$",
    _F,
)
# One-line notices that are never part of an article.
_NOTICE = re.compile(
    r"(error\s*:\s*content is protected|content is protected\s*!|you cannot copy content|"
    r"alert\s*:\s*content (is )?protected|"
    r"(this|our) (web ?site|site) uses cookies|we use cookies|by continuing to (use|browse)|"
    r"accept (all )?cookies|cookie (policy|settings)|kami menggunakan cookie|"
    r"situs ini menggunakan cookie|usamos cookies|utilizamos cookies|"
    r"your email address will not be published|required fields are marked|"
    r"alamat email anda tidak akan (dipublikasikan|ditampilkan)|"
    r"ruas yang wajib ditandai|o seu endereço de (e-?mail|email) não será publicado|"
    r"save my name, email,? and website|"
    r"like this (story|article)\?\s*share|share (this|it) with a friend|"
    r"share (this )?(article|story|post) on|share on (facebook|twitter|whatsapp)|"
    r"bagikan (artikel|berita) ini|click here to (get|download) the .{1,40} app|"
    r"order reprints|print (this )?article|reprints? (&|and) permissions|"
    r"this copy is for your personal, non-commercial use|all rights reserved|"
    r"thanks for signing up|error processing your subscription|"
    r"(sign up|subscribe) (for|to|now)\b.{0,80}(newsletter|updates|inbox)|"
    r"^sign up\s*:|^subscribe\s*:|click here to subscribe|"
    r"^follow (us|\w+(\s\w+)?'s (full )?coverage)\b|"
    r"^follow\b.{0,60}\bon (twitter|facebook|instagram|youtube|linkedin|tiktok)\b|"
    r"^(copyright|©|\(c\))\s|"
    r"^(tempo de leitura|reading time|waktu baca|lesezeit|temps de lecture|"
    r"tiempo de lectura)\s*[:：]|^\d+\s*(min|mins|minutes?)\s+(read|de leitura|baca)$)",
    _F,
)
# "Tags: a, b, c" lines.
_TAG_LINE = re.compile(
    r"^(tags?|tagged( with)?|topics?|topik|tag terkait|etiquetas|schlagwörter|"
    r"метки|теги|الوسوم|タグ|标签|標籤|태그)\s*[:：]\s*\S",
    _F,
)
# A bare byline: "By Jane Doe", "Penulis: Budi", "Editor: Ani".
_BYLINE = re.compile(
    r"^(by|oleh|por|par|von|di|penulis|pewarta|reporter|editor|redaktur|author|"
    r"written by|writer)\s*[:：]?\s+[\w .,'’&-]{2,80}$",
    _F,
)
# Credit lines that end agency copy: "Reporting by ...; Editing by ...".
_CREDIT_LINE = re.compile(
    r"^\(?(\w+\s+)?(reporting|additional reporting|writing|editing) by\b|"
    r"contributed to this (report|story)\.?$",
    _F,
)
# A line holding only a timestamp or an image address: page data printed as text.
_BARE_VALUE = re.compile(
    r"^(\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?|"
    r"https?://\S+\.(jpe?g|png|gif|webp|avif|svg)(\?\S*)?)$",
    _F,
)
_WORD = re.compile(r"\w+", re.U)
_LONGEST_LINE = 400  # characters: no furniture line is longer
_PROSE = 140  # characters: a block this long is prose, not a label or a link line
_CJK = re.compile("[\u3040-\u9fff\uac00-\ud7af]")
_URL_TEXT = re.compile(r"^\s*(https?://|www\.)\S+\s*$", re.I)


def words(text: str) -> int:
    """Words in a text; each CJK character counts as one, as readers count them."""
    return len(_WORD.findall(text)) + len(_CJK.findall(text)) // 2


def is_furniture_line(text: str) -> bool:
    """A block that is furniture wherever it stands."""
    if len(text) > _LONGEST_LINE:
        return False  # furniture is short; long blocks skip the patterns
    text = " ".join(text.split())
    if not text:
        return True
    n = words(text)
    if _EMPTY_LABEL.match(text) or _COMMENTS_HEAD.match(text):
        return True
    if n <= 40 and (_READ_ALSO.match(text) or _NOTICE.search(text) or _TAG_LINE.match(text)):
        return True
    if n <= 6 and _SECTION_HEAD.match(text):
        return True
    if _BARE_VALUE.match(text):
        return True
    return n <= 8 and _BYLINE.match(text) is not None


def link_share(block: Block) -> float:
    """The share of a text block's characters that are link text."""
    if isinstance(block, (Paragraph, Heading)):
        spans = block.spans
    elif isinstance(block, ListBlock):
        spans = [span for item in block.items for span in item]
    else:
        return 0.0
    total = sum(len(span.text.strip()) for span in spans)
    linked = sum(len(span.text.strip()) for span in spans if span.link)
    return linked / total if total else 0.0


def drop_furniture(blocks: list[Block]) -> list[Block]:
    """The blocks without furniture; figures are never dropped here."""
    out: list[Block] = []
    skipping: str = ""  # "section" after a related/tags head, "comments" after a comment head
    for block in blocks:
        text = block_text(block)
        if isinstance(block, Heading):
            head = " ".join(text.split())
            if _COMMENTS_HEAD.match(head):
                skipping = "comments"
                continue
            if skipping == "comments":
                continue
            if _SECTION_HEAD.match(head) or is_furniture_line(head):
                skipping = "section"
                continue
            skipping = ""
        elif skipping == "comments" and not _is_figure(block):
            continue
        elif skipping == "section" and not _is_figure(block):
            if link_share(block) >= 0.5 or words(text) <= 12 or is_furniture_line(text):
                continue
            skipping = ""
        if not _is_figure(block) and _is_line_furniture(block, text):
            continue
        out.append(block)
    return _drop_trailing_links(out)


def _is_figure(block: Block) -> bool:
    return getattr(block, "kind", "") == "figure"


def _is_line_furniture(block: Block, text: str) -> bool:
    if isinstance(block, (Paragraph, Heading)):
        if is_furniture_line(text):
            return True
        # a short paragraph that is one link: a pointer to another article
        return (
            isinstance(block, Paragraph)
            and words(text) <= 20
            and link_share(block) >= 0.9
            and not _URL_TEXT.match(text)
        )
    if isinstance(block, ListBlock):
        items = [" ".join(plain(item).split()) for item in block.items]
        return all(is_furniture_line(item) for item in items)
    return False


def _is_headline_list(block: Block) -> bool:
    return isinstance(block, ListBlock) and all(item and item[0].link for item in block.items)


def _drop_trailing_links(blocks: list[Block]) -> list[Block]:
    """After the last paragraph of prose, link lists and credit lines are furniture."""
    last_prose = -1
    for index, block in enumerate(blocks):
        if _is_figure(block) or isinstance(block, Heading) or _is_headline_list(block):
            continue
        text = block_text(block)
        long_enough = len(text) >= _PROSE or (len(text) >= 40 and words(text) >= 25)
        if long_enough and link_share(block) < 0.5:
            last_prose = index
    out = blocks[: last_prose + 1]
    for block in blocks[last_prose + 1 :]:
        if isinstance(block, Heading) and last_prose >= 0:
            continue  # a heading with no prose under it introduces furniture
        if _is_headline_list(block):
            continue  # every item a headline link: a "more stories" list
        if not _is_figure(block):
            text = block_text(block)
            if link_share(block) >= 0.5 or _CREDIT_LINE.search(text):
                continue
        out.append(block)
    # credit lines just before the tail
    while out and isinstance(out[-1], Paragraph) and _CREDIT_LINE.search(plain(out[-1].spans)):
        out.pop()
    return out
