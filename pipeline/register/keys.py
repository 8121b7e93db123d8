"""Keys the register compares by, the same in Python and in SQL."""


def memo_key(nomor, dari):
    """Nomor and Dari without case and spaces: the same memo however it was typed."""
    return "".join(str(nomor or "").split()).casefold() + "|" + "".join(str(dari or "").split()).casefold()
