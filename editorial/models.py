from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.models import Article


class ArticleTransition(models.Model):
    """One step of an article through the workflow: who moved it, when, where, and why."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("отправлено на проверку")
        PUBLISH = "publish", _("опубликовано")
        RETURN = "return", _("возвращено автору")
        UNPUBLISH = "unpublish", _("снято с публикации")
        TRASH = "trash", _("перемещено в корзину")
        RESTORE = "restore", _("восстановлено из корзины")

    article = models.ForeignKey(
        Article, verbose_name=_("статья"), on_delete=models.CASCADE, related_name="transitions"
    )
    action = models.CharField(_("действие"), max_length=20, choices=Action.choices)
    from_status = models.CharField(_("было"), max_length=20, choices=Article.Status.choices)
    to_status = models.CharField(_("стало"), max_length=20, choices=Article.Status.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    comment = models.TextField(_("комментарий"), blank=True)
    created_at = models.DateTimeField(_("когда"), auto_now_add=True)

    class Meta:
        verbose_name = _("шаг работы над статьёй")
        verbose_name_plural = _("история статуса")
        ordering = ["-created_at", "-pk"]
        # Created in the articles app; moved here with the workflow, the table kept its name.
        db_table = "articles_articletransition"

    def __str__(self):
        return f"{self.get_action_display()}: {self.article}"


# taggit has no types (see `Article`): the plugin cannot see the manager of the tag links.
class NetworkArticle(Article):  # type: ignore[django-manager-missing]
    """The "Лента сети": other sites' published articles, as a district editor picks them up."""

    class Meta:
        proxy = True
        verbose_name = _("материал сети")
        verbose_name_plural = _("лента сети")
