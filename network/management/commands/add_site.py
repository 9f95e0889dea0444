from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from network import services
from newsroom.models import AgeMark


class Command(BaseCommand):
    help = (
        "Create or update a site of the network by its domain; a region named that does not exist "
        "yet is created. The imprint of a new site starts as the default site's."
    )

    def add_arguments(self, parser):
        parser.add_argument("domain", help="the site's domain, e.g. toguchin.example.ru")
        parser.add_argument("--name", required=True, help="the publication's name")
        parser.add_argument("--region", help="the region the site covers, by name")
        parser.add_argument("--age-mark", choices=AgeMark.values, help="the site's age mark")
        parser.add_argument("--default", action="store_true", help="make it the default site")

    def handle(self, *args, domain, name, region, age_mark, default, **options):
        try:
            site, created = services.add_site(
                domain=domain,
                name=name,
                region_name=region,
                age_mark=age_mark,
                make_default=default,
            )
        except ValidationError as error:
            raise CommandError(
                _("Сайт не сохранён: %(problems)s") % {"problems": " ".join(error.messages)}
            ) from error
        done = (
            _("Сайт «%(name)s» создан: %(domain)s")
            if created
            else _("Сайт «%(name)s» обновлён: %(domain)s")
        )
        self.stdout.write(self.style.SUCCESS(done % {"name": site.name, "domain": site.domain}))
