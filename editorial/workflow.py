"""Moving articles through the editorial workflow, with every step checked and recorded.

The admin's buttons, its list actions and any script call these functions, so the rules in
`editorial.permissions` hold whichever way a request arrives.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from articles.models import Article

from . import permissions, revisions
from .models import ArticleTransition

Status = Article.Status
Action = ArticleTransition.Action


class TransitionRefused(PermissionDenied):
    """The user may not take this step, or the article is not in a status it starts from."""


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset
    target: str
    button: Promise
    needs_comment: bool = False

    def is_allowed(self, user, article, regions=None):
        if self.action == Action.SUBMIT:
            return permissions.can_edit(user, article, regions)
        if self.action == Action.RETURN:
            return permissions.can_review(user, article, regions)
        if self.action == Action.PUBLISH and article.status == Status.REVIEW:
            return permissions.can_review(user, article, regions)
        return permissions.can_publish(user, article, regions)


TRANSITIONS = {
    transition.action: transition
    for transition in [
        Transition(
            Action.SUBMIT,
            frozenset({Status.DRAFT, Status.RETURNED}),
            Status.REVIEW,
            _("Отправить на проверку"),
        ),
        Transition(
            Action.PUBLISH,
            frozenset({Status.DRAFT, Status.REVIEW, Status.RETURNED, Status.UNPUBLISHED}),
            Status.PUBLISHED,
            _("Опубликовать"),
        ),
        Transition(
            Action.RETURN,
            frozenset({Status.REVIEW}),
            Status.RETURNED,
            _("Вернуть автору"),
            needs_comment=True,
        ),
        Transition(
            Action.UNPUBLISH,
            frozenset({Status.PUBLISHED}),
            Status.UNPUBLISHED,
            _("Снять с публикации"),
        ),
    ]
}


def available_transitions(user, article):
    """The steps the user may take with the article as it is now, for buttons and actions."""
    if article.is_trashed:
        return []
    return [
        transition
        for transition in TRANSITIONS.values()
        if article.status in transition.sources and transition.is_allowed(user, article)
    ]


def check_transition(article, action, *, user, comment="", regions=None):
    """Raise TransitionRefused with a reason the user can read, or return the transition.

    `regions` are the regions the article is about to be saved with, when a form changes them.
    """
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise TransitionRefused(_("Неизвестное действие."))
    if article.is_trashed:
        raise TransitionRefused(_("Статья в корзине: сначала восстановите её."))
    if article.status not in transition.sources:
        raise TransitionRefused(
            _("Из статуса «%(status)s» этого сделать нельзя.")
            % {"status": article.get_status_display()}
        )
    if not transition.is_allowed(user, article, regions):
        raise TransitionRefused(_("У вас нет права на это действие с этой статьёй."))
    if transition.needs_comment and not comment.strip():
        raise TransitionRefused(_("Напишите автору, что исправить."))
    return transition


def apply_transition(article, action, *, user, comment="", regions=None):
    """Check and change the status on the instance; the caller saves it, then records it."""
    transition = check_transition(article, action, user=user, comment=comment, regions=regions)
    from_status = article.status
    article.status = transition.target
    if transition.target == Status.PUBLISHED and article.published_at is None:
        article.published_at = timezone.now()
    article.updated_by = user
    return ArticleTransition(
        article=article,
        action=transition.action,
        from_status=from_status,
        to_status=transition.target,
        user=user,
        comment=comment.strip(),
    )


@transaction.atomic
def transition(article, action, *, user, comment=""):
    """Take one workflow step with a stored article and record it."""
    article = Article.objects.select_for_update(of=("self",)).get(pk=article.pk)
    step = apply_transition(article, action, user=user, comment=comment)
    with revisions.recording(user=user, comment=step.get_action_display().capitalize()):
        article.save()
    step.save()
    return article


def move_to_trash(article, *, user):
    """Readers get 410 Gone for the article until someone restores it."""
    return _set_trashed(article, user=user, trashed=True)


def restore_from_trash(article, *, user):
    return _set_trashed(article, user=user, trashed=False)


@transaction.atomic
def _set_trashed(article, *, user, trashed):
    article = Article.objects.select_for_update(of=("self",)).get(pk=article.pk)
    if trashed and not permissions.can_trash(user, article):
        raise TransitionRefused(_("У вас нет права удалить эту статью."))
    if not trashed and not permissions.can_restore(user, article):
        raise TransitionRefused(_("У вас нет права восстановить эту статью."))
    article.deleted_at = timezone.now() if trashed else None
    article.deleted_by = user if trashed else None
    article.updated_by = user
    action = Action.TRASH if trashed else Action.RESTORE
    with revisions.recording(user=user, comment=action.label.capitalize()):
        article.save()
    _record(article, action, user)
    return article


@transaction.atomic
def empty_trash(articles, *, user):
    """Delete the given trashed articles for good; refuse all if any is not the user's to delete."""
    articles = list(articles)
    for article in articles:
        if not permissions.can_empty_trash(user, article):
            raise TransitionRefused(
                _("Статью «%(title)s» удалить навсегда нельзя.") % {"title": article.title}
            )
    Article.objects.filter(pk__in=[article.pk for article in articles]).delete()
    return len(articles)


def _record(article, action, user, comment=""):
    ArticleTransition.objects.create(
        article=article,
        action=action,
        from_status=article.status,
        to_status=article.status,
        user=user,
        comment=comment,
    )
