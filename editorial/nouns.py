"""The Russian nouns of the editorial admin's models, in the forms its phrases need."""

from newsroom.russian import Gender, Noun

RUBRIC = Noun(
    one="рубрика",
    few="рубрики",
    many="рубрик",
    plural="рубрики",
    accusative="рубрику",
    gender=Gender.FEMININE,
)
TAG = Noun(
    one="тег",
    few="тега",
    many="тегов",
    plural="теги",
    accusative="тег",
    gender=Gender.MASCULINE,
)
ARTICLE = Noun(
    one="статья",
    few="статьи",
    many="статей",
    plural="статьи",
    accusative="статью",
    gender=Gender.FEMININE,
)
SITE = Noun(
    one="сайт",
    few="сайта",
    many="сайтов",
    plural="сайты",
    accusative="сайт",
    gender=Gender.MASCULINE,
)
NETWORK_ARTICLE = Noun(
    one="материал сети",
    few="материала сети",
    many="материалов сети",
    plural="лента сети",
    accusative="материал сети",
    gender=Gender.MASCULINE,
)
PLACEMENT = Noun(
    one="размещение",
    few="размещения",
    many="размещений",
    plural="размещения",
    accusative="размещение",
    gender=Gender.NEUTER,
)
