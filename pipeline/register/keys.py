"""Keys the register compares by, the same in Python and in SQL."""


def letter_key(nomor: object) -> str:
    """An outgoing number as a file name may carry it: 027/12/Pusdatinkomtel/2026 -> 027-12-pusdatinkomtel-2026."""
    return "-".join("".join(ch if ch.isalnum() else " " for ch in str(nomor or "")).split()).casefold()


def memo_key(nomor: object, dari: object) -> str:
    """Nomor and Dari without case and spaces: the same memo however it was typed."""
    return "".join(str(nomor or "").split()).casefold() + "|" + "".join(str(dari or "").split()).casefold()
