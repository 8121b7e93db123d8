"""The register's intents in portable SQL, shared by every backend.

The rest of the pipeline calls these methods (``open_case``,
``complete_step``, ``allocate_number``...) and gets records back; only this
package knows tables and columns. A backend supplies the connection,
transactions, migrations and its placeholder style
(docs/architecture.md, "The register").
"""

import abc
import datetime as dt
import functools
import itertools
import json
import operator
from contextlib import contextmanager
from dataclasses import MISSING, asdict, fields, replace

import orjson

from pipeline.errors import CommitUncertain, RegisterError, os_reason
from pipeline.filing.archive import archive_key
from pipeline.register.keys import letter_key, memo_key
from pipeline.register.log import GENESIS, make_record
from pipeline.register.pdfs import PdfIntents
from pipeline.register.records import AgendaEntry, Case, Code, Document, Event, JournalEntry, KeptInput, StepRecord
from pipeline.states import StepStatus

WAITING, RUNNING, DONE = StepStatus


def _encode(value):
    if isinstance(value, bool):
        return int(value)  # stored as 0/1 on every backend
    if isinstance(value, (dict, list, tuple)):
        value = json.dumps(list(value) if isinstance(value, tuple) else value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: kept visible, never a failed write
            value = value.encode("utf-8", "backslashreplace").decode("utf-8")
    return value


@functools.cache
def _shape(cls):
    """A record class's field names, those stored as JSON (dicts and tuples) with their types,
    and the defaults of the others."""
    names = tuple(f.name for f in fields(cls))
    structured = {f.name: f.type for f in fields(cls) if f.type in (dict, tuple)}
    defaults = {
        f.name: (f.default, f.default_factory)
        for f in fields(cls)
        if f.default is not MISSING or f.default_factory is not MISSING
    }
    return names, structured, defaults


def _record(cls, row):
    """A record from a register row (a mapping of column names)."""
    names = _shape(cls)[0]
    return _made(cls, {name: row[name] for name in names if name in row})


@functools.lru_cache(maxsize=256)
def _maker(cls, columns):
    """A function from a plain row of ``columns`` to a ``cls`` record: the columns that are
    fields picked by position in one C call, worked out once per query shape."""
    names = tuple(name for name in _shape(cls)[0] if name in columns)
    pick = operator.itemgetter(*(columns.index(name) for name in names))
    if len(names) == 1:
        return lambda row: _made(cls, {names[0]: pick(row)})
    return lambda row: _made(cls, dict(zip(names, pick(row))))


def _made(cls, values):
    """The record from its column values, JSON columns decoded.

    The frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``
    (9 microseconds for an AgendaEntry, most of a 100,000-entry listing), so a whole row
    fills the instance's fields at once; a row that lacks a field without a default goes
    through ``__init__`` and fails there as it should.
    """
    names, structured, defaults = _shape(cls)
    for name, kind in structured.items():
        value = values.get(name)
        if isinstance(value, str):
            value = orjson.loads(value)
            values[name] = tuple(value) if kind is tuple else value
    if "batal" in values:
        values["batal"] = bool(values["batal"])
    if len(values) < len(names):
        for name, (default, factory) in defaults.items():
            if name not in values:
                values[name] = default if factory is MISSING else factory()
        if len(values) < len(names):
            return cls(**values)
    record = object.__new__(cls)
    record.__dict__.update(values)
    return record


def _grouped(records, key):
    """(value, [records]) for runs of records sharing ``key`` (records ordered by it)."""
    for value, group in itertools.groupby(records, key=lambda record: getattr(record, key)):
        yield value, list(group)


class SqlRegister(PdfIntents, abc.ABC):
    """Register intents over a DB-API connection; a backend subclass opens it."""

    placeholder = "?"

    # -- plumbing a backend provides ------------------------------------

    @abc.abstractmethod
    def _execute(self, sql, params=()):
        """Run one statement; return a cursor."""

    @abc.abstractmethod
    def _execute_plain(self, sql, params=()):
        """Run one query; return a cursor whose rows are plain tuples (listings)."""

    @abc.abstractmethod
    def _in_transaction(self):
        """Whether a write transaction is open."""

    @abc.abstractmethod
    def _begin(self):
        """Open a write transaction that holds the register's write lock until it ends: writers
        (on any host) one at a time, so numbers, row ids and the chain stay in order."""

    @abc.abstractmethod
    def _insert_chain(self, record, previous):
        """Write the chain row of ``record`` (outside the log: it is the log's own link)."""

    @abc.abstractmethod
    def _commit(self):
        """COMMIT."""

    @abc.abstractmethod
    def _rollback_db(self):
        """ROLLBACK, when a transaction is open."""

    @abc.abstractmethod
    def _reason(self, exc):
        """A database error (one of ``_errors``) in Indonesian."""

    _errors = ()  # the backend's database error classes
    # Whether a COMMIT that raised may still have committed (a server whose connection dropped);
    # an embedded database that reports a failed COMMIT has rolled it back.
    commit_may_outlive_error = False
    log = None  # the archive's RegisterLog; None for replays and tests of the intents

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- transactions, sealed into the chain and the archive's log ------------

    @contextmanager
    def transaction(self, logged=True):
        """One event, one transaction: BEGIN ... COMMIT, or ROLLBACK.

        What it wrote is sealed into the chain and staged in the archive's log
        before COMMIT, and put in place after; ``logged=False`` for migrations
        and caches. Database failures (a full disk, a lock) become
        RegisterError, so the caller keeps the input and retries later.
        """
        try:
            self._begin()
        except self._errors as exc:
            raise RegisterError(f"Register tidak dapat ditulis: {self._reason(exc)}.") from None
        self._changes = [] if logged and self.log is not None else None
        staged = None
        try:
            yield self
            staged = self._seal(self._changes)
        except self._errors as exc:
            self._rollback(staged)
            raise RegisterError(f"Register tidak dapat ditulis: {self._reason(exc)}.") from None
        except BaseException:
            self._rollback(staged)
            raise
        finally:
            self._changes = None
        try:
            self._commit()
        except self._errors as exc:
            if not self.commit_may_outlive_error:
                self._rollback(staged)
                raise RegisterError(f"Register tidak dapat ditulis: {self._reason(exc)}.") from None
            self._rollback_db()  # the staged record stays: the next open keeps it only if it committed
            raise CommitUncertain(f"Register tidak dapat ditulis: {self._reason(exc)}.") from None
        except BaseException:
            self._rollback_db()
            raise
        if staged is not None:
            self._publish(*staged)

    def _seal(self, changes, waktu=None):
        """Chain the transaction's statements and stage them in the log; None when nothing changed."""
        if not changes:
            return None
        urut, previous = self.chain_head()
        record = make_record(
            urut + 1,
            waktu or dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            self.version,
            previous,
            changes,
        )
        self._insert_chain(record, previous)
        try:
            return self.log.stage(record), record["urut"]
        except OSError as exc:
            raise RegisterError(f"Catatan register tidak dapat ditulis ke arsip: {os_reason(exc)}.") from None

    def _publish(self, temp, urut):
        try:
            self.log.publish(temp, urut)
        except OSError:
            pass  # committed: the next open puts it in place (take_charge)

    def _rollback(self, staged=None):
        self._rollback_db()
        if staged is not None:
            staged[0].unlink(missing_ok=True)

    def take_charge(self):
        """What only the process holding the workspace lock may do on opening: put in place the
        log records a crash left staged (committed ones; the rest are dropped), and start the
        log of a register that held records before it kept one."""
        self.publish_staged(self.log)
        self._baseline()

    def publish_staged(self, log, discard=True):
        """Put in place the committed log records staged in ``log``'s staging folder; drop the
        others unless ``discard`` is False (another host's, which only it may drop)."""
        for temp, urut, digest in log.staged():
            row = self._first("SELECT hash FROM rantai WHERE urut = ?", urut) if urut is not None else None
            if row is not None and row["hash"] == digest:
                try:
                    log.publish(temp, urut)
                except OSError:
                    pass  # committed: put in place at the next open
            elif discard:
                temp.unlink(missing_ok=True)

    @contextmanager
    def standing_in(self, host):
        """Act for ``host`` while it is not running (its committed filings published by another
        host); yields False when it is running, or where there is only one host."""
        yield False

    def _baseline(self):
        """A register from before the log (release 0.1, SQLite only) starts it; nothing elsewhere."""

    @contextmanager
    def advancing(self, kasus):
        """Hold the right to carry ``kasus`` on; yields False when another host holds it (it is
        carrying the case on now; this host leaves it). One host: always True."""
        yield True

    def table_rows(self, table):
        """Every row of one of the register's tables, as dicts (``verify`` compares them with
        the log replayed)."""
        return self._rows(f"SELECT * FROM {table}")

    # -- helpers -----------------------------------------------------------

    def _sql(self, text):
        return text if self.placeholder == "?" else text.replace("?", self.placeholder)

    def _rows(self, sql, *params):
        return self._execute(self._sql(sql), params).fetchall()

    def _stream(self, cls, sql, *params):
        """Records one at a time, a few hundred rows fetched at once: a listing of 100,000
        entries never holds them all. Only for reads: nothing may write while it is consumed."""
        for record, _extra in self._stream_with(cls, (), sql, *params):
            yield record

    def _stream_with(self, cls, extra, sql, *params):
        """(record, (values of the ``extra`` columns)) one at a time, from plain rows."""
        cursor = self._execute_plain(self._sql(sql), params)
        try:
            columns = tuple(column[0] for column in cursor.description)
            make = _maker(cls, columns)
            others = operator.itemgetter(*(columns.index(name) for name in extra)) if extra else (lambda row: ())
            while rows := cursor.fetchmany(500):
                for row in rows:
                    yield make(row), others(row)
        finally:
            cursor.close()

    def _first(self, sql, *params):
        rows = self._rows(sql + " LIMIT 1", *params)
        return rows[0] if rows else None

    _changes = None  # the statements of the open transaction, for the register's log

    def _write(self, sql, *params):
        if not self._in_transaction():
            raise RuntimeError("register writes belong inside register.transaction()")
        cursor = self._execute(self._sql(sql), params)
        if self._changes is not None:
            self._changes.append((sql, params))
        return cursor

    def _insert(self, table, values, numbered=None, returning=False):
        """INSERT a row; ``numbered`` names an integer column given the next number in the
        table (max + 1, as SQLite numbers a rowid). Writers are serialised on every backend,
        so the numbers are gapless and a replay of the log gives every row the same one."""
        names = ", ".join(([numbered] if numbered else []) + list(values))
        marks = ", ".join(
            ([f"(SELECT coalesce(max({numbered}), 0) + 1 FROM {table})"] if numbered else []) + ["?" for _ in values]
        )
        sql = f"INSERT INTO {table} ({names}) VALUES ({marks})" + (f" RETURNING {numbered}" if returning else "")
        return self._write(sql, *(_encode(v) for v in values.values()))

    def _update(self, table, where, values):
        assignments = ", ".join(f"{key} = ?" for key in values)
        conditions = " AND ".join(f"{key} = ?" for key in where)
        self._write(
            f"UPDATE {table} SET {assignments} WHERE {conditions}",
            *(_encode(v) for v in values.values()),
            *where.values(),
        )

    # -- the chain ---------------------------------------------------------

    def chain_head(self):
        """(urut, hash) of the newest committed transaction; (0, GENESIS) before the first."""
        row = self._first("SELECT urut, hash FROM rantai ORDER BY urut DESC")
        return (row["urut"], row["hash"]) if row else (0, GENESIS)

    def chain_newest_time(self):
        """When the newest committed transaction was sealed (ISO, UTC); None before the first."""
        row = self._first("SELECT waktu FROM rantai ORDER BY urut DESC")
        return row["waktu"] if row else None

    def chain(self):
        """Every transaction's (urut, hash, sebelumnya), in order."""
        return [(r["urut"], r["hash"], r["sebelumnya"]) for r in self._rows("SELECT * FROM rantai ORDER BY urut")]

    # -- numbering -------------------------------------------------------

    def peek_number(self, buku, tahun):
        """The number ``allocate_number`` would give now (to render before committing)."""
        row = self._first("SELECT terakhir FROM counters WHERE buku = ? AND tahun = ?", buku, tahun)
        return (row["terakhir"] if row else 0) + 1

    def allocate_number(self, buku, tahun):
        """The next gapless number of a book and year, from its counter row.

        Call inside the transaction that writes the entry: the counter row
        stays locked until it commits, and a rollback gives the number back.
        """
        self._write(
            "INSERT INTO counters (buku, tahun, terakhir) VALUES (?, ?, 1) "
            "ON CONFLICT (buku, tahun) DO UPDATE SET terakhir = counters.terakhir + 1",
            buku,
            tahun,
        )
        return self._rows("SELECT terakhir FROM counters WHERE buku = ? AND tahun = ?", buku, tahun)[0]["terakhir"]

    # -- journal -----------------------------------------------------------

    def add_journal(self, entry):
        """Record what became of one claimed file; return the entry."""
        self._insert("journal", asdict(entry), numbered="id")
        return entry

    def journal_of_claim(self, klaim):
        """Journal entries already written for a claim (a crash may have come after them)."""
        rows = self._rows("SELECT * FROM journal WHERE klaim = ? ORDER BY id", klaim)
        return [_record(JournalEntry, r) for r in rows]

    def accepted_file(self, sha256):
        """The journal entry that accepted a file with this content, if any."""
        row = self._first("SELECT * FROM journal WHERE sha256 = ? AND hasil = 'diterima' ORDER BY id", sha256)
        return _record(JournalEntry, row) if row else None

    def decided_file(self, sha256):
        """The newest journal entry that decided a file with this content (not one put back to retry)."""
        row = self._first("SELECT * FROM journal WHERE sha256 = ? AND lokasi <> 'inbox' ORDER BY id DESC", sha256)
        return _record(JournalEntry, row) if row else None

    def last_journal(self, sha256):
        """The newest journal entry of a file with this content, if any."""
        row = self._first("SELECT * FROM journal WHERE sha256 = ? ORDER BY id DESC", sha256)
        return _record(JournalEntry, row) if row else None

    def journal(self):
        return self._stream(JournalEntry, "SELECT * FROM journal ORDER BY id")

    # -- agenda books ------------------------------------------------------

    def add_agenda_entry(self, entry):
        key = memo_key(entry.nomor_surat, entry.dari) if entry.buku == "masuk" else letter_key(entry.nomor_surat)
        entry = replace(entry, kunci=key)
        self._insert("agenda", asdict(entry))
        return entry

    def memo_known(self, nomor_surat, dari):
        """The agenda masuk entry of this memo, however its nomor and sender were typed."""
        row = self._first("SELECT * FROM agenda WHERE kunci = ? AND buku = 'masuk'", memo_key(nomor_surat, dari))
        return _record(AgendaEntry, row) if row else None

    def incoming(self, kasus):
        """The agenda masuk entry that opened a case."""
        row = self._first("SELECT * FROM agenda WHERE buku = 'masuk' AND kasus = ?", kasus)
        return _record(AgendaEntry, row) if row else None

    def incoming_signatures(self, kasus=None):
        """The electronic signatures recorded with the memo that opened ``kasus`` (a tuple, empty when
        unsigned); without ``kasus``, {kasus: signatures} of every signed memo (``status --all``)."""
        if kasus is not None:
            row = self._first("SELECT tte_masuk FROM agenda WHERE buku = 'masuk' AND kasus = ?", kasus)
            return tuple(orjson.loads(row["tte_masuk"])) if row else ()
        rows = self._rows("SELECT kasus, tte_masuk FROM agenda WHERE buku = 'masuk' AND tte_masuk <> '[]'")
        return {r["kasus"]: tuple(orjson.loads(r["tte_masuk"])) for r in rows}

    def outgoing(self, kasus, void=True):
        """The case's newest numbered letter in the agenda keluar (not a voided one with ``void=False``)."""
        row = self._first(
            "SELECT * FROM agenda WHERE buku = 'keluar' AND kasus = ?"
            + ("" if void else " AND batal = 0")
            + " ORDER BY tahun DESC, nomor_urut DESC",
            kasus,
        )
        return _record(AgendaEntry, row) if row else None

    def counts(self):
        """How many entries each agenda book holds, and how many cases."""
        found = {"masuk": 0, "keluar": 0}
        found.update({r["buku"]: r["n"] for r in self._rows("SELECT buku, COUNT(*) AS n FROM agenda GROUP BY buku")})
        found["kasus"] = self._rows("SELECT COUNT(*) AS n FROM cases")[0]["n"]
        return found

    def voided_letters(self):
        """Letters voided in the agenda keluar, oldest first."""
        return [
            _record(AgendaEntry, r)
            for r in self._rows("SELECT * FROM agenda WHERE buku = 'keluar' AND batal = 1 ORDER BY tahun, nomor_urut")
        ]

    def letter(self, nomor_or_key):
        """The agenda keluar entry of an outgoing number (written with slashes, or as in a file name)."""
        row = self._first("SELECT * FROM agenda WHERE kunci = ? AND buku = 'keluar'", letter_key(nomor_or_key))
        return _record(AgendaEntry, row) if row else None

    def void_letter(self, entry, alasan, oleh, waktu):
        """Void an outgoing number: it stays in the book, never reused, with why, who and when."""
        self._update(
            "agenda",
            {"buku": "keluar", "tahun": entry.tahun, "nomor_urut": entry.nomor_urut},
            {"batal": True, "alasan_batal": alasan, "batal_oleh": oleh, "batal_waktu": waktu},
        )

    def record_signed(self, entry, waktu, oleh):
        self._update(
            "agenda",
            {"buku": "keluar", "tahun": entry.tahun, "nomor_urut": entry.nomor_urut},
            {"ditandatangani": waktu, "ditandatangani_oleh": oleh},
        )

    def record_sent(self, kasus, dikirim, keterangan):
        """The case's letter (the one not void) was sent."""
        self._write(
            "UPDATE agenda SET dikirim = ?, keterangan = ? WHERE buku = 'keluar' AND kasus = ? AND batal = 0",
            dikirim,
            keterangan,
            kasus,
        )

    def agenda(self, buku=None, tahun=None):
        sql, params = "SELECT * FROM agenda WHERE 1 = 1", []
        for column, value in (("buku", buku), ("tahun", tahun)):
            if value:
                sql += f" AND {column} = ?"
                params.append(value)
        return self._stream(AgendaEntry, sql + " ORDER BY buku DESC, tahun, nomor_urut", *params)

    def agenda_newest_first(self, buku, tahun):
        """A year's book from its newest entry back (the day's agenda reads only its end)."""
        return self._stream(
            AgendaEntry, "SELECT * FROM agenda WHERE buku = ? AND tahun = ? ORDER BY nomor_urut DESC", buku, tahun
        )

    def agenda_with_codes(self, buku, tahun=None):
        """(entry, the first verification code filed in its folder) for ``register --json``, streamed."""
        sql = (
            "SELECT a.*, (SELECT k.kode FROM kode k WHERE k.folder = a.folder ORDER BY k.dibuat, k.kode "
            "LIMIT 1) AS kode_dokumen FROM agenda a WHERE buku = ?"
        )
        params = [buku]
        if tahun:
            sql += " AND tahun = ?"
            params.append(tahun)
        yield from self._stream_with(AgendaEntry, ("kode_dokumen",), sql + " ORDER BY tahun, nomor_urut", *params)

    # -- cases and steps -----------------------------------------------------

    def open_case(self, case, steps):
        """A new case with its first step records."""
        self._insert("cases", asdict(case))
        for step in steps:
            self.save_step(step)
        return case

    def case(self, kasus):
        row = self._first("SELECT * FROM cases WHERE id = ?", kasus)
        return _record(Case, row) if row else None

    def find_cases(self, ident):
        """Cases whose id or incoming memo nomor is ``ident``, oldest first."""
        rows = self._rows("SELECT * FROM cases WHERE id = ? OR rujukan = ? ORDER BY id", ident, ident)
        return [_record(Case, r) for r in rows]

    def cases(self):
        return self._stream(Case, "SELECT * FROM cases ORDER BY id")

    def finished_cases(self, limit):
        """The ``limit`` newest finished cases, newest first (the status site's index)."""
        rows = self._rows(f"SELECT * FROM cases WHERE status = ? ORDER BY id DESC LIMIT {int(limit)}", DONE)
        return [_record(Case, r) for r in rows]

    def changed_cases(self, after):
        """(cases with an event newer than event id ``after``, the newest event id)."""
        rows = self._rows("SELECT DISTINCT kasus FROM events WHERE id > ? AND kasus <> ''", after)
        newest = self._first("SELECT id FROM events ORDER BY id DESC")
        return {r["kasus"] for r in rows}, (newest["id"] if newest else 0)

    def years_changed(self, after):
        """(the years of the agenda entries of cases with an event newer than event id ``after``, the
        newest event id they were read up to): the years whose books a change touched. The newest id
        is read first, so an event committed meanwhile is seen next time rather than passed over."""
        newest = self._first("SELECT id FROM events ORDER BY id DESC")
        newest = newest["id"] if newest else 0
        rows = self._rows(
            "SELECT DISTINCT tahun FROM agenda WHERE kasus IN (SELECT kasus FROM events "
            "WHERE id > ? AND id <= ? AND kasus <> '')",
            after,
            newest,
        )
        return {int(r["tahun"]) for r in rows}, newest

    def cases_in_full(self):
        """(case, its step records by key, its current registration or None) for every case, streamed:
        three ordered reads merged, not three queries per case (``status`` of 100,000 cases)."""
        steps = _grouped(self._stream(StepRecord, "SELECT * FROM steps ORDER BY kasus"), "kasus")
        registrations = _grouped(
            self._stream(
                KeptInput,
                "SELECT * FROM inputs WHERE jenis = 'registrasi' AND status = 'diterapkan' "
                "AND kasus IS NOT NULL ORDER BY kasus, id",
            ),
            "kasus",
        )
        next_steps, next_data = next(steps, None), next(registrations, None)
        for case in self.cases():
            while next_steps is not None and next_steps[0] < case.id:
                next_steps = next(steps, None)
            while next_data is not None and next_data[0] < case.id:
                next_data = next(registrations, None)
            records, data = {}, None
            if next_steps is not None and next_steps[0] == case.id:
                records = {step.key: step for step in next_steps[1]}
            if next_data is not None and next_data[0] == case.id:
                data = next_data[1][-1]  # the newest applied, as registration() gives it
            yield case, records, data

    def open_cases(self):
        rows = self._rows("SELECT * FROM cases WHERE status <> ? ORDER BY id", DONE)
        return [_record(Case, r) for r in rows]

    # -- quiet cases: advanced again only when something changed (docs/architecture.md, "Speed") --

    _STATE = """
        SELECT c.id, c.status
            || '|' || (SELECT count(*) || '.' || coalesce(max(id), 0) FROM events WHERE kasus = c.id)
            || '|' || (SELECT count(*) || '.' || coalesce(sum(CASE WHEN status = 'selesai' THEN 1 ELSE 0 END), 0)
                       FROM steps WHERE kasus = c.id)
            || '|' || (SELECT count(*) || '.' || coalesce(max(id), 0) || '.'
                              || coalesce(sum(CASE WHEN status = 'menunggu' THEN 1 ELSE 0 END), 0)
                       FROM inputs WHERE kasus = c.id)
            || '|' || (SELECT count(*) || '.' || coalesce(max(id), 0)
                       FROM inputs WHERE rujukan IN (c.rujukan, c.id) AND kasus = '')
            || '|' || (SELECT count(*) || '.' || coalesce(max(id), 0) FROM documents WHERE kasus = c.id)
            || '|' || (SELECT count(*) || '.' || coalesce(sum(batal), 0) || '.' || count(ditandatangani)
                       || '.' || coalesce(sum(length(berkas)), 0) FROM agenda WHERE kasus = c.id)
            AS keadaan
        FROM cases c"""

    def case_states(self, kasus=None):
        """(id, state) of every unfinished case, or of ``kasus``: counts and newest ids of
        everything a waiting step can wait for (its events, steps, inputs, documents, agenda
        entries). A state that has not changed means nothing happened to the case."""
        rows = (
            self._rows(self._STATE + " WHERE c.id = ?", kasus)
            if kasus is not None
            else self._rows(self._STATE + " WHERE c.status <> ? ORDER BY c.id", DONE)
        )
        return [(r["id"], r["keadaan"]) for r in rows]

    def quiet_marks(self, host):
        """What each case looked like when ``host`` last found it with nothing to do: {kasus: tanda}."""
        return {r["kasus"]: r["tanda"] for r in self._rows("SELECT kasus, tanda FROM tenang WHERE host = ?", host)}

    def mark_quiet(self, host, marks, forget=()):
        """Remember ``host``'s ``marks`` ({kasus: tanda}) and forget the cases in ``forget``
        (closed). A cache, not part of the book: written unlogged (``logged=False``)."""
        for kasus, tanda in marks.items():
            self._write(
                "INSERT INTO tenang (host, kasus, tanda) VALUES (?, ?, ?) "
                "ON CONFLICT (host, kasus) DO UPDATE SET tanda = excluded.tanda",
                host,
                kasus,
                tanda,
            )
        for kasus in forget:
            self._write("DELETE FROM tenang WHERE host = ? AND kasus = ?", host, kasus)

    def set_case_status(self, kasus, status):
        self._update("cases", {"id": kasus}, {"status": status})

    def steps(self, kasus):
        """The case's step records by key."""
        rows = self._rows("SELECT * FROM steps WHERE kasus = ?", kasus)
        return {row["key"]: _record(StepRecord, row) for row in rows}

    def save_step(self, step):
        """Write a step record, replacing the one of the same case and key."""
        self._write("DELETE FROM steps WHERE kasus = ? AND key = ?", step.kasus, step.key)
        self._insert("steps", asdict(step))

    def start_step(self, kasus, key, mulai, catatan=""):
        """The case has reached this step."""
        self.save_step(StepRecord(kasus, key, RUNNING, mulai, catatan=catatan))

    def complete_step(self, kasus, key, selesai, oleh, dokumen=(), catatan="", temuan=None, masukan=None):
        """Mark a step done; documents add to those it already has."""
        current = self.steps(kasus).get(key) or StepRecord(kasus, key, RUNNING, selesai)
        self.save_step(
            StepRecord(
                kasus,
                key,
                DONE,
                current.mulai or selesai,
                selesai,
                oleh,
                tuple(current.dokumen) + tuple(dokumen),
                catatan,
                tuple(temuan if temuan is not None else current.temuan),
                masukan if masukan is not None else current.masukan,
            )
        )

    def note_step(self, kasus, key, **changes):
        """Change some fields of a step that stays open (held, or documents prepared)."""
        current = self.steps(kasus).get(key) or StepRecord(kasus, key)
        values = {**asdict(current), **changes}
        values["dokumen"], values["temuan"] = tuple(values["dokumen"]), tuple(values["temuan"])
        self.save_step(StepRecord(**values))

    def reset_steps(self, kasus, keys):
        """Send steps back to waiting, forgetting what they did (a new round of data)."""
        for key in keys:
            self.save_step(StepRecord(kasus, key))

    # -- kept inputs -------------------------------------------------------

    def keep_input(self, item):
        """Store a kept input; returns its id."""
        values = asdict(item)
        values.pop("id")
        return self._insert("inputs", values, numbered="id", returning=True).fetchone()["id"]

    def pending_inputs(self, kasus, jenis=None, langkah=None):
        """Kept inputs of a case still waiting for their step, oldest first."""
        sql, params = "SELECT * FROM inputs WHERE kasus = ? AND status = ?", [kasus, WAITING]
        for column, value in (("jenis", jenis), ("langkah", langkah)):
            if value is not None:
                sql += f" AND {column} = ?"
                params.append(value)
        return [_record(KeptInput, r) for r in self._rows(sql + " ORDER BY id", *params)]

    def unlinked_inputs(self, rujukan, kasus):
        """How many kept inputs name this case but arrived before its memo."""
        rows = self._rows("SELECT COUNT(*) AS n FROM inputs WHERE kasus = '' AND rujukan IN (?, ?)", rujukan, kasus)
        return rows[0]["n"]

    def link_early_inputs(self, kasus, rujukan):
        """Inputs kept before their memo arrived now belong to its case; returns how many."""
        rows = self._rows("SELECT id, klaim FROM inputs WHERE kasus = '' AND rujukan IN (?, ?)", rujukan, kasus)
        for row in rows:
            self._update("inputs", {"id": row["id"]}, {"kasus": kasus})
            self._update("journal", {"klaim": row["klaim"]}, {"kasus": kasus})
        return len(rows)

    def void_input(self, item, when, reason):
        """A kept decision that no longer holds (the case went back, or newer data came)."""
        self._update("inputs", {"id": item.id}, {"status": "dibatalkan", "diterapkan": when, "catatan": reason})
        self._update("journal", {"klaim": item.klaim}, {"hasil": "ditolak", "kasus": item.kasus, "alasan": [reason]})

    def newest_registration(self, kasus, rujukan):
        """The id of the newest registration a case has or is waiting to apply (0 when none)."""
        row = self._rows(
            "SELECT COALESCE(MAX(id), 0) AS n FROM inputs WHERE jenis = 'registrasi' "
            "AND status IN ('menunggu', 'diterapkan') "
            "AND (kasus = ? OR (kasus = '' AND rujukan IN (?, ?)))",
            kasus,
            kasus,
            rujukan,
        )
        return row[0]["n"]

    def apply_input(self, item, when, superseded_by=None, data=None):
        """Mark a kept input applied (or superseded, with the note why) and its file accepted."""
        values = {"status": "digantikan" if superseded_by else "diterapkan", "diterapkan": when}
        if data is not None:
            values["data"] = data
        self._update("inputs", {"id": item.id}, values)
        self._update(
            "journal",
            {"klaim": item.klaim},
            {"hasil": "diterima", "kasus": item.kasus, "alasan": [superseded_by] if superseded_by else []},
        )

    def registration(self, kasus):
        """The registration data the case now works with (the newest applied)."""
        row = self._first(
            "SELECT * FROM inputs WHERE kasus = ? AND jenis = 'registrasi' AND status = 'diterapkan' ORDER BY id DESC",
            kasus,
        )
        return _record(KeptInput, row) if row else None

    def inputs(self):
        return [_record(KeptInput, r) for r in self._rows("SELECT * FROM inputs ORDER BY id")]

    def decisions(self, langkah):
        """Applied actions of ``langkah`` (every ``tolak``, for the performance report), oldest first, streamed."""
        sql = "SELECT * FROM inputs WHERE jenis = 'tindakan' AND langkah = ? AND status = 'diterapkan' ORDER BY id"
        return self._stream(KeptInput, sql, langkah)

    # -- case documents and events -------------------------------------------

    def next_version(self, kasus, jenis):
        row = self._rows(
            "SELECT COALESCE(MAX(versi), 0) + 1 AS v FROM documents WHERE kasus = ? AND jenis = ?", kasus, jenis
        )[0]
        return row["v"]

    def add_document(self, document):
        self._insert("documents", asdict(document), numbered="id")
        return document

    def documents(self, kasus=None):
        if kasus is None:
            rows = self._rows("SELECT * FROM documents ORDER BY id")
        else:
            rows = self._rows("SELECT * FROM documents WHERE kasus = ? ORDER BY id", kasus)
        return [_record(Document, r) for r in rows]

    def record_event(self, event):
        self._insert("events", asdict(event), numbered="id")
        return event

    def events(self, kasus):
        rows = self._rows("SELECT * FROM events WHERE kasus = ? ORDER BY id", kasus)
        return [_record(Event, r) for r in rows]

    # -- verification codes ------------------------------------------------

    def add_code(self, code):
        self._insert("kode", asdict(code), numbered="urut")
        return code

    def code(self, kode):
        row = self._first("SELECT * FROM kode WHERE kode = ?", kode)
        return _record(Code, row) if row else None

    def codes(self, kasus=None, folder=None):
        sql, params = "SELECT * FROM kode WHERE 1 = 1", []
        for column, value in (("kasus", kasus), ("folder", folder)):
            if value is not None:
                sql += f" AND {column} = ?"
                params.append(value)
        return [_record(Code, r) for r in self._rows(sql + " ORDER BY dibuat, kode", *params)]

    def newer_code(self, code):
        """True when a later document of the same case and kind was filed after ``code``'s."""
        return bool(
            self._rows(
                "SELECT 1 AS x FROM kode WHERE kasus = ? AND jenis = ? AND urut > "
                "(SELECT urut FROM kode WHERE kode = ?)",
                code.kasus,
                code.jenis,
                code.kode,
            )
        )

    def letter_in(self, folder):
        """The agenda keluar entry that files ``folder`` (or holds it), if any."""
        row = self._first(
            "SELECT * FROM agenda WHERE buku = 'keluar' AND (folder = ? OR ? LIKE folder || '/%')", folder, folder
        )
        return _record(AgendaEntry, row) if row else None

    # -- the archive's view ----------------------------------------------------

    def folder_known(self, folder):
        """True when a committed record files something in this archive folder, in whatever form
        its path was stored (archive-relative, or as older records stored it: archive.archive_key)."""
        key = archive_key(folder) or folder
        if any(self._folder_rows("= ?", name) for name in {key, folder}):
            return True
        escaped = key.replace("!", "!!").replace("%", "!%").replace("_", "!_")
        return bool(self._folder_rows("LIKE ? ESCAPE '!'", "%/" + escaped))

    def _folder_rows(self, condition, value):
        return self._rows(
            f"SELECT 1 AS x FROM agenda WHERE folder {condition} UNION SELECT 1 FROM inputs "
            f"WHERE folder {condition} UNION SELECT 1 FROM documents WHERE folder {condition}",
            value,
            value,
            value,
        )

    def filed(self):
        """Every record that files archived files: (label, berkas, sha256)."""
        for entry in self.agenda():
            yield entry.nomor_agenda or entry.nomor_surat, entry.berkas, entry.sha256
        for item in self.inputs():
            yield item.folder, item.berkas, item.sha256
        for document in self.documents():
            yield document.folder, document.berkas, document.sha256
        for folder, name, digest in self.made_pdfs():
            yield folder, {name: f"{folder}/{name}"}, {name: digest}
