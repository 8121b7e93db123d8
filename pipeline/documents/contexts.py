"""What the case documents say: their contexts, file names and check tables.

The handlers choose which document a step makes; this module fills it from
the register's records. Filing is ``filing``'s, rendering ``render``'s.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from pipeline.filing import klasifikasi
from pipeline.formats import rupiah, tanggal, terbilang
from pipeline.readers import incoming_signatures
from pipeline.readers.registration import totals
from pipeline.sop import rules
from pipeline.states import Verdict

if TYPE_CHECKING:
    from pipeline.config import Config
    from pipeline.register import AgendaEntry, Case
    from pipeline.sop.rules import Check

FILE_NAMES = {
    "lembar_disposisi": "lembar-disposisi",
    "daftar_data": "daftar-ppk-panitia-paket-pagu",
    "daftar_verifikasi": "daftar-verifikasi",
    "daftar_otentifikasi": "daftar-otentifikasi",
    "laporan_kesiapan": "draft-laporan-kesiapan",
    "konsep_nota_dinas": "konsep-nota-dinas",
}
# What a document is called in a letter that sends it.
TITLES = {
    "daftar_verifikasi": "Daftar Verifikasi",
    "daftar_otentifikasi": "Daftar Otentifikasi",
    "daftar_data": "Daftar PPK, Panitia, Paket dan Pagu",
    "laporan_kesiapan": "Laporan Kesiapan",
}
RESULT_LABELS = {rules.PASS: "Sesuai", rules.ERROR: "Tidak sesuai", rules.WARNING: "Peringatan"}
_SEVERITY = {rules.PASS: 0, rules.WARNING: 1, rules.ERROR: 2}
# The "Dengan hormat harap" options printed on the Lembar Disposisi.
HARAP = (
    "Tanggapan dan saran",
    "Proses lebih lanjut",
    "Koordinasikan/konfirmasikan",
    "Untuk diketahui",
    "Untuk diselesaikan",
    "Arsip",
)


def file_name(jenis: str) -> str:
    """The file name (without .docx) of a document kind: daftar-verifikasi."""
    return FILE_NAMES.get(jenis, jenis.replace("_", "-"))


def memo_fields(entry: AgendaEntry) -> dict:
    """An agenda masuk entry as the memo fields templates print."""
    return {
        "nomor": entry.nomor_surat,
        "tanggal": entry.tanggal_surat,
        "dari": entry.dari,
        "hal": entry.hal,
        "sifat": entry.sifat,
        "kepada": entry.kepada,
        "lampiran": entry.lampiran,
        "tembusan": entry.tembusan,
        "tte_masuk": entry.tte_masuk,
    }


def base_context(config: Config, memo: AgendaEntry, case: Case, now: dt.datetime) -> dict:
    """What every case document shows: kop, the officials (by their role in config), the memo, the case."""
    return {
        "kop": config.organisation,
        **{role: official.__dict__ for role, official in config.officials.items()},
        "memo": memo_fields(memo),
        "nomor_agenda": memo.nomor_agenda,
        "diterima": memo.diterima,
        "unit": case.unit,
        "kasus": case.id,
        "sop_code": config.sop_code,
        "sop_title": config.sop_title,
        "kota": config.organisation["city"],
        "tanggal": now.date(),
        "dicetak": now,
        "nomor_kosong": blank_number(
            config.numbering["surat_keluar"], now.year, config.klasifikasi.get("nota_dinas", "")
        ),
        "tte": False,  # the letter carries the electronic-signature note (signing.method pkcs12 or bsre)
    }


def blank_number(pattern: str, year: int, kode: str = "") -> str:
    """The outgoing number with room for the number to be written: 000.4.5/      /Pusdatinkomtel/2026."""
    return re.sub(r"\{nomor[^}]*\}", "\u2002" * 6, pattern).format(tahun=year, kode=kode)


COLUMNS = {
    "ppk": ("nama", "nip", "jabatan", "email", "telepon", "no_sk"),
    "panitia": ("nama", "nip", "peran", "no_sertifikat", "email", "telepon"),
    "paket": ("nama", "pagu", "sumber_dana", "metode", "ppk_nip"),
}


def _rows(registration: Mapping[str, Any], section: str) -> list[dict[str, Any]]:
    """Records with every column present (templates use StrictUndefined)."""
    return [{column: record.get(column) for column in COLUMNS[section]} for record in registration[section]]


def data_context(registration: dict) -> dict:
    """The registration as rows for tables, with totals and per-method summary."""
    ppk_names = {p.get("nip"): p.get("nama") for p in registration["ppk"]}
    paket = [dict(p, ppk_nama=ppk_names.get(p.get("ppk_nip"), "-")) for p in _rows(registration, "paket")]
    methods: dict[str, tuple[int, int]] = {}
    for item in paket:
        key = item.get("metode") or "-"
        count, amount = methods.get(key, (0, 0))
        methods[key] = (count + 1, amount + (item["pagu"] if isinstance(item.get("pagu"), int) else 0))
    return {
        "ppk": _rows(registration, "ppk"),
        "panitia": _rows(registration, "panitia"),
        "paket": paket,
        "jumlah": totals(registration),
        "tahun_anggaran": registration.get("tahun_anggaran") or "-",
        "per_metode": [{"metode": k, "jumlah": v[0], "pagu": v[1]} for k, v in sorted(methods.items())],
    }


def disposition_context(
    config: Config,
    memo: dict,
    nomor_agenda: str | None,
    kasus: str,
    diterima: object,
    now: dt.datetime,
    roles: Sequence[str],
    chain: dict | None = None,
    notes: str = "",
) -> dict:
    """The Lembar Disposisi: blank for handwriting, or filled once dispositions are recorded.

    ``roles``: the officials its chain lists, in order (the step's handler says which);
    ``chain`` maps those roles to {tanggal, catatan} of recorded dispositions; a catatan
    naming one of the form's options ticks it.
    """
    officials = config.officials
    chain = chain or {}
    return {
        "kop": config.organisation,
        "memo": memo,
        "nomor_agenda": nomor_agenda,
        "diterima": diterima,
        "tte_masuk": incoming_signatures.sentences(memo.get("tte_masuk"), config.timezone),
        "klasifikasi": klasifikasi.of_number(memo.get("nomor")),  # the incoming number's code, kept whole
        "rantai": [
            {
                "no": i,
                "jabatan": officials[role].jabatan,
                "nama": officials[role].nama,
                "tanggal": chain.get(role, {}).get("tanggal", ""),
            }
            for i, role in enumerate(roles, start=1)
        ],
        "harap": [
            option
            for option in HARAP
            for item in chain.values()
            if option.lower() in str(item.get("catatan", "")).lower()
        ],
        "catatan": notes,
        "kasus": kasus,
        "sop_code": config.sop_code,
        "dicetak": now,
    }


def _memo_common(ctx: Mapping[str, Any], hal: str, lampiran: str, tembusan: str) -> dict[str, Any]:
    """Header of the reply Nota Dinas to the unit's ULP, unnumbered while it is a KONSEP."""
    return dict(
        ctx,
        tanda_konsep="KONSEP",
        kepada=ctx["memo"]["dari"],
        tembusan=tembusan,
        tanggal_surat=f"      {tanggal(ctx['tanggal']).split(' ', 1)[1]}",
        nomor_surat=ctx["nomor_kosong"],
        sifat="Biasa",
        lampiran=lampiran,
        hal=hal,
    )


def _opening(ctx: Mapping[str, Any]) -> str:
    memo = ctx["memo"]
    return (
        f"Menindaklanjuti Nota Dinas Saudara Nomor {memo['nomor']} tanggal "
        f"{tanggal(memo['tanggal'])} hal {memo['hal']}, bersama ini kami sampaikan bahwa data "
        f"Pejabat Pembuat Komitmen (PPK), panitia pengadaan, paket lelang dan pagu anggaran "
        f"{ctx['unit']}"
    )


def return_memo(ctx: dict, errors: Sequence[str], tembusan: str, attached: str | None = None) -> dict:
    """KONSEP Nota Dinas returning the data to the ULP, listing exactly what to correct;
    ``tembusan``: who receives a copy (the step's handler says); ``attached`` names the check
    list sent with it (none for a tolak)."""
    result = _memo_common(
        ctx,
        "Pengembalian Data Registrasi Pemanfaatan SPSE",
        f"1 (satu) berkas {attached}" if attached else "-",
        tembusan,
    )
    result.update(
        paragraf=[
            _opening(ctx) + " belum dapat kami proses lebih lanjut karena terdapat hal-hal "
            "yang perlu diperbaiki sebagai berikut:"
        ],
        daftar=list(errors),
        penutup=(
            "Mohon data tersebut diperbaiki dan disampaikan kembali kepada kami dengan merujuk "
            f"Nota Dinas Saudara Nomor {ctx['memo']['nomor']}. Demikian disampaikan, atas perhatian "
            "dan kerja sama Saudara diucapkan terima kasih."
        ),
    )
    return result


def ready_memo(ctx: dict, tembusan: str) -> dict:
    """KONSEP Nota Dinas telling the unit it is ready to use SPSE (``tembusan``: who receives a copy)."""
    count = ctx["data"]["jumlah"]
    result = _memo_common(ctx, "Hasil Fasilitasi Pemanfaatan SPSE", "1 (satu) berkas Laporan Kesiapan", tembusan)
    result.update(
        paragraf=[
            _opening(ctx) + f" Tahun Anggaran {ctx['data']['tahun_anggaran']} telah kami "
            "verifikasi dan otentikasi dengan hasil sebagai berikut:"
        ],
        daftar=[
            f"PPK sebanyak {count['ppk']} orang;",
            f"panitia pengadaan sebanyak {count['panitia']} orang;",
            f"paket lelang sebanyak {count['paket']} paket dengan jumlah pagu anggaran "
            f"{rupiah(count['pagu_total'])} ({terbilang(count['pagu_total'])}).",
        ],
        penutup=(
            f"Dengan demikian {ctx['unit']} telah siap memanfaatkan SPSE. Akun SPSE bagi PPK dan "
            "panitia pengadaan akan kami sampaikan melalui alamat e-mail masing-masing. Demikian "
            "disampaikan, atas perhatian dan kerja sama Saudara diucapkan terima kasih."
        ),
    )
    return result


def findings_text(catatan: str, temuan: Sequence[str]) -> str:
    """One paragraph for the readiness report: the summary and any warnings."""
    text = catatan or "-"
    if temuan:
        text += " Catatan: " + "; ".join(temuan) + "."
    return text


def check_rows(checks: Sequence[Check]) -> list[dict]:
    """One table row per record: every check with its result, the worst result, and why.

    Grouping keeps the Daftar Verifikasi of a 2,000-person registration
    readable (one row per person) and its size linear in the records.
    """
    grouped: dict[str, list] = {}
    for check in checks:
        grouped.setdefault(check.record, []).append(check)
    return [_check_row(record, found) for record, found in grouped.items()]


def _check_row(record: str, found: Sequence[Check]) -> dict[str, str]:
    by_result: dict[Verdict, list[str]] = {}
    for check in found:
        names = by_result.setdefault(check.result, [])
        if check.name not in names:
            names.append(check.name)
    worst = max(found, key=lambda c: _SEVERITY[c.result]).result
    return {
        "record": record,
        "name": "; ".join(
            f"{', '.join(names)}: {RESULT_LABELS[result].lower()}"
            for result, names in sorted(by_result.items(), key=lambda i: _SEVERITY[i[0]])
        ),
        "hasil": RESULT_LABELS[worst],
        "message": "; ".join(c.message for c in found if c.message and c.result != rules.PASS)
        or "; ".join(c.message for c in found if c.message),
    }


def summary(checks: Sequence[Check]) -> str:
    counts = {level: sum(1 for c in checks if c.result == level) for level in RESULT_LABELS}
    return (
        f"{len(checks)} pemeriksaan: {counts[rules.PASS]} sesuai, {counts[rules.ERROR]} tidak "
        f"sesuai, {counts[rules.WARNING]} peringatan."
    )
