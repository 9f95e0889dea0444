"""The editorial workflow's rules: which step leads from which status to which, and who may take it.

`editorial.services` applies the steps (the admin's buttons, its list actions and scripts all go
through it), so the rules in `editorial.permissions` hold whichever way a request arrives.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from regions.models import Region

from . import permissions
from .models import ArticleTransition
from .permissions import RequestUser

Status = Article.Status
Action = ArticleTransition.Action


class TransitionRefused(PermissionDenied):
    """The user may not take this step, or the article is not in a status it starts from."""


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    button: Promise
    needs_comment: bool = False

    def is_allowed(
        self, user: RequestUser, article: Article, regions: Iterable[Region] | None = None
    ) -> bool:
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
        # An article taken off the site for a correction may go back through review, where the
        # moderator sees what changed since readers last saw it.
        Transition(
            Action.SUBMIT,
            frozenset({Status.DRAFT, Status.RETURNED, Status.UNPUBLISHED}),
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


def available_transitions(user: RequestUser, article: Article) -> list[Transition]:
    """The steps the user may take with the article as it is now, for buttons and actions."""
    if article.is_trashed:
        return []
    return [
        transition
        for transition in TRANSITIONS.values()
        if article.status in transition.sources and transition.is_allowed(user, article)
    ]


def check_transition(
    article: Article,
    action: str,
    *,
    user: RequestUser,
    comment: str = "",
    regions: Iterable[Region] | None = None,
) -> Transition:
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


def apply_transition(
    article: Article,
    action: str,
    *,
    user: RequestUser,
    comment: str = "",
    regions: Iterable[Region] | None = None,
) -> ArticleTransition:
    """Check and change the status on the instance; `editorial.services` saves and records it."""
    transition = check_transition(article, action, user=user, comment=comment, regions=regions)
    from_status = article.status
    article.status = transition.target
    return ArticleTransition(
        article=article,
        action=transition.action,
        from_status=from_status,
        to_status=transition.target,
        # Only a signed-in user passes `check_transition`: an anonymous one is never stored.
        user=user if user.is_authenticated else None,
        comment=comment.strip(),
    )
