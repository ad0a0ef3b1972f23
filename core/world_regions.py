"""Nationalities by region of the world, for generalising a nationality in de-identified
exports (core.anonymity): "Moldovan" -> Eastern Europe -> Europe.

Nationality is free text in the case file, so both the country's name and the adjective are
recognised, in any case, with a few spellings staff write in Albanian and Indonesian. The
regions are the United Nations' geographic regions (M49), with sub-Saharan Africa and Oceania
kept whole where the sub-regions would be too small to hide anyone. A text not recognised is
"other" one level up: it is never shown as written once the column is generalised.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from django.utils.translation import gettext, gettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

SUBREGIONS: dict[str, tuple[StrOrPromise, str]] = {
    # key: (label, continent key)
    "northern_africa": (gettext_lazy("Northern Africa"), "africa"),
    "eastern_africa": (gettext_lazy("Eastern Africa"), "africa"),
    "middle_africa": (gettext_lazy("Middle Africa"), "africa"),
    "southern_africa": (gettext_lazy("Southern Africa"), "africa"),
    "western_africa": (gettext_lazy("Western Africa"), "africa"),
    "latin_america": (gettext_lazy("Latin America and the Caribbean"), "americas"),
    "northern_america": (gettext_lazy("Northern America"), "americas"),
    "central_asia": (gettext_lazy("Central Asia"), "asia"),
    "eastern_asia": (gettext_lazy("Eastern Asia"), "asia"),
    "south_eastern_asia": (gettext_lazy("South-eastern Asia"), "asia"),
    "southern_asia": (gettext_lazy("Southern Asia"), "asia"),
    "western_asia": (gettext_lazy("Western Asia"), "asia"),
    "eastern_europe": (gettext_lazy("Eastern Europe"), "europe"),
    "northern_europe": (gettext_lazy("Northern Europe"), "europe"),
    "southern_europe": (gettext_lazy("Southern Europe"), "europe"),
    "western_europe": (gettext_lazy("Western Europe"), "europe"),
    "oceania": (gettext_lazy("Oceania"), "oceania"),
}

CONTINENTS: dict[str, StrOrPromise] = {
    "africa": gettext_lazy("Africa"),
    "americas": gettext_lazy("Americas"),
    "asia": gettext_lazy("Asia"),
    "europe": gettext_lazy("Europe"),
    "oceania": gettext_lazy("Oceania"),
}

# country | nationality | more names, comma-separated | sub-region
_COUNTRIES = """
Algeria|Algerian||northern_africa
Egypt|Egyptian||northern_africa
Libya|Libyan||northern_africa
Morocco|Moroccan||northern_africa
Sudan|Sudanese||northern_africa
Tunisia|Tunisian||northern_africa
Burundi|Burundian||eastern_africa
Djibouti|Djiboutian||eastern_africa
Eritrea|Eritrean||eastern_africa
Ethiopia|Ethiopian||eastern_africa
Kenya|Kenyan||eastern_africa
Madagascar|Malagasy||eastern_africa
Malawi|Malawian||eastern_africa
Mozambique|Mozambican||eastern_africa
Rwanda|Rwandan||eastern_africa
Somalia|Somali|Somalian|eastern_africa
South Sudan|South Sudanese||eastern_africa
Tanzania|Tanzanian||eastern_africa
Uganda|Ugandan||eastern_africa
Zambia|Zambian||eastern_africa
Zimbabwe|Zimbabwean||eastern_africa
Angola|Angolan||middle_africa
Cameroon|Cameroonian||middle_africa
Central African Republic|Central African||middle_africa
Chad|Chadian||middle_africa
Congo|Congolese|Democratic Republic of the Congo,DR Congo,DRC|middle_africa
Equatorial Guinea|Equatoguinean||middle_africa
Gabon|Gabonese||middle_africa
Botswana|Motswana|Botswanan|southern_africa
Eswatini|Swazi||southern_africa
Lesotho|Basotho||southern_africa
Namibia|Namibian||southern_africa
South Africa|South African||southern_africa
Benin|Beninese||western_africa
Burkina Faso|Burkinabe||western_africa
Cabo Verde|Cape Verdean|Cape Verde|western_africa
Côte d'Ivoire|Ivorian|Ivory Coast|western_africa
Gambia|Gambian||western_africa
Ghana|Ghanaian||western_africa
Guinea|Guinean||western_africa
Guinea-Bissau|Bissau-Guinean||western_africa
Liberia|Liberian||western_africa
Mali|Malian||western_africa
Mauritania|Mauritanian||western_africa
Niger|Nigerien||western_africa
Nigeria|Nigerian||western_africa
Senegal|Senegalese||western_africa
Sierra Leone|Sierra Leonean||western_africa
Togo|Togolese||western_africa
Argentina|Argentine|Argentinian|latin_america
Bolivia|Bolivian||latin_america
Brazil|Brazilian||latin_america
Chile|Chilean||latin_america
Colombia|Colombian||latin_america
Cuba|Cuban||latin_america
Dominican Republic|Dominican||latin_america
Ecuador|Ecuadorian||latin_america
El Salvador|Salvadoran|Salvadorian|latin_america
Guatemala|Guatemalan||latin_america
Haiti|Haitian||latin_america
Honduras|Honduran||latin_america
Jamaica|Jamaican||latin_america
Mexico|Mexican||latin_america
Nicaragua|Nicaraguan||latin_america
Panama|Panamanian||latin_america
Paraguay|Paraguayan||latin_america
Peru|Peruvian||latin_america
Uruguay|Uruguayan||latin_america
Venezuela|Venezuelan||latin_america
Canada|Canadian||northern_america
United States|American|USA,US,United States of America|northern_america
Kazakhstan|Kazakh|Kazakhstani|central_asia
Kyrgyzstan|Kyrgyz||central_asia
Tajikistan|Tajik||central_asia
Turkmenistan|Turkmen||central_asia
Uzbekistan|Uzbek||central_asia
China|Chinese||eastern_asia
Japan|Japanese||eastern_asia
Korea|Korean|South Korea,North Korea|eastern_asia
Mongolia|Mongolian||eastern_asia
Taiwan|Taiwanese||eastern_asia
Brunei|Bruneian||south_eastern_asia
Cambodia|Cambodian|Khmer|south_eastern_asia
Indonesia|Indonesian|WNI,Warga Negara Indonesia|south_eastern_asia
Laos|Lao|Laotian|south_eastern_asia
Malaysia|Malaysian||south_eastern_asia
Myanmar|Burmese|Myanma,Burma|south_eastern_asia
Philippines|Filipino|Filipina,Philippine|south_eastern_asia
Singapore|Singaporean||south_eastern_asia
Thailand|Thai||south_eastern_asia
Timor-Leste|Timorese|East Timor|south_eastern_asia
Viet Nam|Vietnamese|Vietnam|south_eastern_asia
Afghanistan|Afghan||southern_asia
Bangladesh|Bangladeshi||southern_asia
Bhutan|Bhutanese||southern_asia
India|Indian||southern_asia
Iran|Iranian||southern_asia
Maldives|Maldivian||southern_asia
Nepal|Nepali|Nepalese|southern_asia
Pakistan|Pakistani||southern_asia
Sri Lanka|Sri Lankan||southern_asia
Armenia|Armenian||western_asia
Azerbaijan|Azerbaijani|Azeri|western_asia
Bahrain|Bahraini||western_asia
Cyprus|Cypriot||western_asia
Georgia|Georgian||western_asia
Iraq|Iraqi||western_asia
Israel|Israeli||western_asia
Jordan|Jordanian||western_asia
Kuwait|Kuwaiti||western_asia
Lebanon|Lebanese||western_asia
Oman|Omani||western_asia
Palestine|Palestinian||western_asia
Qatar|Qatari||western_asia
Saudi Arabia|Saudi|Saudi Arabian|western_asia
Syria|Syrian||western_asia
Türkiye|Turkish|Turkey|western_asia
United Arab Emirates|Emirati|UAE|western_asia
Yemen|Yemeni||western_asia
Belarus|Belarusian||eastern_europe
Bulgaria|Bulgarian||eastern_europe
Czechia|Czech|Czech Republic|eastern_europe
Hungary|Hungarian||eastern_europe
Moldova|Moldovan|Republic of Moldova|eastern_europe
Poland|Polish|Pole|eastern_europe
Romania|Romanian||eastern_europe
Russia|Russian|Russian Federation|eastern_europe
Slovakia|Slovak|Slovakian|eastern_europe
Ukraine|Ukrainian||eastern_europe
Denmark|Danish|Dane|northern_europe
Estonia|Estonian||northern_europe
Finland|Finnish|Finn|northern_europe
Iceland|Icelandic||northern_europe
Ireland|Irish||northern_europe
Latvia|Latvian||northern_europe
Lithuania|Lithuanian||northern_europe
Norway|Norwegian||northern_europe
Sweden|Swedish|Swede|northern_europe
United Kingdom|British|UK,Great Britain,English,Scottish,Welsh|northern_europe
Albania|Albanian|Shqipëri,Shqiperi,Shqipëria,shqiptar,shqiptare|southern_europe
Bosnia and Herzegovina|Bosnian|Bosnia|southern_europe
Croatia|Croatian|Croat|southern_europe
Greece|Greek||southern_europe
Italy|Italian||southern_europe
Kosovo|Kosovar|Kosovan,kosovare|southern_europe
Malta|Maltese||southern_europe
Montenegro|Montenegrin||southern_europe
North Macedonia|Macedonian|Macedonia|southern_europe
Portugal|Portuguese||southern_europe
Serbia|Serbian|Serb|southern_europe
Slovenia|Slovenian|Slovene|southern_europe
Spain|Spanish|Spaniard|southern_europe
Austria|Austrian||western_europe
Belgium|Belgian||western_europe
France|French||western_europe
Germany|German||western_europe
Luxembourg|Luxembourgish|Luxembourger|western_europe
Netherlands|Dutch|Holland|western_europe
Switzerland|Swiss||western_europe
Australia|Australian||oceania
Fiji|Fijian||oceania
New Zealand|New Zealander||oceania
Papua New Guinea|Papua New Guinean||oceania
Samoa|Samoan||oceania
Solomon Islands|Solomon Islander||oceania
Tonga|Tongan||oceania
Vanuatu|Ni-Vanuatu||oceania
"""


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


@cache
def _nationalities() -> dict[str, tuple[str, str]]:
    """Every recognised name -> (the nationality as shown, sub-region key)."""
    names: dict[str, tuple[str, str]] = {}
    for line in _COUNTRIES.strip().splitlines():
        country, nationality, more, subregion = line.split("|")
        for name in (country, nationality, *filter(None, more.split(","))):
            names[_key(name)] = (nationality, subregion)
    return names


def nationality_as_recorded(value: str | None) -> str:
    """One spelling per nationality ("albania", "Albanian " -> "Albanian"), so that the same
    nationality typed two ways is one group; text not recognised stays as typed."""
    text = " ".join((value or "").split())
    if not text:
        return gettext("not known")
    known = _nationalities().get(text.casefold())
    return known[0] if known else text


def nationality_subregion(value: str | None) -> str:
    if not (value or "").strip():
        return gettext("not known")
    known = _nationalities().get(_key(value or ""))
    return str(SUBREGIONS[known[1]][0]) if known else gettext("other")


def nationality_continent(value: str | None) -> str:
    if not (value or "").strip():
        return gettext("not known")
    known = _nationalities().get(_key(value or ""))
    return str(CONTINENTS[SUBREGIONS[known[1]][1]]) if known else gettext("other")
