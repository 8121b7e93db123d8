"""The documents a case makes: their contexts, rendering with docxtpl, PDF with LibreOffice, verification codes."""
