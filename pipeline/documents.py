"""Case documents of SOP steps 3-10: their contexts, and publishing them.

Publishing renders a template into its own archive folder (built under a
temporary name, renamed into place), copies it to the outbox for printing,
and records it in the register with a version number: a superseded document
stays archived beside its successor.
"""

import re

from .archive import build_folder, copy_atomic, relative
from .registration import totals
from .render import render, rupiah, tanggal, terbilang

FILE_NAMES = {
    "lembar_disposisi": "lembar-disposisi",
    "daftar_data": "daftar-ppk-panitia-paket-pagu",
    "daftar_verifikasi": "daftar-verifikasi",
    "daftar_otentifikasi": "daftar-otentifikasi",
    "laporan_kesiapan": "draft-laporan-kesiapan",
    "konsep_nota_dinas": "konsep-nota-dinas",
}
TEMPLATES = {"konsep_nota_dinas": "nota_dinas"}
# The "Dengan hormat harap" options printed on the Lembar Disposisi.
HARAP = ("Tanggapan dan saran", "Proses lebih lanjut", "Koordinasikan/konfirmasikan",
         "Untuk diketahui", "Untuk diselesaikan", "Arsip")


def base_context(config, memo_row, case, now):
    """What every case document shows: kop, officials, the memo, the case."""
    officials = config.officials
    return {
        "kop": config.organisation,
        "kapus": officials["kapus"].__dict__,
        "kabid": officials["kabid"].__dict__,
        "kasubbid": officials["kasubbid"].__dict__,
        "memo": {
            "nomor": memo_row["nomor_surat"], "tanggal": memo_row["tanggal_surat"],
            "dari": memo_row["dari"], "hal": memo_row["hal"], "sifat": memo_row["sifat"],
            "kepada": memo_row["kepada"], "lampiran": memo_row["lampiran"],
            "tembusan": memo_row["tembusan"],
        },
        "nomor_agenda": memo_row["nomor_agenda"],
        "diterima": memo_row["diterima"],
        "unit": case["unit"],
        "kasus": case["id"],
        "sop_code": config.sop_code,
        "sop_title": config.sop_title,
        "kota": config.organisation["city"],
        "tanggal": now.date(),
        "dicetak": now,
        "nomor_kosong": blank_number(config.numbering["surat_keluar"], now.year),
    }


def blank_number(pattern, year):
    """The outgoing number with room for the number to be written: 027/      /Pusdatinkomtel/2026."""
    return re.sub(r"\{nomor[^}]*\}", "\u2002" * 6, pattern).format(tahun=year)


COLUMNS = {
    "ppk": ("nama", "nip", "jabatan", "email", "telepon", "no_sk"),
    "panitia": ("nama", "nip", "peran", "no_sertifikat", "email", "telepon"),
    "paket": ("nama", "pagu", "sumber_dana", "metode", "ppk_nip"),
}


def _rows(registration, section):
    """Records with every column present (templates use StrictUndefined)."""
    return [{column: record.get(column) for column in COLUMNS[section]} for record in registration[section]]


def data_context(registration):
    """The registration as rows for tables, with totals and per-method summary."""
    ppk_names = {p.get("nip"): p.get("nama") for p in registration["ppk"]}
    paket = [dict(p, ppk_nama=ppk_names.get(p.get("ppk_nip"), "-")) for p in _rows(registration, "paket")]
    methods = {}
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


def publish(config, register, case_folder, kasus, step, jenis, context, now):
    """Render one document, archive it, copy it to the outbox; return its relative path.

    Call inside the transaction that completes the step, so the version and
    the step's record commit together.
    """
    versi = register.next_version(kasus, jenis)
    base = FILE_NAMES[jenis]
    name = f"{base}.docx"
    template = config.template(TEMPLATES.get(jenis, jenis))
    parent = config.root / case_folder / "dokumen"
    folder_name = f"{step:02d}_{base}_v{versi}"
    folder, digests = build_folder(parent, folder_name, {}, {name: lambda p: render(template, context, p)},
                                   {"kasus": kasus, "langkah": step, "jenis": jenis, "versi": versi,
                                    "dibuat": now.isoformat(timespec="seconds")})
    suffix = "" if versi == 1 else f"_v{versi}"
    copy_atomic(folder / name, config.outbox / kasus / f"{kasus}_{step:02d}_{base}{suffix}.docx")
    rel = relative(folder, config.root)
    register.insert("documents", kasus=kasus, langkah=step, jenis=jenis, versi=versi,
                    dibuat=now.isoformat(timespec="seconds"), folder=rel,
                    berkas={n: f"{rel}/{n}" for n in digests}, sha256=digests)
    return f"{rel}/{name}"


def disposition_context(config, memo, nomor_agenda, kasus, diterima, now, chain=None, notes=""):
    """The Lembar Disposisi: blank for handwriting, or filled once dispositions are recorded.

    ``chain`` maps the roles kapus/kabid/kasubbid to {tanggal, catatan} of
    recorded dispositions; a catatan naming one of the form's options ticks it.
    """
    officials = config.officials
    chain = chain or {}
    return {
        "kop": config.organisation,
        "memo": memo,
        "nomor_agenda": nomor_agenda,
        "diterima": diterima,
        "rantai": [
            {"no": i, "jabatan": officials[role].jabatan, "nama": officials[role].nama,
             "tanggal": chain.get(role, {}).get("tanggal", "")}
            for i, role in enumerate(("kapus", "kabid", "kasubbid"), start=1)
        ],
        "harap": [option for option in HARAP for item in chain.values()
                  if option.lower() in str(item.get("catatan", "")).lower()],
        "catatan": notes,
        "kasus": kasus,
        "sop_code": config.sop_code,
        "dicetak": now,
    }


def _memo_common(ctx, hal, lampiran):
    """Header of the reply Nota Dinas to the unit's ULP, unnumbered while it is a KONSEP."""
    return dict(ctx, tanda_konsep="KONSEP", kepada=ctx["memo"]["dari"], tembusan=ctx["kabid"]["jabatan"],
                tanggal_surat=f"      {tanggal(ctx['tanggal']).split(' ', 1)[1]}",
                nomor_surat=ctx["nomor_kosong"], sifat="Biasa",
                lampiran=lampiran, hal=hal)


def _opening(ctx):
    memo = ctx["memo"]
    return (f"Menindaklanjuti Nota Dinas Saudara Nomor {memo['nomor']} tanggal "
            f"{tanggal(memo['tanggal'])} hal {memo['hal']}, bersama ini kami sampaikan bahwa data "
            f"Pejabat Pembuat Komitmen (PPK), panitia pengadaan, paket lelang dan pagu anggaran "
            f"{ctx['unit']}")


def return_memo(ctx, errors):
    """KONSEP Nota Dinas returning the data to the ULP, listing exactly what to correct."""
    result = _memo_common(ctx, "Pengembalian Data Registrasi Pemanfaatan SPSE",
                          "1 (satu) berkas Daftar Verifikasi")
    result.update(
        paragraf=[_opening(ctx) + " belum dapat kami proses lebih lanjut karena terdapat hal-hal "
                  "yang perlu diperbaiki sebagai berikut:"],
        daftar=list(errors),
        penutup=("Mohon data tersebut diperbaiki dan disampaikan kembali kepada kami dengan merujuk "
                 f"Nota Dinas Saudara Nomor {ctx['memo']['nomor']}. Demikian disampaikan, atas perhatian "
                 "dan kerja sama Saudara diucapkan terima kasih."))
    return result


def ready_memo(ctx):
    """KONSEP Nota Dinas telling the unit it is ready to use SPSE."""
    count = ctx["data"]["jumlah"]
    result = _memo_common(ctx, "Hasil Fasilitasi Pemanfaatan SPSE",
                          "1 (satu) berkas Laporan Kesiapan")
    result.update(
        paragraf=[_opening(ctx) + f" Tahun Anggaran {ctx['data']['tahun_anggaran']} telah kami "
                  "verifikasi dan otentikasi dengan hasil sebagai berikut:"],
        daftar=[f"PPK sebanyak {count['ppk']} orang;",
                f"panitia pengadaan sebanyak {count['panitia']} orang;",
                f"paket lelang sebanyak {count['paket']} paket dengan jumlah pagu anggaran "
                f"{rupiah(count['pagu_total'])} ({terbilang(count['pagu_total'])})."],
        penutup=(f"Dengan demikian {ctx['unit']} telah siap memanfaatkan SPSE. Akun SPSE bagi PPK dan "
                 "panitia pengadaan akan kami sampaikan melalui alamat e-mail masing-masing. Demikian "
                 "disampaikan, atas perhatian dan kerja sama Saudara diucapkan terima kasih."))
    return result


def findings_text(catatan, temuan):
    """One paragraph for the readiness report: the summary and any warnings."""
    text = catatan or "-"
    if temuan:
        text += " Catatan: " + "; ".join(temuan) + "."
    return text
