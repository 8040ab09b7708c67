"""People's names as the duplicate check compares them: the same key for every spelling and script.

Names of people from Syria, Afghanistan or Eritrea reach German offices in
many spellings (Mohammed, Muhammad, Mohamad; Al-Hassan, Alhasan) and scripts
(محمد الحسن). Names are compared by their consonant skeleton after
transliteration: vowels, doubled letters, articles and punctuation are where
the spellings differ, consonants rarely do. The key is stored with the account
(``User.name_key``) so that the duplicate check finds its candidates by an index
instead of transliterating every name on every page view.
"""

import re
from difflib import SequenceMatcher

from anyascii import anyascii

SIMILAR_NAME_RATIO = 0.8
ARTICLES = ("al", "el", "ul", "ad", "ar", "as", "at", "az", "an", "ash")
NAME_KEY_LENGTH = 120


def name_skeleton(name: str) -> str:
    """``Muhammad Al-Hassan`` and ``محمد الحسن`` both become ``mhmd hsn``."""
    words = re.findall(r"[a-z]+", anyascii(name).lower().replace("-", " "))
    skeletons = []
    for word in words:
        if word in ARTICLES:
            continue
        for article in ARTICLES:
            if word.startswith(article) and len(word) > len(article) + 2:
                word = word[len(article) :]
                break
        consonants = word[0] + re.sub(r"[aeiouy]", "", word[1:])
        skeletons.append(re.sub(r"(.)\1+", r"\1", consonants.replace("kh", "h").replace("ph", "f")))
    return " ".join(skeletons)


def name_key(name: str) -> str:
    """The skeleton's words in alphabetical order (first and family name in either order give one key)."""
    return " ".join(sorted(name_skeleton(name).split()))[:NAME_KEY_LENGTH]


def name_key_closeness(first: str, second: str) -> float | None:
    """How alike two name keys are (difflib's ratio) when they are close enough to be one person's name
    spelled twice, else None. The cheap upper bounds of the ratio come first, as in difflib's
    ``get_close_matches``: most keys a duplicate check compares are not close."""
    if not (first and second):
        return None
    matcher = SequenceMatcher(None, first, second)
    if matcher.real_quick_ratio() < SIMILAR_NAME_RATIO or matcher.quick_ratio() < SIMILAR_NAME_RATIO:
        return None
    ratio = matcher.ratio()
    return ratio if ratio >= SIMILAR_NAME_RATIO else None


def similar_keys(first: str, second: str) -> bool:
    """Whether two name keys are close enough to be one person's name spelled twice."""
    return name_key_closeness(first, second) is not None


def similar_names(first: str, second: str) -> bool:
    return similar_keys(name_key(first), name_key(second))
