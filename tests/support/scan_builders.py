"""Build scans for tests: a memo rendered to images at a given resolution, and hostile files
(compression bombs, huge images, thousands of pages) that are small on disk."""

from __future__ import annotations

import struct
import subprocess
import zlib
from pathlib import Path

from PIL import Image


def rendered_pages(pdf: Path, dpi: int, prefix: Path) -> list[Path]:
    """The pages of ``pdf`` as PNG images at ``dpi`` (poppler's pdftoppm), as a scanner would make them."""
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(prefix)], check=True, timeout=120)
    return sorted(prefix.parent.glob(prefix.name + "*.png"))


def image_only_pdf(images: list[Path], path: Path, dpi: int) -> Path:
    """A PDF holding only the given page images (no text layer), as a scanner's PDF does."""
    pages = [Image.open(image).convert("RGB") for image in images]
    pages[0].save(path, save_all=True, append_images=pages[1:], resolution=dpi)
    return path


class _Bits:
    """Deflate's bit order: least significant bit first; Huffman codes most significant first."""

    def __init__(self):
        self.data, self.position = bytearray(), 0

    def value(self, number: int, count: int) -> None:
        for index in range(count):
            self._bit((number >> index) & 1)

    def code(self, text: str) -> None:
        for char in text:
            self._bit(char == "1")

    def zeros(self, count: int) -> None:
        self.position += count
        self.data.extend(bytes((self.position + 7) // 8 - len(self.data)))

    def _bit(self, bit):
        if self.position // 8 >= len(self.data):
            self.data.append(0)
        if bit:
            self.data[self.position // 8] |= 1 << (self.position % 8)
        self.position += 1


def zero_bomb(expanded: int) -> bytes:
    """A zlib stream of about ``expanded`` zero bytes, about 1/1000 of that on disk, built directly
    (one dynamic Huffman block: a literal 0, then copies of 258 bytes at distance 1, two bits each)."""
    copies = max(1, (expanded - 1) // 258)
    bits = _Bits()
    bits.value(1, 1)  # BFINAL
    bits.value(2, 2)  # dynamic Huffman
    bits.value(29, 5)  # 286 literal/length codes
    bits.value(0, 5)  # 1 distance code
    bits.value(14, 4)  # 18 code length codes
    order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1]
    lengths = {18: 1, 2: 2, 1: 2}  # canonical codes: 18 "0", 1 "10", 2 "11"
    for symbol in order:
        bits.value(lengths.get(symbol, 0), 3)
    codes = {18: "0", 1: "10", 2: "11"}
    bits.code(codes[2])  # literal 0: length 2
    bits.code(codes[18])  # literals 1..138 unused
    bits.value(138 - 11, 7)
    bits.code(codes[18])  # literals 139..255 unused
    bits.value(117 - 11, 7)
    bits.code(codes[2])  # end of block: length 2
    bits.code(codes[18])  # lengths 257..284 unused
    bits.value(28 - 11, 7)
    bits.code(codes[1])  # length 258 (symbol 285): length 1
    bits.code(codes[1])  # distance code 0: length 1
    bits.code("10")  # literal 0 (canonical: 285 "0", 0 "10", 256 "11")
    bits.zeros(2 * copies)  # each copy: symbol 285 "0", distance 0 "0"
    bits.code("11")  # end of block
    size = 1 + 258 * copies
    adler = ((size % 65521) << 16) | 1  # Adler-32 of zeros: a stays 1, b adds 1 per byte
    return b"\x78\x01" + bytes(bits.data) + struct.pack(">I", adler)


def write_pdf(path: Path, objects: list[bytes]) -> Path:
    """A PDF from numbered objects (1 is the catalog), each given as its bytes between obj and endobj."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, start)
    path.write_bytes(bytes(out))
    return path


def stream(dictionary: bytes, data: bytes) -> bytes:
    """A PDF stream object's body: ``dictionary`` entries, the length, then ``data``."""
    return b"<< " + dictionary + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def pdf_with_pages(
    path: Path,
    count: int,
    media: bytes = b"[0 0 595 842]",
    content: bytes | None = None,
    resources: bytes = b"<< >>",
    extra: tuple[bytes, ...] = (),
) -> Path:
    """``count`` pages sharing one content stream (objects: catalog, pages, content, extra..., pages)."""
    content = content or stream(b"", b"BT ET")
    first_page = 4 + len(extra)
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count,
        content,
        *extra,
    ]
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox " + media + b" /Contents 3 0 R /Resources " + resources + b" >>"
    objects += [page] * count
    return write_pdf(path, objects)


def pdf_bomb(path: Path, expanded: int) -> Path:
    """One page whose content stream inflates to ``expanded`` bytes."""
    return pdf_with_pages(path, 1, content=stream(b"/Filter /FlateDecode", zero_bomb(expanded)))


def pdf_with_image(path: Path, width: int, height: int) -> Path:
    """One page showing a 1-bit image of ``width`` x ``height`` pixels (white, deflated)."""
    row = (width + 7) // 8
    image = stream(
        b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
        b"/BitsPerComponent 1 /Filter /FlateDecode" % (width, height),
        zero_bomb(row * height),
    )
    content = stream(b"", b"q 595 0 0 842 0 0 cm /Im0 Do Q")
    return pdf_with_pages(path, 1, content=content, resources=b"<< /XObject << /Im0 4 0 R >> >>", extra=(image,))


def png_claiming(path: Path, width: int, height: int) -> Path:
    """A 1-bit greyscale PNG of ``width`` x ``height`` whose pixel data is a deflate bomb of zero rows."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    pixels = zero_bomb((1 + (width + 7) // 8) * height)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b""))
    return path


def jpeg_claiming(path: Path, width: int, height: int) -> Path:
    """A JPEG whose frame header claims ``width`` x ``height`` (after a normal JFIF segment)."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    path.write_bytes(b"\xff\xd8" + app0 + sof + b"\xff\xd9")
    return path


def pdf_with_object_stream_bomb(path: Path, expanded: int) -> Path:
    """A PDF 1.5 whose page tree lies in an object stream (as most PDFs written today keep their
    dictionaries) that inflates to ``expanded`` bytes: qpdf inflates it whole to find the tree."""
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        4: stream(b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", zero_bomb(expanded)),
    }
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, body in objects.items():
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    offsets[5] = len(out)
    rows = [(0, 0, 65535), (1, offsets[1], 0), (2, 4, 0), (1, offsets[3], 0), (1, offsets[4], 0), (1, offsets[5], 0)]
    table = b"".join(struct.pack(">BIH", *row) for row in rows)
    out += b"5 0 obj\n" + stream(b"/Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R", table) + b"\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[5]
    path.write_bytes(bytes(out))
    return path
