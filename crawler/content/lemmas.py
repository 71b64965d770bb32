"""Word normalisation per language, so that a topic term matches its inflected forms.

* Russian and Ukrainian: pymorphy3's morphological analysers (the normal form of the
  likeliest parse, and of any other parse rated at least ``_LIKELY``: "перешли" is "перейти"
  as often as "переслать"; the Ukrainian analyser rates every dictionary parse alike, so there
  each gives a lemma; unknown words are analysed by their endings). Their DAWG dictionaries
  take about 30 and 20 MB.
* German: the Snowball stemmer (German compounds are matched with ``prefix*`` terms), run by
  PyStemmer's C code.
* English and every other language: simplemma's lemmatizer. Its dictionaries are large in
  memory (German ~130 MB, Russian ~145 MB, Ukrainian ~80 MB, English ~20 MB), which is why
  the languages above use the lighter tools; a dictionary is loaded only when its language is
  first used.

Every function returns lower case, so terms and text compare as equals.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Callable
from functools import cache, lru_cache

import pymorphy3
import simplemma
import snowballstemmer

Normaliser = Callable[[str], tuple[str, ...]]
_ANALYSERS = (  # the packages whose versions decide a word's normalised form
    "pymorphy3",
    "pymorphy3-dicts-ru",
    "pymorphy3-dicts-uk",
    "snowballstemmer",
    "PyStemmer",
    "simplemma",
)
_MORPHOLOGY = {"ru", "uk"}
_SNOWBALL = {"de": "german"}
# a parse at least this likely gives the word a lemma too (pymorphy3 rates a word's parses)
_LIKELY = 0.2


@cache
def normaliser(language: str) -> Normaliser:
    """The function that reduces a word of this language to the forms terms are compared in,
    the likeliest first."""
    if language in _MORPHOLOGY:
        analyser = pymorphy3.MorphAnalyzer(lang=language)
        return lambda word: _likely_lemmas(analyser.parse(word))
    if language in _SNOWBALL:
        stemmer = snowballstemmer.stemmer(_SNOWBALL[language])
        return lambda word: (str(stemmer.stemWord(word.lower())),)
    return lambda word: (_simplemma(word, language),)


def _likely_lemmas(parses: list[pymorphy3.analyzer.Parse]) -> tuple[str, ...]:
    found = [str(parses[0].normal_form).lower()]
    found += [str(p.normal_form).lower() for p in parses[1:] if p.score >= _LIKELY]
    return tuple(dict.fromkeys(found))


def _simplemma(word: str, language: str) -> str:
    try:
        return str(simplemma.lemmatize(word, lang=language)).lower()
    except ValueError:  # a language simplemma does not know
        return word.lower()


@lru_cache(maxsize=400_000)
def lemmas(word: str, language: str) -> tuple[str, ...]:
    """The normalised forms of a word in a language, the likeliest first (cached: news repeats
    its words)."""
    return normaliser(language)(word)


def lemma(word: str, language: str) -> str:
    """The likeliest normalised form of a word in a language."""
    return lemmas(word, language)[0]


@cache
def analyser_versions() -> tuple[str, ...]:
    """What a word's normalised form depends on besides the word: the analysers' package
    versions (a cache of normalised forms is keyed by them and by this module's code)."""
    versions = []
    for package in _ANALYSERS:
        try:
            versions.append(f"{package} {importlib.metadata.version(package)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{package} absent")
    return tuple(versions)
