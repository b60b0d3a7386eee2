"""What personal data looks like, and the schema check that keeps it out of the warehouse.

The canonical observation holds codes and figures only, so any text value shaped like a
person's name, a phone number, an e-mail address or a pair of coordinates is a mapping error
(or a leak) and the batch carrying it must not load. The patterns live here, once: the
Great Expectations suite (expectations/personal_data_rules.py) runs them on every batch, and
`load_batches` checks the schema again as the last line of defence.

Text is normalised before it is matched (`normalise`): the same name, phone or address can
be spelled with other spaces, joiners, dashes, slashes, full-width letters or "(at)", and
the patterns need only know one spelling. Figures are screened too: a pair of numbers in one
row shaped like a point inside Afghanistan (`coordinate_pairs`) is written out as text the
coordinates pattern catches.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

import pyarrow as pa
import pyarrow.compute as pc

# Every pattern is unanchored and must not cross FIELD_SEPARATOR, so the suite can run all
# of a row's text fields as one joined string (one expectation per kind, not per column).
FIELD_SEPARATOR = "\x1f"
PATTERNS = {
    # Two or more words of letters separated by spaces ("Mina Khairi", "bismillah adel"):
    # codes never contain spaces, names usually do.
    "name": r"[^\W\d_][^\W\d_'’.-]*(?:[ \t]+[^\W\d_][^\W\d_'’.-]*)+",
    "phone": r"\+?\d[\d \t()./-]{6,}\d",
    "email": r"[^\s@\x1f]+@[^\s@\x1f]+\.[^\s@\x1f]+",
    # A decimal degree (34.5, -69.09999), a lat/long pair (33,66), a field that is only a
    # number (33): codes hold no decimals and are never bare numbers; or degrees, minutes
    # and seconds (34°31'N, 34 31' 12" N).
    "coordinates": r"-?\d{1,3}\.\d+|-?\d{1,3}[ \t]*[,;][ \t]*-?\d{1,3}"
    r"|(?:^|\x1f)[-+]?\d+(?=\x1f|$)"
    r"|\d{1,3}[ \t]*°|\d{1,3}[ \t]*\d{1,2}[ \t]*'[ \t]*(?:\d{1,2}(?:\.\d+)?[ \t]*\"?)?[ \t]*[NSEW]",
}
DESCRIPTIONS = {
    "name": "looks like a person's name",
    "phone": "looks like a phone number",
    "email": "looks like an e-mail address",
    "coordinates": "looks like coordinates",
}


# Characters that join or split words without showing: a name joined by one must still read
# as two words, and a phone or address split by one as one.
ZERO_WIDTH = re.compile("[\u00ad\u180e\u200b-\u200d\u2060\ufeff]")
SPELLINGS = str.maketrans(
    {
        **dict.fromkeys(
            "\u058a\u05be\u1806\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
            "\u2e3a\u2e3b\ufe58\ufe63\uff0d",
            "-",
        ),  # dashes and minus
        **dict.fromkeys("\u2044\u2215\u29f8\\", "/"),  # slashes
        **dict.fromkeys("\u2032\u2035\u2018\u2019\u00b4`", "'"),  # primes: minutes
        **dict.fromkeys("\u2033\u2036\u201c\u201d", '"'),  # double primes: seconds
        **dict.fromkeys("\u00ba\u02da\u2218", "°"),  # ordinal, ring: typed as degree
    }
)
WORD_AT = re.compile(r"[ ]*[(\[{<][ ]*at[ ]*[)\]}>][ ]*", re.IGNORECASE)
WORD_DOT = re.compile(r"[ ]*[(\[{<][ ]*dot[ ]*[)\]}>][ ]*", re.IGNORECASE)
# Afghanistan's bounding box, with a margin: a pair of figures with three or more decimals
# inside it is far more likely a place than a statistic and its interval.
LATITUDE = (29.0, 39.0)
LONGITUDE = (60.0, 75.5)


def normalise(text: str) -> str:
    """`text` in the one spelling the patterns know: NFKC (full-width letters, digits, "＠"),
    every space as " ", every dash as "-", every slash as "/", "(at)" and "(dot)" as "@" and
    ".", primes as ' and ". Zero-width characters give two readings (as a space: two words;
    removed: one number or address), joined by FIELD_SEPARATOR so each is matched alone."""
    text = unicodedata.normalize("NFKC", text).translate(SPELLINGS)
    text = re.sub(r"\s+", " ", text)
    text = WORD_DOT.sub(".", WORD_AT.sub("@", text))
    spaced, joined = ZERO_WIDTH.sub(" ", text), ZERO_WIDTH.sub("", text)
    return spaced if spaced == joined else f"{spaced}{FIELD_SEPARATOR}{joined}"


def coordinate_pairs(table: pa.Table, columns: Iterable[str]) -> pa.Array:
    """Per row, "lat,lon" when two of the numeric `columns` look like a point in
    Afghanistan (latitude then longitude, both with three or more decimals), else ""."""
    found = []
    names = list(columns)
    for lat_name in names:
        for lon_name in names:
            lat, lon = table[lat_name], table[lon_name]
            hit = pc.and_kleene(_fine_within(lat, LATITUDE), _fine_within(lon, LONGITUDE))
            pair = pc.binary_join_element_wise(lat.cast(pa.string()), lon.cast(pa.string()), ",")
            found.append(pc.if_else(pc.fill_null(hit, False), pair, None))
    return pc.fill_null(pc.coalesce(*found), "") if found else pa.array([""] * table.num_rows)


def _fine_within(column, bounds: tuple[float, float]):
    """Inside `bounds` and not a multiple of 0.01 (a rounded statistic rarely has more)."""
    inside = pc.and_(pc.greater_equal(column, bounds[0]), pc.less_equal(column, bounds[1]))
    return pc.and_(inside, pc.not_equal(pc.round(column, 2), column))


LABEL = re.compile(r"sha256:[0-9a-f]{16}")


def file_label(name: str | None) -> str | None:
    """What is kept of a landed file's name: the name may hold the same personal data as
    the file (a partner names it after a person), so only a digest of it, enough to match
    it to the file one has (a label stays as it is)."""
    if name is None or LABEL.fullmatch(name):
        return name
    return "sha256:" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:16]


def unexpected_columns(names: Iterable[str], allowed: Iterable[str]) -> list[str]:
    """Columns a batch carries beyond what the warehouse may store, in the batch's order."""
    allowed = set(allowed)
    return [name for name in names if name not in allowed]
