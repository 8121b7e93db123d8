"""The archive's view of the register: which folders and files its records file (``verify``)."""

from collections.abc import Iterator

from pipeline.filing.archive import archive_key
from pipeline.register.agenda import AgendaIntents
from pipeline.register.documents import DocumentIntents
from pipeline.register.inputs import InputIntents
from pipeline.register.pdfs import PdfIntents
from pipeline.register.rows import Row


class ArchiveView(AgendaIntents, InputIntents, DocumentIntents, PdfIntents):
    def folder_known(self, folder: str) -> bool:
        """True when a committed record files something in this archive folder, in whatever form
        its path was stored (archive-relative, or as older records stored it: archive.archive_key)."""
        key = archive_key(folder) or folder
        if any(self._folder_rows("= ?", name) for name in {key, folder}):
            return True
        escaped = key.replace("!", "!!").replace("%", "!%").replace("_", "!_")
        return bool(self._folder_rows("LIKE ? ESCAPE '!'", "%/" + escaped))

    def _folder_rows(self, condition: str, value: str) -> list[Row]:
        return self._rows(
            f"SELECT 1 AS x FROM agenda WHERE folder {condition} UNION SELECT 1 FROM inputs "
            f"WHERE folder {condition} UNION SELECT 1 FROM documents WHERE folder {condition}",
            value,
            value,
            value,
        )

    def filed(self) -> Iterator[tuple[str | None, dict[str, str], dict[str, str]]]:
        """Every record that files archived files: (label, berkas, sha256)."""
        for entry in self.agenda():
            yield entry.nomor_agenda or entry.nomor_surat, entry.berkas, entry.sha256
        for item in self.inputs():
            yield item.folder, item.berkas, item.sha256
        for document in self.documents():
            yield document.folder, document.berkas, document.sha256
        for folder, name, digest in self.made_pdfs():
            yield folder, {name: f"{folder}/{name}"}, {name: digest}
