"""Which party a code names: ISO 3166-1 alpha-2 codes for states, and a bundled table of
international organisations. Pure data and lookups, loaded by nothing on start-up.

A code's slug is its identity in the ledger (`GB` is `united-kingdom` for good), so the English
short names it is derived from are this project's own table, written once from the ISO 3166
names pycountry ships (the common name where ISO gives one, a short form where its name is a
formal one: "Russia", not "Russian Federation"), and never read from a library at run time: a
library's next release renaming a country must not rename a party. Names, demonyms, capitals
and other vocabulary, which may grow without harm, come from libraries (`domain/registry.py`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

_STATES = """\
AD	Andorra
AE	United Arab Emirates
AF	Afghanistan
AG	Antigua and Barbuda
AI	Anguilla
AL	Albania
AM	Armenia
AO	Angola
AQ	Antarctica
AR	Argentina
AS	American Samoa
AT	Austria
AU	Australia
AW	Aruba
AX	Åland Islands
AZ	Azerbaijan
BA	Bosnia and Herzegovina
BB	Barbados
BD	Bangladesh
BE	Belgium
BF	Burkina Faso
BG	Bulgaria
BH	Bahrain
BI	Burundi
BJ	Benin
BL	Saint Barthélemy
BM	Bermuda
BN	Brunei
BO	Bolivia
BQ	Bonaire, Sint Eustatius and Saba
BR	Brazil
BS	Bahamas
BT	Bhutan
BV	Bouvet Island
BW	Botswana
BY	Belarus
BZ	Belize
CA	Canada
CC	Cocos (Keeling) Islands
CD	Democratic Republic of the Congo
CF	Central African Republic
CG	Republic of the Congo
CH	Switzerland
CI	Côte d'Ivoire
CK	Cook Islands
CL	Chile
CM	Cameroon
CN	China
CO	Colombia
CR	Costa Rica
CU	Cuba
CV	Cabo Verde
CW	Curaçao
CX	Christmas Island
CY	Cyprus
CZ	Czechia
DE	Germany
DJ	Djibouti
DK	Denmark
DM	Dominica
DO	Dominican Republic
DZ	Algeria
EC	Ecuador
EE	Estonia
EG	Egypt
EH	Western Sahara
ER	Eritrea
ES	Spain
ET	Ethiopia
FI	Finland
FJ	Fiji
FK	Falkland Islands
FM	Micronesia
FO	Faroe Islands
FR	France
GA	Gabon
GB	United Kingdom
GD	Grenada
GE	Georgia
GF	French Guiana
GG	Guernsey
GH	Ghana
GI	Gibraltar
GL	Greenland
GM	Gambia
GN	Guinea
GP	Guadeloupe
GQ	Equatorial Guinea
GR	Greece
GS	South Georgia and the South Sandwich Islands
GT	Guatemala
GU	Guam
GW	Guinea-Bissau
GY	Guyana
HK	Hong Kong
HM	Heard Island and McDonald Islands
HN	Honduras
HR	Croatia
HT	Haiti
HU	Hungary
ID	Indonesia
IE	Ireland
IL	Israel
IM	Isle of Man
IN	India
IO	British Indian Ocean Territory
IQ	Iraq
IR	Iran
IS	Iceland
IT	Italy
JE	Jersey
JM	Jamaica
JO	Jordan
JP	Japan
KE	Kenya
KG	Kyrgyzstan
KH	Cambodia
KI	Kiribati
KM	Comoros
KN	Saint Kitts and Nevis
KP	North Korea
KR	South Korea
KW	Kuwait
KY	Cayman Islands
KZ	Kazakhstan
LA	Laos
LB	Lebanon
LC	Saint Lucia
LI	Liechtenstein
LK	Sri Lanka
LR	Liberia
LS	Lesotho
LT	Lithuania
LU	Luxembourg
LV	Latvia
LY	Libya
MA	Morocco
MC	Monaco
MD	Moldova
ME	Montenegro
MF	Saint Martin
MG	Madagascar
MH	Marshall Islands
MK	North Macedonia
ML	Mali
MM	Myanmar
MN	Mongolia
MO	Macao
MP	Northern Mariana Islands
MQ	Martinique
MR	Mauritania
MS	Montserrat
MT	Malta
MU	Mauritius
MV	Maldives
MW	Malawi
MX	Mexico
MY	Malaysia
MZ	Mozambique
NA	Namibia
NC	New Caledonia
NE	Niger
NF	Norfolk Island
NG	Nigeria
NI	Nicaragua
NL	Netherlands
NO	Norway
NP	Nepal
NR	Nauru
NU	Niue
NZ	New Zealand
OM	Oman
PA	Panama
PE	Peru
PF	French Polynesia
PG	Papua New Guinea
PH	Philippines
PK	Pakistan
PL	Poland
PM	Saint Pierre and Miquelon
PN	Pitcairn
PR	Puerto Rico
PS	Palestine
PT	Portugal
PW	Palau
PY	Paraguay
QA	Qatar
RE	Réunion
RO	Romania
RS	Serbia
RU	Russia
RW	Rwanda
SA	Saudi Arabia
SB	Solomon Islands
SC	Seychelles
SD	Sudan
SE	Sweden
SG	Singapore
SH	Saint Helena
SI	Slovenia
SJ	Svalbard and Jan Mayen
SK	Slovakia
SL	Sierra Leone
SM	San Marino
SN	Senegal
SO	Somalia
SR	Suriname
SS	South Sudan
ST	Sao Tome and Principe
SV	El Salvador
SX	Sint Maarten
SY	Syria
SZ	Eswatini
TC	Turks and Caicos Islands
TD	Chad
TF	French Southern Territories
TG	Togo
TH	Thailand
TJ	Tajikistan
TK	Tokelau
TL	Timor-Leste
TM	Turkmenistan
TN	Tunisia
TO	Tonga
TR	Türkiye
TT	Trinidad and Tobago
TV	Tuvalu
TW	Taiwan
TZ	Tanzania
UA	Ukraine
UG	Uganda
UM	United States Minor Outlying Islands
US	United States
UY	Uruguay
UZ	Uzbekistan
VA	Holy See
VC	Saint Vincent and the Grenadines
VE	Venezuela
VG	British Virgin Islands
VI	United States Virgin Islands
VN	Vietnam
VU	Vanuatu
WF	Wallis and Futuna
WS	Samoa
YE	Yemen
YT	Mayotte
ZA	South Africa
ZM	Zambia
ZW	Zimbabwe
"""
"""ISO 3166-1 alpha-2 code, tab, English short name (the source of the code's slug)."""


@dataclass(frozen=True)
class Organisation:
    """An international organisation Chancery knows by a short, stable code."""

    code: str
    short_name: str
    """The slug comes from it: "NATO" gives `nato`, "European Union" `european-union`."""
    name: str
    aliases: tuple[str, ...]
    seat: str
    """The city of its headquarters, where missions to it sit."""
    seat_country: str


ORGANISATIONS: tuple[Organisation, ...] = (
    Organisation(
        "NATO",
        "NATO",
        "North Atlantic Treaty Organization",
        ("North Atlantic Treaty Organisation", "North Atlantic Alliance", "the Alliance"),
        "Brussels",
        "BE",
    ),
    Organisation("EU", "European Union", "European Union", ("EU",), "Brussels", "BE"),
    Organisation("UN", "United Nations", "United Nations", ("UN", "U.N."), "New York", "US"),
    Organisation(
        "OSCE",
        "OSCE",
        "Organization for Security and Co-operation in Europe",
        ("Organisation for Security and Co-operation in Europe",),
        "Vienna",
        "AT",
    ),
    Organisation("ASEAN", "ASEAN", "Association of Southeast Asian Nations", (), "Jakarta", "ID"),
    Organisation("AfricanUnion", "African Union", "African Union", ("AU",), "Addis Ababa", "ET"),
    Organisation("CoE", "Council of Europe", "Council of Europe", (), "Strasbourg", "FR"),
    Organisation("OAS", "OAS", "Organization of American States", (), "Washington", "US"),
    Organisation("IAEA", "IAEA", "International Atomic Energy Agency", (), "Vienna", "AT"),
    Organisation(
        "OPCW",
        "OPCW",
        "Organisation for the Prohibition of Chemical Weapons",
        (),
        "The Hague",
        "NL",
    ),
    Organisation(
        "OECD", "OECD", "Organisation for Economic Co-operation and Development", (), "Paris", "FR"
    ),
    Organisation(
        "UNESCO",
        "UNESCO",
        "United Nations Educational, Scientific and Cultural Organization",
        (),
        "Paris",
        "FR",
    ),
    Organisation("WHO", "WHO", "World Health Organization", (), "Geneva", "CH"),
    Organisation("WTO", "WTO", "World Trade Organization", (), "Geneva", "CH"),
    Organisation("CSTO", "CSTO", "Collective Security Treaty Organization", (), "Moscow", "RU"),
    Organisation("SCO", "SCO", "Shanghai Cooperation Organisation", (), "Beijing", "CN"),
    Organisation("CIS", "CIS", "Commonwealth of Independent States", (), "Minsk", "BY"),
    Organisation(
        "EAEU", "Eurasian Economic Union", "Eurasian Economic Union", ("EAEU",), "Moscow", "RU"
    ),
    Organisation("GCC", "GCC", "Gulf Cooperation Council", (), "Riyadh", "SA"),
    Organisation("LAS", "Arab League", "League of Arab States", ("Arab League",), "Cairo", "EG"),
    Organisation("OIC", "OIC", "Organisation of Islamic Cooperation", (), "Jeddah", "SA"),
    Organisation(
        "Commonwealth",
        "Commonwealth of Nations",
        "Commonwealth of Nations",
        ("the Commonwealth",),
        "London",
        "GB",
    ),
)
"""The organisations a declaration may name by code alone; any other is declared with a slug,
a name and `kind: organisation`, as before. No code may be a state's: AU is Australia, so the
African Union is `AfricanUnion` (its usual "AU" is an alias, for the registry)."""

_UN_MEMBER_CODES = """\
AD AE AF AG AL AM AO AR AT AU AZ BA BB BD BE BF BG BH BI BJ BN BO BR BS BT BW BY BZ CA
CD CF CG CH CI CL CM CN CO CR CU CV CY CZ DE DJ DK DM DO DZ EC EE EG ER ES ET FI FJ FM
FR GA GB GD GE GH GM GN GQ GR GT GW GY HN HR HT HU ID IE IL IN IQ IR IS IT JM JO JP KE
KG KH KI KM KN KP KR KW KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MG MH MK ML MM
MN MR MT MU MV MW MX MY MZ NA NE NG NI NL NO NP NR NZ OM PA PE PG PH PK PL PT PW PY QA
RO RS RU RW SA SB SC SD SE SG SI SK SL SM SN SO SR SS ST SV SY SZ TD TG TH TJ TL TM TN
TO TR TT TV TZ UA UG US UY UZ VC VE VN VU WS YE ZA ZM ZW
"""
UN_MEMBERS = frozenset(_UN_MEMBER_CODES.split())
"""The 193 member states of the United Nations: the states whose words `domain/registry.py`
must know (a unit test checks each)."""
UN_OBSERVERS = frozenset({"VA", "PS"})
"""The non-member observer states: the Holy See and Palestine."""

COMMON_SLIPS = {"UK": "GB", "EL": "GR", "USA": "US", "GBR": "GB", "RUS": "RU", "CHN": "CN"}
"""Codes people write that are not ISO 3166-1 alpha-2: the hint names the right one."""


@dataclass(frozen=True)
class CodeEntry:
    code: str
    short_name: str
    kind: str
    """"state" or "organisation" (`PartyKind` values)."""
    name: str
    """The name a declaration by code alone gets: a state's short name, an organisation's full
    one."""

    @property
    def slug(self) -> str:
        return slugify(self.short_name)


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by hyphens: "Côte d'Ivoire" gives `cote-d-ivoire`."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


@cache
def _by_code() -> dict[str, CodeEntry]:
    entries = {}
    for line in _STATES.splitlines():
        code, name = line.split("\t")
        entries[code] = CodeEntry(code, name, "state", name)
    for organisation in ORGANISATIONS:
        assert organisation.code not in entries, f"{organisation.code} is a state's code"
        entries[organisation.code] = CodeEntry(
            organisation.code, organisation.short_name, "organisation", organisation.name
        )
    return entries


@cache
def _by_slug() -> dict[str, CodeEntry]:
    return {entry.slug: entry for entry in _by_code().values()}


def by_code(code: str) -> CodeEntry | None:
    """The entry of a code, exactly as written (`GB`, `NATO`, `CoE`), or None."""
    return _by_code().get(code)


def by_slug(slug: str) -> CodeEntry | None:
    """The code whose slug this is (`russia` is RU's): a party declared by slug alone, before
    codes existed, is the party of that code."""
    return _by_slug().get(slug)


def codes() -> list[str]:
    """Every code a party may be declared by, states' then organisations'."""
    return list(_by_code())


def organisation(code: str) -> Organisation | None:
    return next((o for o in ORGANISATIONS if o.code == code), None)


def unknown_code(code: str) -> str:
    """Why a code names no party, with the nearest right one where there is one."""
    upper = code.upper()
    hint = (
        COMMON_SLIPS.get(upper)
        or (code.lower() if code.lower() in _by_slug() else None)
        or next((c for c in _by_code() if c.upper() == upper), None)
    )
    said = f" (did you mean '{hint}'?)" if hint else ""
    return (
        f"'{code}' is neither a slug (lowercase) nor a known code{said}: a state is named by "
        "its ISO 3166-1 alpha-2 code (GB, RU), an organisation by one of "
        f"{', '.join(o.code for o in ORGANISATIONS)}"
    )
