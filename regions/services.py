from .models import Region, RegionKind

KIND_HINTS = [
    ("област", RegionKind.OBLAST),
    ("край", RegionKind.OBLAST),
    ("республик", RegionKind.OBLAST),
    ("район", RegionKind.DISTRICT),
    ("округ", RegionKind.DISTRICT),
]


def guess_region_kind(name: str) -> str:
    """A best guess from the name, for regions that arrive by import; editors correct it."""
    lowered = name.lower()
    if lowered.startswith(("г. ", "город ")):
        return RegionKind.CITY
    for hint, kind in KIND_HINTS:
        if hint in lowered:
            return kind
    return RegionKind.SETTLEMENT


def region_for_name(*, name: str) -> Region:
    """The region with this name (any letter case), created at the top level if unknown."""
    region = Region.objects.filter(name__iexact=name).order_by("pk").first()
    if region is None:
        region = Region(name=name, kind=guess_region_kind(name))
        region.full_clean()
        region.save()
    return region


def ensure_region(*, name: str, kind: str, parent: Region | None = None) -> Region:
    """The region with this name under this parent, created if missing (used to seed trees)."""
    region, _ = Region.objects.get_or_create(name=name, parent=parent, defaults={"kind": kind})
    return region
