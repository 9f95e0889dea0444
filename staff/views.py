from django.shortcuts import get_object_or_404

from articles.models import Article
from articles.views import ArticleListView

from .models import StaffProfile


class AuthorArticleListView(ArticleListView):
    template_name = "staff/author_detail.html"

    def get_articles(self):
        self.subject = get_object_or_404(StaffProfile, slug=self.kwargs["slug"])
        self.heading = self.subject.public_name
        return Article.objects.published().filter(authors=self.subject)
