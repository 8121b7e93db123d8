"""Fill Word templates with docxtpl, safely, compiling each template once.

docxtpl is the template engine: its template preparation (``patch_xml``),
its post-processing (``resolve_listing``, ``fix_tables``), its RichText,
Listing and InlineImage. What docxtpl does again for every document, this
module does once per template and process (docs/architecture.md,
"Rendering"):

- load the package, patch the XML and compile the Jinja template of the
  body, every header and footer, the footnotes and the core properties;
- compress the package parts a document never changes (styles, theme,
  settings, fonts...); a document is those parts plus the few it renders.

A template is compiled again when its file changes (staff edit templates
in Word). Documents are equal to docxtpl's in text and, after XML
canonicalisation, in ``word/document.xml`` (tests/test_render.py proves it
for every shipped template).

The security rules stay: Jinja's SandboxedEnvironment with StrictUndefined
and autoescape (a ``<`` in data stays text, a template cannot reach Python
internals, a misspelt placeholder is an error rather than a blank), and
data is rendered once, so ``{{ 7*7 }}`` in a memo's Hal prints as written.
"""

import functools
import hashlib
import io
import os
import posixpath
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.documents.codes import QrImage
from pipeline.errors import RenderError, os_reason

if TYPE_CHECKING:
    from jinja2 import Template as JinjaTemplate
    from jinja2.sandbox import SandboxedEnvironment

# Characters XML 1.0 forbids, plus the ones docxtpl turns into layout (\a, \f).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_RT_IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
_RT_STORIES = {
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer",
}
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
# docxtpl renders these core properties (DocxTemplate.render_properties).
_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
# Image types python-docx can place; the package declares them all once, so a
# document with a new image never has to change [Content_Types].xml.
_IMAGE_TYPES = {
    "png": "image/png",
    "jpeg": "image/jpeg",
    "jpg": "image/jpeg",
    "gif": "image/gif",
    "bmp": "image/bmp",
    "tif": "image/tiff",
    "tiff": "image/tiff",
}
# docxtpl's resolve_listing turns these, in data, into tabs, paragraphs, line and page breaks.
_LAYOUT = re.compile("[\t\a\n\f]")
_PARAGRAPH = re.compile(r"<w:p([ >])")
_MARKED_PARAGRAPH = re.compile(r"\n<w:p([ >])")


def environment() -> "SandboxedEnvironment":
    """The one kind of Jinja environment templates are rendered in."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    from pipeline.formats import FILTERS

    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)
    env.filters.update(FILTERS)
    return env


def clean(value: Any) -> Any:
    """Strip control characters from every string in a context, recursively."""
    if isinstance(value, str):
        return _CONTROL.sub("", value)
    if isinstance(value, dict):
        return {key: clean(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(item) for item in value]
    return value


def images(value: Any, document: Any) -> Any:
    """QR codes in a context as images the template can place (docxtpl's InlineImage)."""
    if isinstance(value, QrImage):
        from docx.shared import Mm
        from docxtpl import InlineImage

        return InlineImage(document, io.BytesIO(value.png), width=Mm(value.width_mm))
    if isinstance(value, dict):
        return {key: images(item, document) for key, item in value.items()}
    if isinstance(value, list):
        return [images(item, document) for item in value]
    return value


def render(template_path: Path, context: Mapping[str, Any], destination: str | os.PathLike[str]) -> None:
    """Render ``template_path`` with ``context`` into ``destination`` (.docx)."""
    from jinja2 import TemplateError

    try:
        data = compiled(template_path).render(context)
        with open(destination, "wb") as out:
            out.write(data)
    except TemplateError as exc:
        raise RenderError(
            f"Templat {template_path.name} tidak dapat diisi: {template_problem(exc)}. Periksa isian "
            "bertanda {{ }} di templat tersebut, atau pulihkan templat bawaan dengan "
            "\u201cpipeline init\u201d di folder lain lalu salin templatnya."
        ) from None
    except OSError as exc:
        raise RenderError(f"Templat {template_path} tidak dapat dibuka atau disimpan: {os_reason(exc)}.") from None
    except (KeyError, ValueError, zipfile.BadZipFile):
        raise RenderError(
            f"Templat {template_path} bukan dokumen Word yang utuh; pulihkan templat bawaan "
            "dengan \u201cpipeline init\u201d di folder lain lalu salin templatnya."
        ) from None


def compiled(template_path: Path) -> "Template":
    """The compiled template of ``template_path``, compiled again when the file changes."""
    stat = template_path.stat()
    return _compile(str(template_path), stat.st_mtime_ns, stat.st_size, stat.st_ino)


@functools.lru_cache(maxsize=32)
def _compile(path: str, mtime_ns: int, size: int, inode: int) -> "Template":
    """One compilation per template version and process (the key holds the file's identity)."""
    return Template(path)


def template_problem(exc: Exception) -> str:
    """A Jinja error in Indonesian, naming the placeholder or the line."""
    from jinja2 import TemplateSyntaxError, UndefinedError
    from jinja2.sandbox import SecurityError

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


@dataclass
class _Story:
    """A rendered part of the package: the body, a header or footer, the footnotes."""

    name: str  # zip entry, e.g. word/footer1.xml
    template: "JinjaTemplate"  # the compiled Jinja template of its patched XML
    rels: bytes | None  # its relationships part as in the template
    next_id: int  # python-docx's StoryPart.next_id for a picture placed in it
    kind: str  # "body", "part" (header, footer) or "blob" (footnotes)
    head: bytes = b""  # for the body: document.xml before and after <w:body>
    tail: bytes = b""

    @property
    def rels_name(self) -> str:
        folder, base = posixpath.split(self.name)
        return posixpath.join(folder, "_rels", base + ".rels")


@dataclass
class _Placement:
    """docxtpl's ``current_rendering_part`` while a story renders: places pictures in it.

    InlineImage calls ``new_pic_inline`` like on a python-docx StoryPart; the
    picture part, its relationship and the inline XML are made the way
    python-docx makes them (StoryPart.get_or_add_image, ImageParts).
    """

    story: _Story
    package: "_Package"
    added: list[tuple[str, str]] = field(default_factory=list)  # (rId, target) relationships this render adds

    def new_pic_inline(self, image_descriptor: Any, width: int | None = None, height: int | None = None) -> Any:
        from docx.image.image import Image
        from docx.oxml.shape import CT_Inline

        image = Image.from_file(image_descriptor)
        partname = self.package.image_part(image)
        rid = self._relate(partname)
        cx, cy = image.scaled_dimensions(width, height)
        return CT_Inline.new_pic_inline(self.story.next_id, rid, image.filename, cx, cy)

    def _relate(self, partname: str) -> str:
        target = posixpath.relpath(partname, posixpath.dirname(self.story.name))
        for rid, known in self.added + self.package.template.image_rels.get(self.story.name, []):
            if known == target:
                return rid
        taken = self.package.template.rel_ids.get(self.story.name, set()) | {rid for rid, _ in self.added}
        rid = next(f"rId{n}" for n in range(1, len(taken) + 2) if f"rId{n}" not in taken)
        self.added.append((rid, target))
        return rid


@dataclass
class _Package:
    """The parts one render adds to the compiled template's package."""

    template: "Template"
    media: dict[str, bytes] = field(default_factory=dict)  # zip entry -> bytes, new pictures
    by_digest: dict[str, str] = field(default_factory=dict)
    current_rendering_part: _Placement | None = None

    def image_part(self, image: Any) -> str:
        """The picture's part name: an equal picture already in the package, or a new one."""
        known = self.template.image_digests.get(image.sha1) or self.by_digest.get(image.sha1)
        if known:
            return known
        used = self.template.image_numbers | {_image_number(n) for n in self.media}
        number = next(n for n in range(1, len(used) + 2) if n not in used)
        name = f"word/media/image{number}.{image.ext}"
        self.media[name] = image.blob
        self.by_digest[image.sha1] = name
        return name


class Template:
    """A docxtpl template compiled once: its Jinja templates and its unchanging parts."""

    def __init__(self, path: str) -> None:
        from docx import Document
        from docx.oxml.parser import parse_xml
        from docxtpl import DocxTemplate

        self.path = path
        self.docxtpl = DocxTemplate(path)  # for docxtpl's own patch_xml, resolve_listing, fix_tables
        self.env = environment()
        document = Document(path)
        main = document.part
        # per story: its relationship ids, its pictures
        self.rel_ids: dict[str, set[str]] = {}
        self.image_rels: dict[str, list[tuple[str, str]]] = {}
        self.stories = [self._body(main)]
        for rel in main.rels.values():
            if rel.reltype in _RT_STORIES and not rel.is_external and rel.target_part.blob:
                part = rel.target_part
                xml = self._xml(parse_xml(part.blob))
                self.stories.append(self._story(part, xml, "part"))
        for part in main.package.iter_parts():
            if part.content_type == _FOOTNOTES:
                self.stories.append(self._story(part, part.blob.decode("utf-8"), "blob"))
        self._images(main.package)
        self._properties(document)
        self.base = self._base()

    # -- compiling ---------------------------------------------------------

    @staticmethod
    def _xml(element: Any) -> str:
        from lxml import etree

        return etree.tostring(element, encoding="unicode", pretty_print=False)

    def _compile(self, xml: str) -> "JinjaTemplate":
        """docxtpl's preparation of a part's XML (render_xml_part's first step), compiled."""
        xml = self.docxtpl.patch_xml(xml)
        return self.env.from_string(_PARAGRAPH.sub(r"\n<w:p\1", xml))

    def _story(self, part: Any, xml: str, kind: str) -> _Story:
        name = part.partname.lstrip("/")
        rels = part.rels
        self.rel_ids[name] = set(rels.keys())
        self.image_rels[name] = [
            (rid, rel.target_ref) for rid, rel in rels.items() if rel.reltype == _RT_IMAGE and not rel.is_external
        ]
        next_id = part.next_id if hasattr(part, "next_id") else 1
        return _Story(name, self._compile(xml), None, next_id, kind)

    def _body(self, main: Any) -> _Story:
        from docx.opc.oxml import serialize_part_xml
        from lxml import etree

        story = self._story(main, self._xml(main.element.body), "body")
        skeleton = etree.fromstring(serialize_part_xml(main.element))
        body = skeleton.find(main.element.body.tag)
        marker = etree.SubElement(skeleton, "marker")
        assert body is not None  # a document part always has its body
        skeleton.replace(body, marker)
        head, tail = etree.tostring(skeleton, encoding="UTF-8", standalone=True).split(b"<marker/>")
        story.head, story.tail = head, tail
        return story

    def _images(self, package: Any) -> None:
        self.image_digests: dict[str, str] = {}
        self.image_numbers: set[int] = set()
        for part in package.image_parts:
            name = part.partname.lstrip("/")
            self.image_digests.setdefault(hashlib.sha1(part.blob).hexdigest(), name)
            self.image_numbers.add(part.partname.idx)

    def _properties(self, document: Any) -> None:
        """The core properties docxtpl renders; compiled only when they hold template syntax."""
        props = document.core_properties
        values = {name: getattr(props, name) or "" for name in _PROPERTIES}
        templated = any(mark in value for value in values.values() for mark in ("{{", "{%", "{#"))
        self.properties = {name: self.env.from_string(value) for name, value in values.items()} if templated else {}
        self.core_name = next(
            (
                part.partname.lstrip("/")
                for part in document.part.package.iter_parts()
                if part.partname == "/docProps/core.xml"
            ),
            None,
        )

    def _base(self) -> bytes:
        """The template's package without the parts a render writes, compressed once."""
        rendered = {story.name for story in self.stories} | {story.rels_name for story in self.stories}
        if self.properties and self.core_name:
            rendered.add(self.core_name)
        out = io.BytesIO()
        with zipfile.ZipFile(self.path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
            names = source.namelist()
            for story in self.stories:
                story.rels = source.read(story.rels_name) if story.rels_name in names else None
            for name in names:
                if name in rendered:
                    continue
                data = source.read(name)
                if name == "[Content_Types].xml":
                    data = _declare_images(data)
                package.writestr(name, data)
        return out.getvalue()

    # -- rendering ---------------------------------------------------------

    def render(self, context: Mapping[str, Any]) -> bytes:
        """The document for ``context``, as the bytes of a .docx."""
        package = _Package(self)
        context = images(clean(context), package)
        written: dict[str, bytes] = {}
        for story in self.stories:
            placement = _Placement(story, package)
            package.current_rendering_part = placement
            written[story.name] = self._render_story(story, context)
            if placement.added:
                written[story.rels_name] = _relationships(story.rels, placement.added)
            elif story.rels is not None:
                written[story.rels_name] = story.rels
        if self.properties and self.core_name:
            written[self.core_name] = self._render_properties(context)
        written.update(package.media)
        out = io.BytesIO(self.base)
        with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as document:
            for name, data in written.items():
                document.writestr(name, data)
        return out.getvalue()

    def _render_story(self, story: _Story, context: Mapping[str, Any]) -> bytes:
        """docxtpl's render_xml_part from the compiled template, then what render() does with it."""
        xml = story.template.render(context)
        xml = _MARKED_PARAGRAPH.sub(r"<w:p\1", xml)
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        if _LAYOUT.search(xml):  # otherwise resolve_listing returns the text unchanged
            xml = self.docxtpl.resolve_listing(xml)
        if story.kind == "blob":
            return xml.encode("utf-8")
        if story.kind == "part":
            from docx.opc.oxml import serialize_part_xml
            from docx.oxml.parser import parse_xml

            return serialize_part_xml(parse_xml(xml.encode("utf-8")))
        from lxml import etree

        tree = self.docxtpl.fix_tables(xml)
        _number_drawings(tree)
        return story.head + etree.tostring(tree, encoding="UTF-8") + story.tail

    def _render_properties(self, context: Mapping[str, Any]) -> bytes:
        from docx.opc.coreprops import CoreProperties
        from docx.opc.oxml import serialize_part_xml
        from docx.oxml.parser import parse_xml

        assert self.core_name is not None  # called only when the package has core properties
        with zipfile.ZipFile(self.path) as source:
            element = parse_xml(source.read(self.core_name))
        props = CoreProperties(element)  # type: ignore[arg-type]  # parse_xml gives the part's own element class
        for name, template in self.properties.items():
            setattr(props, name, template.render(context))
        return serialize_part_xml(element)


def _image_number(name: str) -> int:
    """The number of a picture part (``word/media/image3.png``: 3)."""
    found = re.search(r"(\d+)\.\w+$", name)
    assert found is not None  # the parts a render adds are all named imageN.ext
    return int(found.group(1))


def _number_drawings(tree: Any) -> None:
    """docxtpl's fix_docpr_ids: picture ids in the body renumbered from 1001."""
    from docx.oxml.ns import nsmap

    for number, element in enumerate(tree.xpath("//wp:docPr", namespaces=nsmap), start=1001):
        element.attrib["id"] = str(number)


def _relationships(original: bytes | None, added: list[tuple[str, str]]) -> bytes:
    """A story's relationships part with the pictures one render placed in it."""
    from lxml import etree

    root = (
        etree.fromstring(original)
        if original
        else etree.Element(f"{{{_RELS_NS}}}Relationships", nsmap={None: _RELS_NS})  # type: ignore[dict-item]  # lxml-stubs refuse None, the default namespace key
    )
    for rid, target in added:
        etree.SubElement(root, f"{{{_RELS_NS}}}Relationship", Id=rid, Type=_RT_IMAGE, Target=target)
    return etree.tostring(root, encoding="UTF-8", standalone=True)


def _declare_images(content_types: bytes) -> bytes:
    """[Content_Types].xml with a Default for every picture type python-docx can place."""
    from lxml import etree

    root = etree.fromstring(content_types)
    declared = {item.get("Extension", "").lower() for item in root.iter(f"{{{_CT_NS}}}Default")}
    for extension, content_type in _IMAGE_TYPES.items():
        if extension not in declared:
            etree.SubElement(root, f"{{{_CT_NS}}}Default", Extension=extension, ContentType=content_type)
    return etree.tostring(root, encoding="UTF-8", standalone=True)
