"""The 98 Danish municipalities: code, name, region and approximate inhabitants.

Codes, names and regions are public facts (Danmarks Statistik's municipality
codes). Inhabitants are rounded to thousands and only used to size the
synthetic benchmark figures, so they need not be exact.
"""

from __future__ import annotations

import unicodedata
from typing import NamedTuple


class Kommune(NamedTuple):
    code: int
    name: str
    region: str
    inhabitants: int  # thousands, approximate


H, SJ, SD, MJ, NJ = "Region Hovedstaden", "Region Sjælland", "Region Syddanmark", "Region Midtjylland", "Region Nordjylland"

KOMMUNER: tuple[Kommune, ...] = tuple(
    Kommune(*row)
    for row in (
        (101, "København", H, 660), (147, "Frederiksberg", H, 105), (151, "Ballerup", H, 52),
        (153, "Brøndby", H, 39), (155, "Dragør", H, 15), (157, "Gentofte", H, 75),
        (159, "Gladsaxe", H, 70), (161, "Glostrup", H, 24), (163, "Herlev", H, 30),
        (165, "Albertslund", H, 28), (167, "Hvidovre", H, 54), (169, "Høje-Taastrup", H, 58),
        (173, "Lyngby-Taarbæk", H, 57), (175, "Rødovre", H, 41), (183, "Ishøj", H, 24),
        (185, "Tårnby", H, 44), (187, "Vallensbæk", H, 17), (190, "Furesø", H, 42),
        (201, "Allerød", H, 26), (210, "Fredensborg", H, 41), (217, "Helsingør", H, 64),
        (219, "Hillerød", H, 54), (223, "Hørsholm", H, 25), (230, "Rudersdal", H, 57),
        (240, "Egedal", H, 44), (250, "Frederikssund", H, 46), (253, "Greve", SJ, 51),
        (259, "Køge", SJ, 62), (260, "Halsnæs", H, 32), (265, "Roskilde", SJ, 90),
        (269, "Solrød", SJ, 24), (270, "Gribskov", H, 42), (306, "Odsherred", SJ, 33),
        (316, "Holbæk", SJ, 73), (320, "Faxe", SJ, 38), (326, "Kalundborg", SJ, 49),
        (329, "Ringsted", SJ, 36), (330, "Slagelse", SJ, 80), (336, "Stevns", SJ, 23),
        (340, "Sorø", SJ, 30), (350, "Lejre", SJ, 29), (360, "Lolland", SJ, 40),
        (370, "Næstved", SJ, 84), (376, "Guldborgsund", SJ, 60), (390, "Vordingborg", SJ, 46),
        (400, "Bornholm", H, 39), (410, "Middelfart", SD, 39), (420, "Assens", SD, 41),
        (430, "Faaborg-Midtfyn", SD, 52), (440, "Kerteminde", SD, 24), (450, "Nyborg", SD, 32),
        (461, "Odense", SD, 208), (479, "Svendborg", SD, 60), (480, "Nordfyns", SD, 30),
        (482, "Langeland", SD, 12), (492, "Ærø", SD, 6), (510, "Haderslev", SD, 56),
        (530, "Billund", SD, 27), (540, "Sønderborg", SD, 74), (550, "Tønder", SD, 37),
        (561, "Esbjerg", SD, 116), (563, "Fanø", SD, 3), (573, "Varde", SD, 50),
        (575, "Vejen", SD, 43), (580, "Aabenraa", SD, 59), (607, "Fredericia", SD, 52),
        (615, "Horsens", MJ, 99), (621, "Kolding", SD, 95), (630, "Vejle", SD, 121),
        (657, "Herning", MJ, 90), (661, "Holstebro", MJ, 59), (665, "Lemvig", MJ, 19),
        (671, "Struer", MJ, 21), (706, "Syddjurs", MJ, 43), (707, "Norddjurs", MJ, 37),
        (710, "Favrskov", MJ, 50), (727, "Odder", MJ, 24), (730, "Randers", MJ, 99),
        (740, "Silkeborg", MJ, 99), (741, "Samsø", MJ, 4), (746, "Skanderborg", MJ, 65),
        (751, "Aarhus", MJ, 370), (756, "Ikast-Brande", MJ, 42), (760, "Ringkøbing-Skjern", MJ, 56),
        (766, "Hedensted", MJ, 47), (773, "Morsø", NJ, 20), (779, "Skive", MJ, 46),
        (787, "Thisted", NJ, 43), (791, "Viborg", MJ, 98), (810, "Brønderslev", NJ, 36),
        (813, "Frederikshavn", NJ, 58), (820, "Vesthimmerlands", NJ, 36), (825, "Læsø", NJ, 2),
        (840, "Rebild", NJ, 31), (846, "Mariagerfjord", NJ, 42), (849, "Jammerbugt", NJ, 38),
        (851, "Aalborg", NJ, 222), (860, "Hjørring", NJ, 64),
    )
)

assert len(KOMMUNER) == 98 and len({k.code for k in KOMMUNER}) == 98


def find(code: int) -> Kommune:
    """The municipality with this code; ValueError names the valid range if unknown."""
    for kommune in KOMMUNER:
        if kommune.code == code:
            return kommune
    raise ValueError(f"unknown municipality code {code} (use one of the 98 codes 101 … 860)")


def same_region(kommune: Kommune) -> list[str]:
    """Names of the other municipalities in the same region, in code order."""
    return [k.name for k in KOMMUNER if k.region == kommune.region and k.code != kommune.code]


def staff_prefix(kommune: Kommune) -> str:
    """Prefix of employee ids: the municipality's initial and B for 'Børn' (Svendborg -> SB)."""
    ascii_name = unicodedata.normalize("NFKD", kommune.name.replace("Æ", "Ae").replace("Ø", "O").replace("Å", "Aa"))
    return ascii_name[0].upper() + "B"
