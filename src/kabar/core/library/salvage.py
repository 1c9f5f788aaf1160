"""Reading rows straight from the pages of a damaged SQLite file, with no SQLite at all.

When SQLite gives up on a file (truncated, a garbage header, a destroyed first page or
schema), the rows are usually still there, on the table pages that survived. This reads
the file format itself, the way the sqlite3 shell's `.recover` does (which is not in
Python's sqlite3, and which fails on a file this damaged): the page size from the header
(or guessed), committed pages from the WAL on top, each table's b-tree walked from its root
page in the schema, then every leaf page no tree reached, its rows matched to one of
Kabar's own tables by the shape of the record. Freelist pages are skipped when the header
names them, so deleted rows stay deleted; with page 1 destroyed they cannot be told apart.
"""

from __future__ import annotations

import mmap
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

MAGIC = b"SQLite format 3\x00"
Value = None | int | float | str | bytes
_TYPES: dict[str, tuple[type, ...]] = {
    "null": (type(None),),
    "int": (int,),
    "num": (int, float),  # a REAL that is a whole number is stored as an integer
    "text": (str,),
}


@dataclass(frozen=True, slots=True)
class Shape:
    """What a record of one of Kabar's tables looks like on disk: the column names, the
    types each may hold, and how many leading columns the oldest schema version had
    (columns added later are missing from old records)."""

    columns: tuple[str, ...]
    types: tuple[tuple[type, ...], ...]
    minimum: int

    @classmethod
    def of(cls, spec: str, minimum: int) -> Shape:
        """From "name:type" words; a type ending in "?" may also be NULL."""
        pairs = [word.split(":") for word in spec.split()]
        types = [
            _TYPES[t.rstrip("?")] + ((type(None),) if t.endswith("?") else ()) for _, t in pairs
        ]
        return cls(tuple(name for name, _ in pairs), tuple(types), minimum)

    def matches(self, values: list[Value]) -> bool:
        if not self.minimum <= len(values) <= len(self.columns):
            return False
        return all(isinstance(v, t) for v, t in zip(values, self.types, strict=False))


# The first column of the first three is their INTEGER PRIMARY KEY, stored as NULL: the
# rowid holds it. These follow the migrations; a new column is added here too.
SHAPES: dict[str, Shape] = {
    "feeds": Shape.of(
        "id:null url:text title:text site_url:text folder:text kind:text etag:text? "
        "last_modified:text? last_fetched:num? last_status:int? last_error:text "
        "error_count:int next_fetch:num? min_interval:num disabled:text removed:num? "
        "added:num custom_title:text tags:text stream_id:text",
        17,
    ),
    "entries": Shape.of(
        "id:null feed_id:int key:text fingerprint:text title:text link:text author:text "
        "published:num? updated:num? sort_date:num summary:text content:text "
        "enclosures:text first_seen:num read:int saved:int indexed:int",
        16,
    ),
    "articles": Shape.of(
        "entry_id:null url:text document:text fetched:num etag:text? last_modified:text?", 6
    ),
    "images": Shape.of("hash:text path:text type:text size:int", 4),
    "article_images": Shape.of("entry_id:int url:text hash:text", 3),
}
ROWID_ALIAS = {"feeds", "entries", "articles"}  # whose first column is the rowid


@dataclass(slots=True)
class Salvage:
    """Rows found per table (rowid -> values), from the trees and from orphan pages."""

    rows: dict[str, dict[int, list[Value]]] = field(default_factory=dict)
    schema_found: bool = False
    pages: int = 0
    bad_pages: int = 0

    def add(self, table: str, rowid: int, values: list[Value]) -> None:
        self.rows.setdefault(table, {}).setdefault(rowid, values)

    def records(self, table: str) -> Iterator[dict[str, Value]]:
        """Each row as column -> value, the rowid alias filled in, missing columns left out
        (so their defaults apply)."""
        shape = SHAPES[table]
        for rowid, values in sorted(self.rows.get(table, {}).items()):
            record = dict(zip(shape.columns, values, strict=False))
            if table in ROWID_ALIAS:
                record[shape.columns[0]] = rowid
            yield record


class PageReader:
    """The pages of a database file, with the WAL's last committed pages on top."""

    def __init__(self, path: Path) -> None:
        self.data = _map(path)
        header = self.header = bytes(self.data[:100])
        self.page_size = _header_page_size(header) or _guess_page_size(self.data)
        reserved = header[20] if header.startswith(MAGIC) else 0
        self.usable = self.page_size - reserved
        self.overlay: dict[int, bytes] = {}
        wal = Path(f"{path}-wal")
        if wal.exists():
            self.overlay = read_wal(wal.read_bytes(), self.page_size)
            if not self.data and self.overlay:
                self.page_size = len(next(iter(self.overlay.values())))
                self.usable = self.page_size
        size = len(self.data) // self.page_size
        self.count = max([size, *self.overlay]) if self.overlay else size

    def page(self, number: int) -> bytes | None:
        if number in self.overlay:
            return self.overlay[number]
        start = (number - 1) * self.page_size
        if number < 1 or start + self.page_size > len(self.data):
            return None
        return self.data[start : start + self.page_size]


def _map(path: Path) -> bytes:
    """The file's bytes, mapped rather than read: a profile can be hundreds of MB."""
    try:
        with path.open("rb") as handle:
            return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)  # type: ignore[return-value]
    except (OSError, ValueError):  # missing, or empty (which mmap refuses)
        return b""


def _header_page_size(header: bytes) -> int:
    if not header.startswith(MAGIC):
        return 0
    size = int.from_bytes(header[16:18], "big")
    size = 65536 if size == 1 else size
    return size if size >= 512 and size & (size - 1) == 0 else 0


def _guess_page_size(data: bytes) -> int:
    """The page size under which most pages start like b-tree pages."""
    best, best_score = 4096, -1
    for size in (512, 1024, 2048, 4096, 8192, 16384, 32768, 65536):
        starts = range(size, len(data) - size + 1, size)
        score = sum(1 for s in starts if _looks_like_page(data[s : s + size]))
        if score > best_score:
            best, best_score = size, score
    return best


def _looks_like_page(page: bytes) -> bool:
    if page[:1] not in (b"\x02", b"\x05", b"\x0a", b"\x0d"):
        return False
    cells = int.from_bytes(page[3:5], "big")
    content = int.from_bytes(page[5:7], "big") or 65536
    return 0 < cells < len(page) // 2 and content <= len(page)


def read_wal(wal: bytes, page_size: int) -> dict[int, bytes]:
    """The pages of every committed transaction in a WAL file whose checksums hold."""
    if len(wal) < 32:
        return {}
    magic, _, size, _, salt1, salt2, c1, c2 = struct.unpack(">8I", wal[:32])
    if magic not in (0x377F0682, 0x377F0683):
        return {}
    size = 65536 if size == 1 else size
    if size < 512 or size & (size - 1):
        return {}
    big = magic & 1
    s = _wal_checksum(wal[:24], big, 0, 0)
    if s != (c1, c2):
        return {}
    pages: dict[int, bytes] = {}
    pending: dict[int, bytes] = {}
    offset = 32
    while offset + 24 + size <= len(wal):
        number, commit, f1, f2, k1, k2 = struct.unpack(">6I", wal[offset : offset + 24])
        body = wal[offset + 24 : offset + 24 + size]
        if (f1, f2) != (salt1, salt2):
            break
        s = _wal_checksum(wal[offset : offset + 8] + body, big, *s)
        if s != (k1, k2):
            break
        pending[number] = body
        if commit:
            pages.update(pending)
            pending = {}
        offset += 24 + size
    return pages


def _wal_checksum(data: bytes, big: int, s0: int, s1: int) -> tuple[int, int]:
    words = struct.unpack((">" if big else "<") + f"{len(data) // 4}I", data)
    for i in range(0, len(words), 2):
        s0 = (s0 + words[i] + s1) & 0xFFFFFFFF
        s1 = (s1 + words[i + 1] + s0) & 0xFFFFFFFF
    return s0, s1


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = 0
    for i in range(8):
        byte = data[pos + i]
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, pos + i + 1
    return (value << 8) | data[pos + 8], pos + 9


def decode_record(payload: bytes) -> list[Value]:
    """The values of a record; a value cut off by a lost overflow page ends the list."""
    header_size, pos = _varint(payload, 0)
    types: list[int] = []
    while pos < header_size:
        serial, pos = _varint(payload, pos)
        types.append(serial)
    values: list[Value] = []
    pos = header_size
    for serial in types:
        length = _serial_length(serial)
        if pos + length > len(payload):
            break
        chunk = payload[pos : pos + length]
        pos += length
        if serial == 0:
            values.append(None)
        elif serial <= 6:
            values.append(int.from_bytes(chunk, "big", signed=True))
        elif serial == 7:
            values.append(struct.unpack(">d", chunk)[0])
        elif serial in (8, 9):
            values.append(serial - 8)
        elif serial >= 12 and serial % 2 == 0:
            values.append(bytes(chunk))
        elif serial >= 13:
            values.append(chunk.decode("utf-8"))  # Kabar stores only valid UTF-8: else junk
        else:
            raise ValueError("reserved serial type")
    return values


def _serial_length(serial: int) -> int:
    if serial < 12:
        return (0, 1, 2, 3, 4, 6, 8, 8, 0, 0, 0, 0)[serial]
    return (serial - 12) // 2


class Scanner:
    """Walks trees and pages of one file, collecting rows into a Salvage."""

    def __init__(self, reader: PageReader) -> None:
        self.reader = reader
        self.seen: set[int] = set()
        self.result = Salvage(pages=reader.count)

    def payload(self, page: bytes, pos: int, size: int, index: bool) -> bytes:
        """A cell's payload, following its overflow chain as far as it goes."""
        usable = self.reader.usable
        most = usable - 35 if not index else (usable - 12) * 64 // 255 - 23
        if size <= most:
            return page[pos : pos + size]
        if size > self.reader.count * usable:
            raise ValueError("a payload larger than the file")
        least = (usable - 12) * 32 // 255 - 23
        local = least + (size - least) % (usable - 4)
        local = local if local <= most else least
        parts = [page[pos : pos + local]]
        got, following = local, int.from_bytes(page[pos + local : pos + local + 4], "big")
        while following and got < size and following not in self.seen:  # no page twice
            overflow = self.reader.page(following)
            if overflow is None:
                break
            self.seen.add(following)
            parts.append(overflow[4:usable])
            got += usable - 4
            following = int.from_bytes(overflow[:4], "big")
        return b"".join(parts)[:size]

    def cells(self, number: int) -> Iterator[tuple[int, int | None, bytes]]:
        """(page type, rowid or child page, payload) for each cell of a page; an interior
        table cell has no payload, an interior index cell both."""
        page = self.reader.page(number)
        if page is None:
            return
        base = 100 if number == 1 else 0
        kind = page[base]
        leaf = kind in (0x0A, 0x0D)
        count = int.from_bytes(page[base + 3 : base + 5], "big")
        start = base + (8 if leaf else 12)
        for i in range(count):
            pointer = int.from_bytes(page[start + 2 * i : start + 2 * i + 2], "big")
            if not start < pointer < len(page):
                continue
            try:
                yield self._cell(page, kind, pointer)
            except (IndexError, ValueError, struct.error):
                self.result.bad_pages += 1
        if not leaf:
            yield kind, int.from_bytes(page[base + 8 : base + 12], "big"), b""

    def _cell(self, page: bytes, kind: int, pos: int) -> tuple[int, int | None, bytes]:
        if kind == 0x05:
            return kind, int.from_bytes(page[pos : pos + 4], "big"), b""
        if kind == 0x02:
            child = int.from_bytes(page[pos : pos + 4], "big")
            size, pos = _varint(page, pos + 4)
            return kind, child, self.payload(page, pos, size, True)
        size, pos = _varint(page, pos)
        if kind == 0x0A:
            return kind, None, self.payload(page, pos, size, True)
        rowid, pos = _varint(page, pos)
        if rowid >= 1 << 63:
            rowid -= 1 << 64
        return kind, rowid, self.payload(page, pos, size, False)

    def walk(self, root: int, visit: Callable[[int, bytes], None]) -> None:
        """Every leaf cell of the tree at `root`; damaged or missing pages are skipped."""
        stack = [root]
        while stack:
            number = stack.pop()
            page = self.reader.page(number)
            if number in self.seen or page is None:
                self.result.bad_pages += page is None
                continue
            base = 100 if number == 1 else 0
            if page[base] not in (0x02, 0x05, 0x0A, 0x0D):
                self.result.bad_pages += 1
                continue
            self.seen.add(number)
            for kind, ref, payload in self.cells(number):
                if kind in (0x05, 0x02) and ref is not None:
                    stack.append(ref)
                if kind in (0x0D, 0x0A):
                    visit(ref or 0, payload)

    def schema(self) -> dict[str, int]:
        """Table name -> root page, from sqlite_master (rooted at page 1)."""
        roots: dict[str, int] = {}

        def visit(_: int, payload: bytes) -> None:
            try:
                values = decode_record(payload)
            except (IndexError, ValueError):
                return
            if len(values) >= 4 and values[0] == "table" and isinstance(values[3], int):
                roots[str(values[1])] = values[3]

        first = self.reader.page(1)
        if first is not None and first[100] in (0x05, 0x0D):  # the header itself may be gone
            self.walk(1, visit)
        return roots

    def freelist(self) -> None:
        """Mark the freelist's pages seen, so deleted rows on them stay deleted."""
        header = self.reader.page(1) or b""
        trunk = int.from_bytes(header[32:36], "big") if header.startswith(MAGIC) else 0
        while trunk and trunk not in self.seen:
            self.seen.add(trunk)
            page = self.reader.page(trunk)
            if page is None:
                return
            count = min(int.from_bytes(page[4:8], "big"), (len(page) - 8) // 4)
            for i in range(count):
                self.seen.add(int.from_bytes(page[8 + 4 * i : 12 + 4 * i], "big"))
            trunk = int.from_bytes(page[:4], "big")


def salvage(path: Path) -> Salvage:
    """Every row of Kabar's tables that can be read from the file at `path`."""
    scanner = Scanner(PageReader(path))
    result = scanner.result
    roots = scanner.schema()
    result.schema_found = bool(roots)
    scanner.freelist()
    for table, root in roots.items():
        if table not in SHAPES:
            continue

        def visit(rowid: int, payload: bytes, table: str = table) -> None:
            try:
                values = decode_record(payload)
            except (IndexError, ValueError):
                return
            if SHAPES[table].matches(values):
                result.add(table, rowid, values)

        scanner.walk(root, visit)
    for number in range(1, scanner.reader.count + 1):
        if number in scanner.seen:
            continue
        page = scanner.reader.page(number)
        if page is None or page[100 if number == 1 else 0] != 0x0D:
            continue
        for _, rowid, payload in scanner.cells(number):
            try:
                values = decode_record(payload)
            except (IndexError, ValueError):
                continue
            shaped = next((t for t, s in SHAPES.items() if s.matches(values)), None)
            if shaped is not None and rowid is not None:
                result.add(shaped, rowid, values)
    return result
