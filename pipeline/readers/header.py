"""The header of an incoming letter from its text, whatever the format it came in.

A reader (the .docx walker today, a PDF-text or OCR reader later) hands the
document over as an ordered list of blocks: a text line (``str``, several
lines when a paragraph holds line breaks) or a table row (``tuple`` of cell
texts). ``fields_from_blocks`` finds the fields as a person reads them:
``Label : value`` in any of the layouts offices use, the number under the
title, a Tembusan list after the signature, a place and date by the
signature; unfilled template fields are empty, never values.
"""

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

LABELS = {
    "nomor": "nomor",
    "no": "nomor",
    "nomorsurat": "nomor",
    "nosurat": "nomor",
    "nomornotadinas": "nomor",
    "tanggal": "tanggal",
    "tgl": "tanggal",
    "tanggalsurat": "tanggal",
    "haritanggal": "tanggal",
    "haritgl": "tanggal",
    "dari": "dari",
    "pengirim": "dari",
    "yth": "kepada",
    "kepadayth": "kepada",
    "kepada": "kepada",
    "kepadayangterhormat": "kepada",
    "sifat": "sifat",
    "sifatsurat": "sifat",
    "lampiran": "lampiran",
    "lamp": "lampiran",
    "hal": "hal",
    "perihal": "hal",
    "tembusan": "tembusan",
    "tembusanyth": "tembusan",
    "tembusankepadayth": "tembusan",
}
# Labels that may stand alone on a line, their value on the lines below.
_ALONE = {"kepada", "tembusan"}
# A line longer than this is running text: once one follows the header, the header has ended.
_BODY_LINE = 90
_BODY_WORDS = 9  # or this many words: a body line wrapped in a PDF's text is shorter
_WRAP_LINES = 3  # at most this many lines a value wraps onto at the left margin of laid-out text
_RULE = re.compile(r"^[\W_]+$")
_TITLES = {"notadinas", "suratdinas", "notadinasinternal", "memorandum", "nodin"}

_SPACES = str.maketrans(
    {"\u00a0": " ", "\uff1a": ":", "\u2009": " ", "\u202f": " ", "\u2007": " ", "\u200b": "", "\ufeff": ""}
)
# Every pattern here runs in time linear in the line (no nested or overlapping repeats):
# header text is the sender's, and reading it is bounded like the rest of the input.
_LEADER = r"(?:\.{3,}|\u2026+|_{3,})"
_FILL = " \t.\u2026_"
# Label, then a colon (after spaces, tabs or a dotted leader), or a tab run alone.
_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z./, ]{0,28}?)(?:[\s.\u2026_]*+:|\t+)\s*(.*)$", re.DOTALL)
_YTH = re.compile(r"^\s*(?:kepada\s*)?yth\.?\s+(\S.*)$", re.IGNORECASE | re.DOTALL)
_NUMBER = r"(?:[A-Za-z]{1,5}\s*-\s*)?[A-Za-z0-9][\w.\-]*+(?:\s*+/\s*+[\w.\-]*+)++"
_NOMOR_BARE = re.compile(r"^\s*(?:nomor|no\.?)\s*(" + _NUMBER + r")\s*$", re.IGNORECASE)
_NUMBER_ONLY = re.compile(r"^\s*(" + _NUMBER + r")\s*$")
_PLACE_DATE = re.compile(r"^[A-Z][A-Za-z .]+,\s*\d{1,2}\s+[A-Za-z]+\.?\s+\d{4}$")
_PLACEHOLDER = re.compile(
    r"\$\{[^}]{0,200}\}|\{\{[^}]{0,200}\}\}|\{[^{}]{0,200}\}|\u00ab[^\u00bb]{0,200}\u00bb"
    r"|<<[^>]{0,200}>>"
)
_OPENERS = re.compile(r"\$\{|\{\{|\}\}|\u00ab|\u00bb|<<|>>")
_STRUCTURED = {"nomor", "tanggal"}
# The placeholder text Word shows in an empty content control (Indonesian and English Word).
_WORD_PROMPTS = {
    "klik atau ketuk di sini untuk memasukkan teks",
    "klik di sini untuk memasukkan teks",
    "click or tap here to enter text",
    "click here to enter text",
    "klik atau ketuk untuk memasukkan tanggal",
    "click or tap to enter a date",
}
_BRACKETED = re.compile(r"^\[[^\]]*\]$")
_LEADERS = re.compile(_LEADER)
# Columns: a tab run, or in laid-out text (a PDF's) six spaces or more.
_GAP = re.compile(r"\t+| {6,}")
_CODE = re.compile(r"[\w.\-/]+")
_NUMBERED = re.compile(r"\s*\d{1,2}[.)]\s")
_ITEM = re.compile(r"^\s*(?:\d{1,2}[.)]|[a-z][.)]|[-\u2022\u2013*])\s*")


# One entry of the document: (kind, text or cells, group): "line" of a paragraph, a table "row"
# (its cells' texts), or a "cell"'s line; the group is the paragraph, or (row, cell).
Entry = tuple[str, Any, Any]


def normalise(text: str) -> str:
    """Special spaces as plain ones, zero-width characters out."""
    return text.translate(_SPACES)


def label_of(text: str) -> str | None:
    """The field a label names (``Kepada Yth.``, ``KepadaYth``, ``Hari/Tanggal``, ``No.``), or None."""
    return LABELS.get(re.sub(r"[^a-z]", "", text.lower()))


def is_unfilled(text: str, name: str | None = None) -> bool:
    """True for a template field left blank: ``${x}``, ``{x}``, ``{{ x }}``, ``«x»``, ``[x]``, dotted leaders.

    Free text (Hal, Dari) is blank only when nothing else is written; a number or a date with a
    blank anywhere in it (``000.4.5/..../ADPIM/2026``, ``{{ tgl }} Desember 2026``) is not one."""
    text = " ".join(normalise(text).split())
    marked = _PLACEHOLDER.search(text) or _LEADERS.search(text)
    if text.lower().rstrip(". ") in _WORD_PROMPTS:
        return True
    if _BRACKETED.match(text) or (marked and not _PLACEHOLDER.sub("", text).strip(_FILL)):
        return True
    return name in _STRUCTURED and bool(marked or _OPENERS.search(text))


def clean_value(name: str, text: str) -> str:
    """A value as registered: no leading colon, leaders trimmed, unfilled fields empty, numbers tidied.

    A Tembusan of several lines becomes its items joined by ``; ``; any other value one line."""
    if name == "tembusan":
        return "; ".join(item for item in (_item(line) for line in normalise(text).split("\n")) if item)
    text = " ".join(normalise(text).split())
    text = text[1:].strip() if text.startswith(":") else text
    text = _trim_leaders(text)
    if not text or is_unfilled(text, name):
        return ""
    if name == "nomor":
        return normalise_number(text)
    if name == "kepada":
        match = _YTH.match(text)
        return match.group(1).strip() if match else text
    return text


def _trim_leaders(text: str) -> str:
    """The value without a dotted leader before or after it (``..... Segera``, ``Segera .....``)."""
    start = text.lstrip(_FILL)
    if _LEADERS.search(text[: len(text) - len(start)]):
        text = start
    end = text.rstrip(_FILL)
    return end if _LEADERS.search(text[len(end) :]) else text


def _item(line: str) -> str:
    """One Tembusan item: its number or bullet, a leading ``Yth.`` and the closing ``;``/``dan`` gone."""
    text = " ".join(line.split())
    text = text[1:].strip() if text.startswith(":") else text
    text = _ITEM.sub("", text)
    text = re.sub(r"^yth\.?\s+", "", text, flags=re.IGNORECASE)
    text = re.sub(r"(?:[;,]\s*|\s+)(?:dan|atau)$", "", text).strip(" ;,.")
    return "" if is_unfilled(text, "tembusan") else text


def normalise_number(text: str) -> str:
    """``000.4.5/606   /ADPIM/2026`` -> ``000.4.5/606/ADPIM/2026``; a prefix (``B-``, ``ND-``) and codes kept whole."""
    text = re.sub(r"\s*/\s*", "/", " ".join(text.split()))
    return re.sub(r"^([A-Za-z]{1,5})\s*-\s*(?=\d)", r"\1-", text).rstrip(" .,;")


def split_line(text: str) -> tuple[str, str] | None:
    """``Label : value`` (colon in the label, after a tab run or a dotted leader) as (field, value), or None."""
    text = normalise(text)
    match = _LINE.match(text)
    if match:
        name = label_of(match.group(1))
        if name:
            return name, match.group(2)
    bare = _NOMOR_BARE.match(text)
    if bare:
        return "nomor", bare.group(1)
    yth = _YTH.match(text)
    if yth:
        return "kepada", yth.group(1)
    name = label_of(text) if len(text.strip()) <= 30 else None
    return (name, "") if name in _ALONE else None


def _is_title(text: str) -> bool:
    """``NOTA DINAS``, also letter-spaced (``N O T A   D I N A S``) or as ``SURAT DINAS``."""
    return len(text) < 60 and re.sub(r"[^a-z]", "", text.lower()) in _TITLES


def _entries(blocks: Iterable[str | tuple[str, ...]]) -> Iterator[Entry]:
    """Blocks as (kind, text or cells, group): each line of a paragraph, each row, each line of its cells."""
    for group, block in enumerate(blocks):
        if isinstance(block, str):
            for line in normalise(block).split("\n"):
                yield "line", line, group
        else:
            cells = tuple(normalise(cell) for cell in block)
            yield "row", cells, group
            for index, cell in enumerate(cells):
                for line in cell.split("\n"):
                    yield "cell", line, (group, index)


def row_pairs(cells: Iterable[str]) -> list[tuple[str, str]]:
    """Pairs from a table row: [label, ':', value], [label:, value], [label, ': value'] or [label, value]."""
    cells = [cell.strip() for cell in cells if cell.strip()]
    pairs: list[tuple[str, str]] = []
    index = 0
    while index < len(cells):
        name = label_of(cells[index]) if len(cells[index]) <= 30 else None
        if name and index + 1 < len(cells):
            if cells[index + 1] == ":" and index + 2 < len(cells):
                pairs.append((name, cells[index + 2]))
                index += 3
            else:
                pairs.append((name, cells[index + 1]))
                index += 2
            continue
        index += 1
    return pairs


def _beside(value: str) -> tuple[str, list[str]]:
    """A value and what stands right of it after a tab run or wide spacing (a place and date, another pair).

    A gap beside a ``/`` is the blank a template left inside a number, not a column."""
    parts = _GAP.split(value.strip(" \t"))
    kept: list[str] = [parts[0]]
    rest: list[str] = []
    for part in parts[1:]:
        joins = part.lstrip().startswith("/") or (kept[-1].rstrip().endswith("/") and _CODE.fullmatch(part.strip()))
        if not rest and joins:
            kept.append(part)  # the blank a template left inside a number
        else:
            rest.append(part)
    return " ".join(kept), rest


class _Reader:
    """Walks the entries once, keeping the first value of each field, as a person reads top down."""

    def __init__(self, entries: list[Entry], check: Callable[[], object], laid_out: bool = False) -> None:
        self.entries, self.check = entries, check
        self.fields: dict[str, str] = {}
        self.place_date: str | None = None
        self.laid_out = laid_out
        self.after_title = self.closed = False

    def put(self, name: str, value: str) -> None:
        value = clean_value(name, value)
        if value and name not in self.fields:
            self.fields[name] = value

    def run(self) -> dict[str, str]:
        index = 0
        while index < len(self.entries):
            if index % 256 == 0:
                self.check()
            index = self.step(index)
        if "tanggal" not in self.fields and self.place_date:
            self.fields["tanggal"] = self.place_date
        return self.fields

    def step(self, index: int) -> int:
        kind, payload, group = self.entries[index]
        if kind == "row":
            for name, value in row_pairs(payload):
                if not self.closed or name == "tembusan":
                    self.put(name, value)
            return index + 1
        text = payload.strip()
        if not text:
            return index + 1
        if _PLACE_DATE.match(" ".join(text.split())) and self.place_date is None:
            self.place_date = " ".join(text.split())
        if _is_title(text):
            self.after_title = True
            return index + 1
        if self.after_title:
            self.after_title = False
            number = _NUMBER_ONLY.match(text)
            if number:
                self.put("nomor", number.group(1))
                return index + 1
        split = split_line(payload)
        if split is None:
            running = len(text) > _BODY_LINE or len(text.split()) >= _BODY_WORDS
            self.closed = self.closed or (kind == "line" and running and bool(self.fields))
            return index + 1
        if self.closed and split[0] != "tembusan":
            return index + 1
        return self.take(index, kind, group, *split)

    def take(self, index: int, kind: str, group: Any, name: str, value: str) -> int:
        """A label found: its value, the rest of its paragraph, or (Kepada, Tembusan) the lines below."""
        column = _value_column(self.entries[index][1], value)
        value, rest = _beside(value)
        end = index + 1
        while end < len(self.entries) and self.continues(end, kind, group, column):
            more, beside = _beside(self.entries[end][1])
            value += "\n" + more
            if rest and len(beside) == len(rest):  # the right column wrapped under itself too
                rest = [" ".join(pair) for pair in zip(rest, beside)]
            end += 1
        if end == index + 1 and kind == "line" and value.strip(" \t:"):
            lines, end = self.wrapped(end)
            if rest:
                rest[-1] = " ".join([rest[-1], *lines])  # the right column (a place and date) wrapped
            elif lines:
                value = " ".join([value, *lines])
        if not value.strip(" \t:") and name in _ALONE and kind == "line":
            value, end = self.below(name, end)
        self.put(name, value)
        for piece in rest:
            self.piece(piece)
        return end

    def continues(self, index: int, kind: str, group: Any, column: list[int] | None) -> bool:
        """True when a line carries a value on: the same paragraph or cell, or, in laid-out text
        (a PDF's), a line aligned under the value's first character."""
        other, text, where = self.entries[index]
        if other != kind or not text.strip() or split_line(text) is not None:
            return False
        if where == group:
            return True
        indent = len(text) - len(text.lstrip(" "))
        aligned = column is not None and "\t" not in text and indent > 0 and any(abs(indent - c) <= 1 for c in column)
        return kind == "line" and aligned and not _PLACE_DATE.match(" ".join(text.split()))

    def wrapped(self, index: int) -> tuple[list[str], int]:
        """In laid-out text (a PDF's, a scan's), the lines a value wrapped onto back at the left margin:
        unlabelled lines at the margin right under it, up to a blank, an indented line (another
        column) or the next label line; none when body text, a title or a rule follows them."""
        lines: list[str] = []
        end = index
        while self.laid_out and end < len(self.entries):
            kind, text, _ = self.entries[end]
            if kind != "line" or not text.strip() or split_line(text) is not None or _GAP.match(text):
                return lines, end
            if len(lines) == _WRAP_LINES or not _carries(text):
                break  # body text, a title, a rule or a signature date: the header has ended
            lines.append(_beside(text)[0].strip())
            end += 1
        return [], index

    def piece(self, text: str) -> None:
        """What follows a value after a tab run: another pair, or the place and date."""
        split = split_line(text)
        if split:
            self.put(*split)
        elif _PLACE_DATE.match(" ".join(text.split())) and self.place_date is None:
            self.place_date = " ".join(text.split())

    def numbered_next(self, index: int) -> bool:
        """True when the next non-blank line after ``index`` is a numbered list item."""
        for kind, payload, _ in self.entries[index + 1 : index + 4]:
            text = " ".join(payload) if kind == "row" else payload
            if text.strip():
                return bool(_NUMBERED.match(text))
        return False

    def below(self, name: str, index: int) -> tuple[str, int]:
        """The lines under a lone ``Kepada``/``Tembusan`` label: one addressee, or the list of copies."""
        lines: list[str] = []
        numbered = False
        while index < len(self.entries):
            kind, payload, _ = self.entries[index]
            text = " ".join(payload).strip() if kind == "row" else payload.strip()
            if kind == "cell" or (not text and not lines):
                index += 1
                continue
            if not text and self.numbered_next(index):
                index += 1
                continue  # a blank between the numbered items of a list (a PDF's paragraph spacing)
            if not text or len(text) > _BODY_LINE or split_line(text) or _PLACE_DATE.match(text):
                break  # a blank, a body-length line (an e-signature note), another label: the list has ended
            if numbered and not _NUMBERED.match(text):
                break  # a numbered list ends at the first line without a number
            numbered = numbered or (not lines and bool(_NUMBERED.match(text)))
            lines.append(text)
            index += 1
            if name == "kepada":
                extra, index = self.wrapped(index)
                lines[-1] = " ".join([lines[-1], *extra])  # one addressee, perhaps wrapped to the margin
                break
        return "\n".join(lines), index


def _carries(text: str) -> bool:
    """True when a line of laid-out text can be the rest of a wrapped header value."""
    text = " ".join(text.split())
    running = len(text) > _BODY_LINE or len(text.split()) >= _BODY_WORDS
    return not (running or _is_title(text) or _RULE.match(text) or _PLACE_DATE.match(text))


def _value_column(line: str, value: str) -> list[int] | None:
    """Where a value (or the colon before it, in a value cell) starts in a line of laid-out text, or None."""
    line, tail = normalise(line), value.lstrip()
    if "\t" in line or not tail or not line.endswith(tail):
        return None
    start = len(line) - len(tail)
    return [column for column in (start, line.rfind(":", 0, start)) if column > 0]


def fields_from_blocks(
    blocks: Iterable[str | tuple[str, ...]], check: Callable[[], object] = lambda: None, laid_out: bool = False
) -> dict[str, str]:
    """The header fields (nomor, tanggal, dari, kepada, sifat, lampiran, hal, tembusan) found in ``blocks``.

    ``blocks`` is the document in reading order: ``str`` for a line or paragraph, a tuple of
    cell texts for a table row. Fields not found are absent; unfilled template fields too.
    ``check`` is called now and then (a reading budget's ``check_time``) to stop a costly input.
    ``laid_out``: the lines are a PDF's or a scan's text, where a value may wrap back to the margin."""
    return _Reader(list(_entries(blocks)), check, laid_out).run()
