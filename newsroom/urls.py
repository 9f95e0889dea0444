from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from . import views

admin.site.site_header = settings.NEWSROOM_PUBLICATION["name"]
admin.site.site_title = settings.NEWSROOM_PUBLICATION["name"]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("", include("articles.urls")),
    path("", include("regions.urls")),
    path("", include("staff.urls")),
    *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
]
