"""The SQLite register's schema, as the migrations that build it, oldest first.

Each migration runs in its own transaction; ``PRAGMA user_version`` counts
them. Never edit one that has shipped: add the next.
"""

from pipeline.register import legacy
from pipeline.register.keys import letter_key, memo_key


def sqlite_functions(db):
    """SQL functions the migrations (and queries) use."""
    db.create_function("kunci_surat", 2, memo_key, deterministic=True)
    db.create_function("kunci_keluar", 1, letter_key, deterministic=True)


MIGRATIONS = [
    # 1: journal, cases, agenda books, steps, events
    """
    CREATE TABLE journal (
        id INTEGER PRIMARY KEY,
        berkas TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        ukuran INTEGER NOT NULL,
        diterima TEXT NOT NULL,
        hasil TEXT NOT NULL CHECK (hasil IN
            ('diterima', 'ditolak', 'duplikat', 'diabaikan', 'menunggu')),
        jenis TEXT NOT NULL DEFAULT '',
        kasus TEXT NOT NULL DEFAULT '',
        alasan TEXT NOT NULL DEFAULT '[]',
        lokasi TEXT NOT NULL DEFAULT '',
        klaim TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX journal_sha256 ON journal (sha256);
    CREATE INDEX journal_klaim ON journal (klaim);
    CREATE TABLE cases (
        id TEXT PRIMARY KEY,
        rujukan TEXT NOT NULL,
        unit TEXT NOT NULL,
        dibuka TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'berjalan'
    );
    CREATE INDEX cases_rujukan ON cases (rujukan);
    CREATE TABLE agenda (
        buku TEXT NOT NULL CHECK (buku IN ('masuk', 'keluar')),
        tahun INTEGER NOT NULL,
        nomor_urut INTEGER NOT NULL CHECK (nomor_urut > 0),
        nomor_agenda TEXT,
        nomor_surat TEXT NOT NULL,
        tanggal_surat TEXT NOT NULL,
        diterima TEXT,
        dikirim TEXT,
        dari TEXT NOT NULL DEFAULT '',
        kepada TEXT NOT NULL DEFAULT '',
        hal TEXT NOT NULL,
        sifat TEXT NOT NULL DEFAULT 'Biasa',
        lampiran TEXT NOT NULL DEFAULT '',
        tembusan TEXT NOT NULL DEFAULT '',
        kasus TEXT NOT NULL DEFAULT '',
        folder TEXT NOT NULL DEFAULT '',
        berkas TEXT NOT NULL DEFAULT '{}',
        sha256 TEXT NOT NULL DEFAULT '{}',
        batal INTEGER NOT NULL DEFAULT 0,
        keterangan TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (buku, tahun, nomor_urut)
    );
    CREATE UNIQUE INDEX agenda_nomor_agenda ON agenda (nomor_agenda)
        WHERE nomor_agenda IS NOT NULL;
    CREATE TABLE steps (
        kasus TEXT NOT NULL REFERENCES cases (id),
        no INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('menunggu', 'berjalan', 'selesai')),
        mulai TEXT,
        selesai TEXT,
        oleh TEXT NOT NULL DEFAULT '',
        dokumen TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (kasus, no)
    );
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        waktu TEXT NOT NULL,
        kasus TEXT NOT NULL DEFAULT '',
        oleh TEXT NOT NULL,
        aksi TEXT NOT NULL,
        rincian TEXT NOT NULL DEFAULT '{}'
    );
    """,
    # 2: kept inputs (registration data, actions), case documents, step findings
    """
    CREATE TABLE inputs (
        id INTEGER PRIMARY KEY,
        jenis TEXT NOT NULL CHECK (jenis IN ('registrasi', 'tindakan')),
        langkah TEXT NOT NULL,
        rujukan TEXT NOT NULL,
        kasus TEXT NOT NULL DEFAULT '',
        diterima TEXT NOT NULL,
        data TEXT NOT NULL DEFAULT '{}',
        folder TEXT NOT NULL DEFAULT '',
        berkas TEXT NOT NULL DEFAULT '{}',
        sha256 TEXT NOT NULL DEFAULT '{}',
        status TEXT NOT NULL DEFAULT 'menunggu'
            CHECK (status IN ('menunggu', 'diterapkan', 'digantikan')),
        diterapkan TEXT,
        klaim TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX inputs_kasus ON inputs (kasus, status);
    CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        kasus TEXT NOT NULL,
        langkah INTEGER NOT NULL,
        jenis TEXT NOT NULL,
        versi INTEGER NOT NULL,
        dibuat TEXT NOT NULL,
        folder TEXT NOT NULL,
        berkas TEXT NOT NULL DEFAULT '{}',
        sha256 TEXT NOT NULL DEFAULT '{}',
        UNIQUE (kasus, jenis, versi)
    );
    ALTER TABLE steps ADD COLUMN catatan TEXT NOT NULL DEFAULT '';
    ALTER TABLE steps ADD COLUMN temuan TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE steps ADD COLUMN masukan INTEGER
    """,
]


def _keyed_steps_and_counters(db, step_table):
    """3: step records matched by key, not position; a counter row per (book, year).

    Release 0.1 stored a step by its position in the table (``legacy``).
    """
    db.execute("CREATE TEMP TABLE step_keys (no INTEGER PRIMARY KEY, key TEXT NOT NULL)")
    db.executemany("INSERT INTO step_keys VALUES (?, ?)", sorted(legacy.step_keys(db, step_table).items()))
    for statement in _MIGRATION_3.split(";"):
        if statement.strip():
            db.execute(statement)
    db.execute("DROP TABLE temp.step_keys")


_MIGRATION_3 = """
    CREATE TABLE counters (
        buku TEXT NOT NULL CHECK (buku IN ('masuk', 'keluar')),
        tahun INTEGER NOT NULL,
        terakhir INTEGER NOT NULL CHECK (terakhir > 0),
        PRIMARY KEY (buku, tahun)
    );
    INSERT INTO counters (buku, tahun, terakhir)
        SELECT buku, tahun, MAX(nomor_urut) FROM agenda GROUP BY buku, tahun;
    CREATE TABLE steps_by_key (
        kasus TEXT NOT NULL REFERENCES cases (id),
        key TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('menunggu', 'berjalan', 'selesai')),
        mulai TEXT,
        selesai TEXT,
        oleh TEXT NOT NULL DEFAULT '',
        dokumen TEXT NOT NULL DEFAULT '[]',
        catatan TEXT NOT NULL DEFAULT '',
        temuan TEXT NOT NULL DEFAULT '[]',
        masukan INTEGER,
        PRIMARY KEY (kasus, key)
    );
    INSERT INTO steps_by_key
        SELECT s.kasus, COALESCE(k.key, 'langkah_' || s.no), s.status, s.mulai, s.selesai, s.oleh,
               s.dokumen, s.catatan, s.temuan, s.masukan
        FROM steps s LEFT JOIN temp.step_keys k ON k.no = s.no;
    DROP TABLE steps;
    ALTER TABLE steps_by_key RENAME TO steps;
    CREATE INDEX cases_status ON cases (status);
    CREATE INDEX agenda_kasus ON agenda (kasus, buku);
    CREATE INDEX agenda_memo ON agenda (nomor_surat, dari)
"""
MIGRATIONS.append(_keyed_steps_and_counters)


_MIGRATION_4 = """
    CREATE TABLE inputs_v4 (
        id INTEGER PRIMARY KEY,
        jenis TEXT NOT NULL CHECK (jenis IN ('registrasi', 'tindakan')),
        langkah TEXT NOT NULL,
        rujukan TEXT NOT NULL,
        kasus TEXT NOT NULL DEFAULT '',
        diterima TEXT NOT NULL,
        data TEXT NOT NULL DEFAULT '{}',
        folder TEXT NOT NULL DEFAULT '',
        berkas TEXT NOT NULL DEFAULT '{}',
        sha256 TEXT NOT NULL DEFAULT '{}',
        status TEXT NOT NULL DEFAULT 'menunggu'
            CHECK (status IN ('menunggu', 'diterapkan', 'digantikan', 'dibatalkan')),
        diterapkan TEXT,
        klaim TEXT NOT NULL DEFAULT '',
        dasar INTEGER NOT NULL DEFAULT 0,
        catatan TEXT NOT NULL DEFAULT ''
    );
    INSERT INTO inputs_v4 (id, jenis, langkah, rujukan, kasus, diterima, data, folder, berkas, sha256,
                           status, diterapkan, klaim)
        SELECT id, jenis, langkah, rujukan, kasus, diterima, data, folder, berkas, sha256, status,
               diterapkan, klaim FROM inputs;
    DROP TABLE inputs;
    ALTER TABLE inputs_v4 RENAME TO inputs;
    CREATE INDEX inputs_kasus ON inputs (kasus, status);
    CREATE INDEX inputs_rujukan ON inputs (rujukan, kasus);
    ALTER TABLE agenda ADD COLUMN kunci TEXT NOT NULL DEFAULT '';
    UPDATE agenda SET kunci = kunci_surat(nomor_surat, dari) WHERE buku = 'masuk';
    CREATE INDEX agenda_kunci ON agenda (kunci)
"""
# 4: decisions that can be void and know the data they saw; memos compared without case and spaces.
MIGRATIONS.append(_MIGRATION_4)

# 5: the chain of committed transactions, mirrored by the log in the archive.
MIGRATIONS.append("""
    CREATE TABLE rantai (
        urut INTEGER PRIMARY KEY,
        waktu TEXT NOT NULL,
        hash TEXT NOT NULL,
        sebelumnya TEXT NOT NULL
    )
""")

# 6: verification codes; letters that are signed or void.
MIGRATIONS.append("""
    CREATE TABLE kode (
        kode TEXT PRIMARY KEY,
        kasus TEXT NOT NULL DEFAULT '',
        jenis TEXT NOT NULL,
        folder TEXT NOT NULL,
        berkas TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        dibuat TEXT NOT NULL,
        rantai TEXT NOT NULL
    );
    CREATE INDEX kode_folder ON kode (folder);
    CREATE INDEX agenda_folder ON agenda (folder);
    CREATE INDEX inputs_folder ON inputs (folder);
    CREATE INDEX documents_folder ON documents (folder);
    CREATE INDEX kode_kasus ON kode (kasus, jenis);
    ALTER TABLE agenda ADD COLUMN alasan_batal TEXT NOT NULL DEFAULT '';
    ALTER TABLE agenda ADD COLUMN batal_oleh TEXT NOT NULL DEFAULT '';
    ALTER TABLE agenda ADD COLUMN batal_waktu TEXT;
    ALTER TABLE agenda ADD COLUMN ditandatangani TEXT;
    ALTER TABLE agenda ADD COLUMN ditandatangani_oleh TEXT NOT NULL DEFAULT '';
    UPDATE agenda SET kunci = kunci_keluar(nomor_surat) WHERE buku = 'keluar'
""")
# 7: quiet cases: what a case looked like when it last had to wait (a cache, outside the log;
# docs/architecture.md, "Speed"); the events of a case found without reading them all; the first
# code of a folder (register --json) read from the index alone.
MIGRATIONS.append("""
    CREATE TABLE tenang (
        kasus TEXT PRIMARY KEY,
        tanda TEXT NOT NULL
    );
    CREATE INDEX events_kasus ON events (kasus, id);
    DROP INDEX kode_folder;
    CREATE INDEX kode_folder ON kode (folder, dibuat, kode)
""")
# 8: codes in the order they were filed (portable: no rowid), numbered as journal rows are.
MIGRATIONS.append("""
    ALTER TABLE kode ADD COLUMN urut INTEGER;
    UPDATE kode SET urut = rowid;
    CREATE INDEX kode_urut ON kode (kasus, jenis, urut);
    CREATE INDEX kode_urut_akhir ON kode (urut)
""")
# 9: quiet marks per host (hosts sharing a register judge cases under their own config).
MIGRATIONS.append("""
    DROP TABLE tenang;
    CREATE TABLE tenang (
        host TEXT NOT NULL DEFAULT '',
        kasus TEXT NOT NULL,
        tanda TEXT NOT NULL,
        PRIMARY KEY (host, kasus)
    )
""")
# 10: PDFs owed: a document filed as .docx whose PDF is made later, outside any filing
# (docs/architecture.md, "PDF"); ``pdf_coba`` is each one's attempts, a cache outside the log.
MIGRATIONS.append("""
    CREATE TABLE pdf (
        folder TEXT NOT NULL,
        berkas TEXT NOT NULL,
        kasus TEXT NOT NULL DEFAULT '',
        keluaran TEXT NOT NULL DEFAULT '',
        diminta TEXT NOT NULL,
        dibuat TEXT,
        sha256 TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (folder, berkas)
    );
    CREATE INDEX pdf_kasus ON pdf (kasus, dibuat);
    CREATE INDEX pdf_dibuat ON pdf (dibuat);
    CREATE TABLE pdf_coba (
        folder TEXT NOT NULL,
        berkas TEXT NOT NULL,
        percobaan INTEGER NOT NULL DEFAULT 0,
        berikutnya TEXT NOT NULL DEFAULT '',
        galat TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (folder, berkas)
    )
""")
# 11: the electronic signatures an incoming letter carried, as judged when it was filed.
MIGRATIONS.append("""
    ALTER TABLE agenda ADD COLUMN tte_masuk TEXT NOT NULL DEFAULT '[]'
""")
