"""Russian nouns in the forms a sentence needs.

Django knows a model by `verbose_name` and `verbose_name_plural` only, and builds every admin
phrase from those: "Добавить статья", "5 статьи", «Статья "…" был успешно добавлен». And
`ngettext` with Russian source strings and no catalogue falls back to the English rule (one,
other), so "5 статьи" again. A `Noun` carries the forms and the gender that Russian agreement
needs, written out once per model rather than guessed by a morphological analyser.
"""

from dataclasses import dataclass
from enum import Enum


class Gender(Enum):
    MASCULINE = "m"
    FEMININE = "f"
    NEUTER = "n"


def plural_form(count: int, one: str, few: str, many: str) -> str:
    """The form a number takes: 1, 21, 101 статья; 2–4, 22 статьи; 5–20, 25, 111 статей."""
    count = abs(count)
    if count % 10 == 1 and count % 100 != 11:
        return one
    if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        return few
    return many


@dataclass(frozen=True)
class Noun:
    """A noun's forms: `one` (nominative, «статья»), `few` (genitive singular, after 2–4:
    «статьи»), `many` (genitive plural, after 5–20: «статей»), `plural` (nominative plural,
    «статьи»), `accusative` («статью»: «Добавить статью»), and its gender and animacy for
    the words that agree with it."""

    one: str
    few: str
    many: str
    plural: str
    accusative: str
    gender: Gender
    animate: bool = False

    @property
    def genitive(self) -> str:
        return self.few

    def counted(self, count: int) -> str:
        """«1 статья», «2 статьи», «5 статей», with a no-break space."""
        return f"{count}\N{NO-BREAK SPACE}{plural_form(count, self.one, self.few, self.many)}"

    def agree(self, *, masculine: str, feminine: str, neuter: str) -> str:
        """The word that agrees with the noun's gender: добавлен / добавлена / добавлено."""
        return {
            Gender.MASCULINE: masculine,
            Gender.FEMININE: feminine,
            Gender.NEUTER: neuter,
        }[self.gender]

    def another(self) -> str:
        """«ещё одну статью», «ещё один тег», «ещё одного сотрудника», «ещё одно фото»."""
        if self.gender is Gender.MASCULINE:
            one = "одного" if self.animate else "один"
        else:
            one = self.agree(masculine="один", feminine="одну", neuter="одно")
        return f"ещё {one} {self.accusative}"
