"""Adding and changing the sites of the network."""

from django.db import transaction

from newsroom.pagecache import bump_generation
from regions.services import region_for_name

from . import hosts
from .models import IMPRINT_FIELDS, Site, normalise_host


def save_site(*, site: Site) -> Site:
    """Validate and save a site. Every page shows its site's imprint, so cached pages go stale."""
    with transaction.atomic():
        site.full_clean()
        site.save()
        hosts.forget()
        transaction.on_commit(hosts.sites_changed)
        transaction.on_commit(bump_generation)
    return site


def add_site(
    *,
    domain: str,
    name: str,
    region_name: str | None = None,
    age_mark: str | None = None,
    make_default: bool = False,
) -> tuple[Site, bool]:
    """Create the site at `domain`, or update it, from the shell (`manage.py add_site`).

    A region named that does not exist yet is created, as the importer does. `make_default`
    moves the default mark to this site. Raises ValidationError with what is wrong.
    """
    with transaction.atomic():
        site = Site.objects.filter(domain=normalise_host(domain)).first()
        created = site is None
        if site is None:
            # A new site's imprint starts as the default site's, to be edited in the admin.
            site = Site(domain=domain)
            default = Site.objects.filter(is_default=True).first()
            for field in IMPRINT_FIELDS:
                setattr(site, field, getattr(default, field) if default else "")
        site.name = name
        if region_name:
            site.region = region_for_name(name=region_name)
        if age_mark is not None:
            site.age_mark = age_mark
        if make_default:
            Site.objects.exclude(pk=site.pk).filter(is_default=True).update(is_default=False)
            site.is_default = True
        save_site(site=site)
    return site, created
