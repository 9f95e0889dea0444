from django.conf import settings


def publication(request):
    """The imprint and the site's age mark, shown in every page's footer."""
    return {"publication": settings.NEWSROOM_PUBLICATION}
