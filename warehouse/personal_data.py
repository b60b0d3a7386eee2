"""What personal data looks like, and the schema check that keeps it out of the warehouse.

The canonical observation holds codes and figures only, so any text value shaped like a
person's name, a phone number, an e-mail address or a pair of coordinates is a mapping error
(or a leak) and the batch carrying it must not load. The patterns live here, once: the
Great Expectations suite (expectations/personal_data_rules.py) runs them on every batch, and
`load_batches` checks the schema again as the last line of defence.
"""

from __future__ import annotations

from collections.abc import Iterable

# Every pattern is unanchored and must not cross FIELD_SEPARATOR, so the suite can run all
# of a row's text fields as one joined string (one expectation per kind, not per column).
FIELD_SEPARATOR = "\x1f"
PATTERNS = {
    # Two or more words of letters separated by spaces ("Mina Khairi", "bismillah adel"):
    # codes never contain spaces, names usually do.
    "name": r"[^\W\d_][^\W\d_'’.-]*(?:[ \t]+[^\W\d_][^\W\d_'’.-]*)+",
    "phone": r"\+?\d[\d \t().-]{6,}\d",
    "email": r"[^\s@\x1f]+@[^\s@\x1f]+\.[^\s@\x1f]+",
    # A decimal degree (34.5, -69.09999), a lat/long pair (33,66) or a field that is only a
    # number (33): codes hold no decimals and are never bare numbers.
    "coordinates": r"-?\d{1,3}\.\d+|-?\d{1,3}[ \t]*[,;][ \t]*-?\d{1,3}"
    r"|(?:^|\x1f)[-+]?\d+(?=\x1f|$)",
}
DESCRIPTIONS = {
    "name": "looks like a person's name",
    "phone": "looks like a phone number",
    "email": "looks like an e-mail address",
    "coordinates": "looks like coordinates",
}


def unexpected_columns(names: Iterable[str], allowed: Iterable[str]) -> list[str]:
    """Columns a batch carries beyond what the warehouse may store, in the batch's order."""
    allowed = set(allowed)
    return [name for name in names if name not in allowed]
