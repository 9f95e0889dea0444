"""The demo's photographs: real, freely licensed photos shipped in demo/photos/, with the words
the library keeps for each (see demo/photos/CREDITS.md for where each comes from)."""

from dataclasses import dataclass
from pathlib import Path

PHOTOS_DIR = Path(__file__).resolve().parent / "photos"


@dataclass(frozen=True)
class DemoPhoto:
    file: str
    title: str
    alt: str
    caption: str
    credit: str
    focal_x: float = 0.5
    focal_y: float = 0.5

    @property
    def path(self) -> Path:
        return PHOTOS_DIR / self.file


BY_BERASATEGI = "Фото: Aitzol Berasategi, CC BY 4.0"

PHOTOS = [
    DemoPhoto(
        "mountains-autumn.jpg",
        "Горы и осенний лес",
        "Зелёный луг у подножия гор, склоны покрыты жёлтым осенним лесом",
        "Осень в предгорьях",
        BY_BERASATEGI,
        focal_y=0.45,
    ),
    DemoPhoto(
        "forest-stream.jpg",
        "Лесной ручей",
        "Ручей бежит по камням среди деревьев",
        "Ручей в лесу",
        BY_BERASATEGI,
    ),
    DemoPhoto(
        "dandelions.jpg",
        "Одуванчики на лугу",
        "Пушистые одуванчики на лугу в лучах низкого солнца",
        "Одуванчики отцвели",
        "Фото: Clemens Engelhardt, CC0",
        focal_x=0.3,
        focal_y=0.45,
    ),
    DemoPhoto(
        "sunset.jpg",
        "Закат над холмами",
        "Солнце садится за холмы, впереди каменистая вершина",
        "Закат",
        BY_BERASATEGI,
        focal_y=0.4,
    ),
    DemoPhoto(
        "dogs-at-window.jpg",
        "Две собаки в окне",
        "Две рыжие собаки выглядывают из окна деревянного дома",
        "Соседи ждут хозяев",
        BY_BERASATEGI,
        focal_x=0.45,
        focal_y=0.3,
    ),
    DemoPhoto(
        "mountain-trail.jpg",
        "Тропа в горах",
        "Тропа ведёт через горный луг к скалистым вершинам со снегом",
        "Тропа к перевалу",
        BY_BERASATEGI,
    ),
    DemoPhoto(
        "fig.jpg",
        "Инжир на блюде",
        "Разрезанный пополам инжир на красном блюде",
        "Инжир",
        'Фото: Trevor "Freespace", CC BY 4.0',
        focal_x=0.55,
        focal_y=0.5,
    ),
    DemoPhoto(
        "nuthatch.jpg",
        "Поползень на дереве",
        "Поползень сидит на стволе дерева",
        "Поползень — частый гость у кормушек",
        "Фото: Lukas Baubkus, CC BY-SA 3.0",
        focal_x=0.72,
        focal_y=0.55,
    ),
    DemoPhoto(
        "bridge.jpg",
        "Ванты моста",
        "Стальные тросы моста на фоне неба и морского берега",
        "Вантовый мост",
        "Фото: Sander Klootwijk, CC BY-SA 4.0",
        focal_x=0.4,
    ),
]

# The card image (og:image of pages without a photo) of the oblast's site, then of each
# district site in the order of `demo.content.SITES`.
CARD_IMAGES = ["mountains-autumn.jpg", "forest-stream.jpg", "sunset.jpg", "dandelions.jpg"]
