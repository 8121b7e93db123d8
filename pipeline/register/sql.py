"""The register's intents in portable SQL, shared by every backend.

The rest of the pipeline calls these methods (``open_case``,
``complete_step``, ``allocate_number``...) and gets records back; only this
package knows tables and columns. Each concern is its own module, composed
here into one register; a backend supplies the connection, transactions,
migrations and its placeholder style (docs/architecture.md, "The register"):

- ``core``: the plumbing a backend provides, statement helpers;
- ``transactions``: one event, one transaction, sealed into the chain and the log;
- ``numbering``: the agenda books' gapless numbers;
- ``journal``: what became of each inbox file;
- ``agenda``: the agenda books' entries and listings;
- ``letters``: outgoing letters signed, sent, voided;
- ``cases``, ``steps``: cases and how far each step got;
- ``quiet``: the quiet-case cache;
- ``shown``: finished cases stored as ``status --json`` shows them;
- ``inputs``: kept registration data and actions;
- ``documents``, ``events``, ``codes``: case documents, events, verification codes;
- ``pdfs``: PDFs owed and made later;
- ``notices``: e-mail notices to officials, owed and sent;
- ``filed``: what the archive's folders hold according to the register.
"""

from pipeline.register.cases import CaseIntents
from pipeline.register.codes import CodeIntents
from pipeline.register.events import EventIntents
from pipeline.register.filed import ArchiveView
from pipeline.register.journal import JournalIntents
from pipeline.register.letters import LetterIntents
from pipeline.register.notices import NoticeIntents
from pipeline.register.numbering import Numbering
from pipeline.register.quiet import QuietCases
from pipeline.register.shown import ShownCases


class SqlRegister(
    Numbering,
    JournalIntents,
    LetterIntents,
    CaseIntents,
    QuietCases,
    ShownCases,
    EventIntents,
    CodeIntents,
    NoticeIntents,
    ArchiveView,
):
    """Register intents over a DB-API connection; a backend subclass opens it."""
