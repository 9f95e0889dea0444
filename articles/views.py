from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView, TemplateView

from .models import Article, Rubric, Tag

HOME_GRID_SIZE = 6
HOME_ARTICLES_PER_RUBRIC = 4


class HomeView(TemplateView):
    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        published = Article.objects.published().for_list()
        lead_story = published.order_by("-is_featured", "-published_at", "-pk").first()
        others = published.exclude(pk=lead_story.pk) if lead_story else published
        top_articles = list(others[:HOME_GRID_SIZE])
        sections = {}
        for article in (
            others.exclude(pk__in=[article.pk for article in top_articles])
            .latest_per_rubric(HOME_ARTICLES_PER_RUBRIC)
            .order_by("rubric__order", "rubric__name", "-published_at", "-pk")
        ):
            sections.setdefault(article.rubric, []).append(article)
        return super().get_context_data(
            lead_story=lead_story,
            top_articles=top_articles,
            sections=sections.items(),
            **kwargs,
        )


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return Article.objects.published().for_article_page()


class ArticleListView(ListView):
    """A paginated list of published articles under a heading: the base of every list page."""

    paginate_by = 20
    template_name = "articles/article_list.html"
    context_object_name = "articles"

    def get_articles(self):
        raise NotImplementedError

    def get_queryset(self):
        return self.get_articles().for_list()

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=self.heading, subject=self.subject, **kwargs)


class RubricArticleListView(ArticleListView):
    def get_articles(self):
        self.subject = get_object_or_404(Rubric, slug=self.kwargs["slug"])
        self.heading = self.subject.name
        return Article.objects.published().filter(rubric=self.subject)


class TagArticleListView(ArticleListView):
    def get_articles(self):
        self.subject = get_object_or_404(Tag, slug=self.kwargs["slug"])
        self.heading = f"#{self.subject.name}"
        return Article.objects.published().filter(tags=self.subject)
