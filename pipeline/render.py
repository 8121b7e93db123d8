"""Fill Word templates with docxtpl, safely.

Templates render in Jinja's SandboxedEnvironment with StrictUndefined and
autoescape on: a ``<`` in data stays text, a template cannot reach Python
internals, and a misspelt placeholder is an error rather than a blank.
Data is rendered once, so ``{{ 7*7 }}`` in a memo's Hal prints as written.
"""

import datetime as dt
import io
import re
import zipfile

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from num2words import num2words

from .codes import QrImage
from .errors import RenderError, os_reason
from .fields import format_nip

LOCALE = "id"
# Characters XML 1.0 forbids, plus the ones docxtpl turns into layout (\a, \f).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def tanggal(value):
    """25 November 2026."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return format_date(value, "d MMMM yyyy", locale=LOCALE)


def waktu(value):
    """25 November 2026 pukul 14.05."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return format_datetime(value, "d MMMM yyyy 'pukul' HH.mm", locale=LOCALE)


def rupiah(value):
    """Rp1.500.000.000,00."""
    return format_currency(
        int(value), "IDR", format="\u00a4#,##0.00", locale=LOCALE, currency_digits=False
    )


def terbilang(value):
    """satu miliar lima ratus juta rupiah."""
    return num2words(int(value), lang=LOCALE) + " rupiah"


def tanda(value, option):
    """A ticked or empty box, for forms: ``{{ sifat | tanda('Segera') }}``.

    ``value`` may also be a list of chosen options.
    """
    chosen = option in value if isinstance(value, (list, tuple, set)) else value == option
    return "\u2612" if chosen else "\u2610"


FILTERS = {
    "tanggal": tanggal,
    "waktu": waktu,
    "rupiah": rupiah,
    "terbilang": terbilang,
    "nip": format_nip,
    "tanda": tanda,
}


def environment():
    """The one Jinja environment templates are rendered in."""
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)
    env.filters.update(FILTERS)
    return env


def clean(value):
    """Strip control characters from every string in a context, recursively."""
    if isinstance(value, str):
        return _CONTROL.sub("", value)
    if isinstance(value, dict):
        return {key: clean(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(item) for item in value]
    return value


def images(value, document):
    """QR codes in a context as images the template can place (docxtpl's InlineImage)."""
    if isinstance(value, QrImage):
        return InlineImage(document, io.BytesIO(value.png), width=Mm(value.width_mm))
    if isinstance(value, dict):
        return {key: images(item, document) for key, item in value.items()}
    if isinstance(value, list):
        return [images(item, document) for item in value]
    return value


def render(template_path, context, destination):
    """Render ``template_path`` with ``context`` into ``destination`` (.docx)."""
    try:
        document = DocxTemplate(str(template_path))
        document.render(images(clean(context), document), jinja_env=environment(), autoescape=True)
        document.save(str(destination))
    except TemplateError as exc:
        raise RenderError(
            f"Templat {template_path.name} tidak dapat diisi: {template_problem(exc)}. Periksa isian "
            "bertanda {{ }} di templat tersebut, atau pulihkan templat bawaan dengan "
            "\u201cpipeline init\u201d di folder lain lalu salin templatnya."
        ) from None
    except OSError as exc:
        raise RenderError(f"Templat {template_path} tidak dapat dibuka atau disimpan: {os_reason(exc)}.") from None
    except (KeyError, ValueError, zipfile.BadZipFile):
        raise RenderError(f"Templat {template_path} bukan dokumen Word yang utuh; pulihkan templat bawaan "
                          "dengan \u201cpipeline init\u201d di folder lain lalu salin templatnya.") from None


def template_problem(exc):
    """A Jinja error in Indonesian, naming the placeholder or the line."""
    if isinstance(exc, UndefinedError):
        found = re.search(r"'([^']+)' (?:is undefined|has no attribute '([^']+)')", str(exc))
        if found:
            name = ".".join(part for part in found.groups() if part)
            return f"isian {{{{ {name} }}}} tidak dikenal"
        return "ada isian yang tidak dikenal"
    if isinstance(exc, TemplateSyntaxError):
        return f"susunan isian templat salah pada baris {exc.lineno}"
    if isinstance(exc, SecurityError):
        return "templat mencoba memakai sesuatu yang tidak diizinkan"
    return "isian templat tidak dapat dijalankan"
