"""Indicator search that finds what monitors type: any spelling (labour/labor,
enrolment/enrollment), plurals and -ing forms (school/schools/schooling), topic words,
a few synonyms (university -> tertiary), and exact codes or publisher aliases.

Words are compared whole after normalising, never as substrings, so `Mali` cannot match
`Somalia`; a code or alias only ever matches in full (case-insensitive).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_POSSESSIVE = re.compile(r"['’]s\b")
_CODE_LIKE = re.compile(r"[._]")
# British and American spellings, and common variants, to one form.
_SPELLINGS = {
    "labour": "labor", "enrolment": "enrollment", "enrolments": "enrollment", "enrol": "enroll",
    "enrols": "enroll", "enrolled": "enroll", "programme": "program", "defence": "defense",
    "centre": "center", "organisation": "organization", "behaviour": "behavior",
    "favour": "favor", "harbour": "harbor", "mobilisation": "mobilization",
}  # fmt: skip
# Words monitors use for what the catalog names otherwise (after stemming).
_SYNONYMS = {
    "university": "tertiary", "universiti": "tertiary", "college": "tertiary",
    "women": "woman", "men": "man", "journalism": "journalist", "reporter": "journalist",
    "job": "employ", "asylum": "refugee", "demonstration": "protest", "murder": "kill",
    "jail": "arrest", "parliamentarian": "parliament", "legislature": "parliament",
}  # fmt: skip


def _stem(word: str) -> str:
    """A light English stemmer: enough to make plural, -ing and -ment forms meet."""
    for suffix, keep in (("ies", "y"), ("sses", "ss"), ("ings", ""), ("ing", ""),
                         ("ments", ""), ("ment", ""), ("es", "e"), ("s", "")):  # fmt: skip
        if word.endswith(suffix) and len(word) - len(suffix) >= 4 and not word.endswith("ss"):
            return word[: len(word) - len(suffix)] + keep
    return word


def terms(text: str) -> set[str]:
    """The normalised words of a text (lower case, one spelling, stemmed, synonyms folded)."""
    found = set()
    for word in _WORD.findall(_POSSESSIVE.sub("", text.lower())):
        if len(word) < 2:
            continue
        stem = _stem(_SPELLINGS.get(word, word))
        stem = _SPELLINGS.get(stem, stem)
        found.add(_SYNONYMS.get(stem, _SYNONYMS.get(word, stem)))
    return found


def _searchable(indicator: dict, aliases: Iterable[str]) -> tuple[set[str], set[str]]:
    words = terms(" ".join((indicator["name"], indicator["definition"], indicator["topic"])))
    return words, {indicator["code"].lower(), *(alias.lower() for alias in aliases)}


def search(indicators: list[dict], query: str, aliases: dict[str, tuple[str, ...]]) -> list[dict]:
    """The indicators (catalog dicts with code, name, definition, topic) that match every word
    of `query`, or of any of its parts separated by ` OR `: a word matches its code or an
    alias exactly, or a word of the indicator's name, definition or topic once both are
    normalised. A code-like word (with `.` or `_`) only ever matches a code or alias in full."""
    alternatives = [
        [(word.lower(), None if _CODE_LIKE.search(word) else terms(word)) for word in part.split()]
        for part in query.split(" OR ")
    ]
    alternatives = [words for words in alternatives if words]
    found = []
    for indicator in indicators:
        words, codes = _searchable(indicator, aliases.get(indicator["code"], ()))
        if any(
            all(word in codes or (normal and normal <= words) for word, normal in wanted)
            for wanted in alternatives
        ):
            found.append(indicator)
    return found
