"""The register's schema, written once: the migrations that build it, oldest first.

Each is a tuple of neutral steps (``ddl``) that every backend renders in
its own SQL: SQLite runs each migration in its own transaction and counts
them in ``PRAGMA user_version``; PostgreSQL starts from their sum at
``ddl.POSTGRES_FIRST`` and runs the later ones (``SQLITE_MIGRATIONS``,
``POSTGRES_MIGRATIONS``). Never edit one that has shipped: add the next.
"""

from collections.abc import Sequence
from sqlite3 import Connection

from pipeline.register import legacy
from pipeline.register.ddl import (
    POSTGRES_FIRST,
    AddColumn,
    DropIndex,
    DropTable,
    Index,
    Legacy,
    LegacyAction,
    Migration,
    Rebuild,
    Table,
    integer,
    key,
    literal,
    one_of,
    postgres_base,
    postgres_statements,
    sqlite_statements,
    text,
)
from pipeline.register.keys import letter_key, memo_key
from pipeline.states import CaseStatus, Hasil, InputStatus, NoticeStatus, StepStatus


def sqlite_functions(db: Connection) -> None:
    """SQL functions the migrations (and queries) use."""
    db.create_function("kunci_surat", 2, memo_key, deterministic=True)
    db.create_function("kunci_keluar", 1, letter_key, deterministic=True)


BOOKS = one_of("buku", "masuk", "keluar")
NOTICE_STATUS = one_of("status", NoticeStatus.DUE, NoticeStatus.SENT, NoticeStatus.MOOT)
STEP_STATUS = one_of("status", StepStatus.WAITING, StepStatus.RUNNING, StepStatus.DONE)


# 3: step records matched by key, not by position.
STEPS_BY_KEY = Table(
    "steps",
    (
        text("kasus", references="cases (id)"),
        text("key"),
        text("status", check=STEP_STATUS),
        text("mulai", null=True),
        text("selesai", null=True),
        text("oleh", default="''"),
        text("dokumen", default="'[]'"),
        text("catatan", default="''"),
        text("temuan", default="'[]'"),
        integer("masukan", null=True),
    ),
    ("PRIMARY KEY (kasus, key)",),
)


def _inputs(statuses: tuple[InputStatus, ...], decisions: bool) -> Table:
    """Kept inputs; from migration 4 they may be void and know the data they saw (``decisions``)."""
    return Table(
        "inputs",
        (
            key("id", "INTEGER"),
            text("jenis", check=one_of("jenis", "registrasi", "tindakan")),
            text("langkah"),
            text("rujukan"),
            text("kasus", default="''"),
            text("diterima"),
            text("data", default="'{}'"),
            text("folder", default="''"),
            text("berkas", default="'{}'"),
            text("sha256", default="'{}'"),
            text("status", default=literal(InputStatus.WAITING), check=one_of("status", *statuses)),
            text("diterapkan", null=True),
            text("klaim", default="''"),
        )
        + ((integer("dasar", default="0"), text("catatan", default="''")) if decisions else ()),
    )


def _load_step_keys(db: Connection, step_table: Sequence[tuple[int, str, str | None]]) -> None:
    """Release 0.1 stored a step by its position in the table (``legacy``): the keys of the
    positions, for migration 3 to re-key the step records by."""
    db.execute("CREATE TEMP TABLE step_keys (no INTEGER PRIMARY KEY, key TEXT NOT NULL)")
    db.executemany("INSERT INTO step_keys VALUES (?, ?)", sorted(legacy.step_keys(db, step_table).items()))


MIGRATIONS: list[Migration] = [
    # 1: journal, cases, agenda books, steps, events
    (
        Table(
            "journal",
            (
                key("id", "INTEGER"),
                text("berkas"),
                text("sha256"),
                integer("ukuran"),
                text("diterima"),
                text(
                    "hasil",
                    check=one_of("hasil", Hasil.ACCEPTED, Hasil.REFUSED, Hasil.DUPLICATE, Hasil.IGNORED, Hasil.WAITING),
                ),
                text("jenis", default="''"),
                text("kasus", default="''"),
                text("alasan", default="'[]'"),
                text("lokasi", default="''"),
                text("klaim", default="''"),
            ),
        ),
        Index("journal_sha256", "journal", "sha256"),
        Index("journal_klaim", "journal", "klaim"),
        Table(
            "cases",
            (
                key("id"),
                text("rujukan"),
                text("unit"),
                text("dibuka"),
                text("status", default=literal(CaseStatus.RUNNING)),
            ),
        ),
        Index("cases_rujukan", "cases", "rujukan"),
        Table(
            "agenda",
            (
                text("buku", check=BOOKS),
                integer("tahun"),
                integer("nomor_urut", check="nomor_urut > 0"),
                text("nomor_agenda", null=True),
                text("nomor_surat"),
                text("tanggal_surat"),
                text("diterima", null=True),
                text("dikirim", null=True),
                text("dari", default="''"),
                text("kepada", default="''"),
                text("hal"),
                text("sifat", default="'Biasa'"),
                text("lampiran", default="''"),
                text("tembusan", default="''"),
                text("kasus", default="''"),
                text("folder", default="''"),
                text("berkas", default="'{}'"),
                text("sha256", default="'{}'"),
                integer("batal", default="0"),
                text("keterangan", default="''"),
            ),
            ("PRIMARY KEY (buku, tahun, nomor_urut)",),
        ),
        Index("agenda_nomor_agenda", "agenda", "nomor_agenda", unique=True, where="nomor_agenda IS NOT NULL"),
        Table(
            "steps",
            (
                text("kasus", references="cases (id)"),
                integer("no"),
                text("status", check=STEP_STATUS),
                text("mulai", null=True),
                text("selesai", null=True),
                text("oleh", default="''"),
                text("dokumen", default="'[]'"),
            ),
            ("PRIMARY KEY (kasus, no)",),
        ),
        Table(
            "events",
            (
                key("id", "INTEGER"),
                text("waktu"),
                text("kasus", default="''"),
                text("oleh"),
                text("aksi"),
                text("rincian", default="'{}'"),
            ),
        ),
    ),
    # 2: kept inputs (registration data, actions), case documents, step findings
    (
        _inputs((InputStatus.WAITING, InputStatus.APPLIED, InputStatus.SUPERSEDED), decisions=False),
        Index("inputs_kasus", "inputs", "kasus, status"),
        Table(
            "documents",
            (
                key("id", "INTEGER"),
                text("kasus"),
                integer("langkah"),
                text("jenis"),
                integer("versi"),
                text("dibuat"),
                text("folder"),
                text("berkas", default="'{}'"),
                text("sha256", default="'{}'"),
            ),
            ("UNIQUE (kasus, jenis, versi)",),
        ),
        AddColumn("steps", text("catatan", default="''")),
        AddColumn("steps", text("temuan", default="'[]'")),
        AddColumn("steps", integer("masukan", null=True)),
    ),
    # 3: step records matched by key, not position (release 0.1's, re-keyed: ``legacy``); a counter
    # row per (book, year).
    (
        Legacy(_load_step_keys),
        Table(
            "counters",
            (text("buku", check=BOOKS), integer("tahun"), integer("terakhir", check="terakhir > 0")),
            ("PRIMARY KEY (buku, tahun)",),
        ),
        Legacy(
            "INSERT INTO counters (buku, tahun, terakhir)\n"
            "    SELECT buku, tahun, MAX(nomor_urut) FROM agenda GROUP BY buku, tahun"
        ),
        Rebuild(
            STEPS_BY_KEY,
            "steps_by_key",
            "SELECT s.kasus, COALESCE(k.key, 'langkah_' || s.no), s.status, s.mulai, s.selesai, s.oleh,\n"
            "           s.dokumen, s.catatan, s.temuan, s.masukan\n"
            "    FROM steps s LEFT JOIN temp.step_keys k ON k.no = s.no",
        ),
        Legacy("DROP TABLE temp.step_keys"),
        Index("cases_status", "cases", "status"),
        Index("agenda_kasus", "agenda", "kasus, buku"),
        Index("agenda_memo", "agenda", "nomor_surat, dari"),
    ),
    # 4: decisions that can be void and know the data they saw; memos compared without case and spaces.
    (
        Rebuild(
            _inputs(
                (InputStatus.WAITING, InputStatus.APPLIED, InputStatus.SUPERSEDED, InputStatus.VOIDED),
                decisions=True,
            ),
            "inputs_v4",
            "SELECT id, jenis, langkah, rujukan, kasus, diterima, data, folder, berkas, sha256, status,\n"
            "           diterapkan, klaim FROM inputs",
            (
                "id",
                "jenis",
                "langkah",
                "rujukan",
                "kasus",
                "diterima",
                "data",
                "folder",
                "berkas",
                "sha256",
                "status",
                "diterapkan",
                "klaim",
            ),
        ),
        Index("inputs_kasus", "inputs", "kasus, status"),
        Index("inputs_rujukan", "inputs", "rujukan, kasus"),
        AddColumn("agenda", text("kunci", default="''")),
        Legacy("UPDATE agenda SET kunci = kunci_surat(nomor_surat, dari) WHERE buku = 'masuk'"),
        Index("agenda_kunci", "agenda", "kunci"),
    ),
    # 5: the chain of committed transactions, mirrored by the log in the archive.
    (Table("rantai", (key("urut", "INTEGER"), text("waktu"), text("hash"), text("sebelumnya"))),),
    # 6: verification codes; letters that are signed or void.
    (
        Table(
            "kode",
            (
                key("kode"),
                text("kasus", default="''"),
                text("jenis"),
                text("folder"),
                text("berkas"),
                text("sha256"),
                text("dibuat"),
                text("rantai"),
            ),
        ),
        Index("kode_folder", "kode", "folder"),
        Index("agenda_folder", "agenda", "folder"),
        Index("inputs_folder", "inputs", "folder"),
        Index("documents_folder", "documents", "folder"),
        Index("kode_kasus", "kode", "kasus, jenis"),
        AddColumn("agenda", text("alasan_batal", default="''")),
        AddColumn("agenda", text("batal_oleh", default="''")),
        AddColumn("agenda", text("batal_waktu", null=True)),
        AddColumn("agenda", text("ditandatangani", null=True)),
        AddColumn("agenda", text("ditandatangani_oleh", default="''")),
        Legacy("UPDATE agenda SET kunci = kunci_keluar(nomor_surat) WHERE buku = 'keluar'"),
    ),
    # 7: quiet cases: what a case looked like when it last had to wait (a cache, outside the log;
    # docs/architecture.md, "Speed"); the events of a case found without reading them all; the first
    # code of a folder (register --json) read from the index alone.
    (
        Table("tenang", (key("kasus"), text("tanda"))),
        Index("events_kasus", "events", "kasus, id"),
        DropIndex("kode_folder"),
        Index("kode_folder", "kode", "folder, dibuat, kode"),
    ),
    # 8: codes in the order they were filed (portable: no rowid), numbered as journal rows are.
    (
        AddColumn("kode", integer("urut", null=True)),
        Legacy("UPDATE kode SET urut = rowid"),
        Index("kode_urut", "kode", "kasus, jenis, urut"),
        Index("kode_urut_akhir", "kode", "urut"),
    ),
    # 9: quiet marks per host (hosts sharing a register judge cases under their own config).
    (
        DropTable("tenang"),
        Table("tenang", (text("host", default="''"), text("kasus"), text("tanda")), ("PRIMARY KEY (host, kasus)",)),
    ),
    # 10: PDFs owed: a document filed as .docx whose PDF is made later, outside any filing
    # (docs/architecture.md, "PDF"); ``pdf_coba`` is each one's attempts, a cache outside the log.
    (
        Table(
            "pdf",
            (
                text("folder"),
                text("berkas"),
                text("kasus", default="''"),
                text("keluaran", default="''"),
                text("diminta"),
                text("dibuat", null=True),
                text("sha256", default="''"),
            ),
            ("PRIMARY KEY (folder, berkas)",),
        ),
        Index("pdf_kasus", "pdf", "kasus, dibuat"),
        Index("pdf_dibuat", "pdf", "dibuat"),
        Table(
            "pdf_coba",
            (
                text("folder"),
                text("berkas"),
                integer("percobaan", default="0"),
                text("berikutnya", default="''"),
                text("galat", default="''"),
            ),
            ("PRIMARY KEY (folder, berkas)",),
        ),
    ),
    # 11: the electronic signatures an incoming letter carried, as judged when it was filed.
    (AddColumn("agenda", text("tte_masuk", default="'[]'")),),
    # 12: e-mail notices to officials: one per (case, step, account, start of the wait), due until
    # sent, with its attempts; derived from the steps (which are in the book), so a cache outside
    # the chain and the log like ``pdf_coba`` (docs/architecture.md, "Officials told").
    (
        Table(
            "pemberitahuan",
            (
                text("kasus"),
                text("langkah"),
                text("akun"),
                text("sejak"),
                text("alamat"),
                text("dicatat"),
                text("status", default=literal(NoticeStatus.DUE), check=NOTICE_STATUS),
                text("dikirim", null=True),
                integer("percobaan", default="0"),
                text("berikutnya", default="''"),
                text("galat", default="''"),
                text("klaim", default="''"),
            ),
            ("PRIMARY KEY (kasus, langkah, akun, sejak)",),
        ),
        Index("pemberitahuan_akun", "pemberitahuan", "akun, status, dikirim"),
        Index("pemberitahuan_status", "pemberitahuan", "status, kasus"),
    ),
    # 13: finished cases as status --json shows them, each line under the mark of the config and the
    # code that made it (register/shown.py): a cache outside the chain and the log like ``tenang``.
    # The index holds each line's mark: finding the cases without a line never reads the lines.
    (
        Table("tampilan", (key("kasus"), text("tanda"), text("baris"))),
        Index("tampilan_tanda", "tampilan", "kasus, tanda"),
    ),
]

SCHEMA_VERSION = len(MIGRATIONS)
# Each migration as SQLite runs it, oldest first (``PRAGMA user_version`` counts them).
SQLITE_MIGRATIONS: list[list[LegacyAction]] = [sqlite_statements(migration) for migration in MIGRATIONS]
# (schema version reached, statements): the schema of POSTGRES_FIRST made at once, then each later
# migration in PostgreSQL's words.
POSTGRES_MIGRATIONS: list[tuple[int, list[str]]] = [(POSTGRES_FIRST, postgres_base(MIGRATIONS))] + [
    (number, postgres_statements(migration, number))
    for number, migration in enumerate(MIGRATIONS[POSTGRES_FIRST:], start=POSTGRES_FIRST + 1)
]
