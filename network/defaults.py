"""The default site: the one every installation has, made from the settings' imprint."""

from django.conf import settings

from .models import IMPRINT_FIELDS


def ensure_default_site(apps, using: str = "default") -> None:
    """Create the default site if there is none: by the migration that introduces sites, and
    after `flush` (tests), like the role groups."""
    Site = apps.get_model("network", "Site")
    if Site.objects.using(using).filter(is_default=True).exists():
        return
    publication = settings.NEWSROOM_PUBLICATION
    Site.objects.using(using).get_or_create(
        domain=settings.NEWSROOM_DEFAULT_SITE_DOMAIN,
        defaults={
            "name": publication["name"],
            "is_default": True,
            "age_mark": publication["age_mark"],
            **{field: publication[field] for field in IMPRINT_FIELDS},
        },
    )
