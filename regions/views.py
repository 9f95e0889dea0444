from django.shortcuts import get_object_or_404

from articles.models import Article
from articles.views import ArticleListView

from .models import Region


class RegionArticleListView(ArticleListView):
    """A region's news includes the news of every region below it."""

    template_name = "regions/region_detail.html"

    def get_articles(self):
        self.subject = get_object_or_404(
            Region.objects.select_related("parent"), slug=self.kwargs["slug"]
        )
        self.heading = self.subject.name
        return Article.objects.published().in_region(self.subject)

    def get_context_data(self, **kwargs):
        return super().get_context_data(subregions=self.subject.children.all(), **kwargs)
