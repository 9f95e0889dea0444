"""The newsroom's roles as Django groups, with their permissions written down here in code.

A data migration creates the groups; `post_migrate` gives them exactly the permissions listed
here after every `migrate`, so a permission added here reaches every installation with its next
`migrate` instead of by hand in the admin.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

AUTHORS = "Авторы"
EDITORS = "Редакторы"
MODERATORS = "Модераторы"
NETWORK_DESK = "Редакция сети"

_WRITING = [
    "articles.add_article",
    "articles.change_article",
    "articles.view_article",
    "articles.add_articleauthor",
    "articles.change_articleauthor",
    "articles.delete_articleauthor",
    "articles.view_articleauthor",
    "editorial.view_articletransition",
    "articles.view_rubric",
    "articles.view_tag",
    "regions.view_region",
    "staff.view_staffprofile",
    # The photo library: upload, describe, set the focal point.
    "photos.add_image",
    "photos.change_image",
    "photos.view_image",
]

ROLE_PERMISSIONS = {
    # Write, edit their own drafts, send them for review.
    AUTHORS: _WRITING,
    # Authors' rights, plus every article of their desk regions: edit, publish, schedule,
    # unpublish; and emptying the trash, which deletes for good.
    EDITORS: [
        *_WRITING,
        "articles.view_all_articles",
        "articles.edit_others_articles",
        "articles.publish_article",
        "articles.delete_article",
        "articles.change_tag",
        "photos.delete_image",
    ],
    # Editors' rights on every site of the network: they push articles to the districts.
    NETWORK_DESK: [
        *_WRITING,
        "articles.view_all_articles",
        "articles.edit_others_articles",
        "articles.publish_article",
        "articles.work_on_any_site",
        "articles.change_tag",
    ],
    # Rubrics and age marks; approve or return what is in review; see everything.
    MODERATORS: [
        "articles.view_article",
        "articles.change_article",
        "articles.view_all_articles",
        "articles.review_article",
        "articles.set_age_mark",
        "articles.view_articleauthor",
        "editorial.view_articletransition",
        "articles.add_rubric",
        "articles.change_rubric",
        "articles.delete_rubric",
        "articles.view_rubric",
        "articles.view_tag",
        "regions.view_region",
        "staff.view_staffprofile",
    ],
}


def create_role_groups(apps, using="default"):
    """The empty groups; `sync_role_groups` gives them their permissions after `migrate`."""
    Group = apps.get_model("auth", "Group")
    for name in ROLE_PERMISSIONS:
        Group.objects.using(using).get_or_create(name=name)


def sync_role_groups(apps, using="default"):
    """Create the role groups and give each exactly the permissions listed above.

    Runs in `post_migrate`, which Django sends app by app: the permissions of the apps after
    this one are made here first, from the installed apps' configs (the historical ones that
    `migrate` passes have no models module, which `create_permissions` needs).
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, apps=apps, verbosity=0, using=using)
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        wanted = [codename.split(".") for codename in codenames]
        permissions = [
            Permission.objects.using(using).get(content_type__app_label=app, codename=codename)
            for app, codename in wanted
        ]
        group.permissions.set(permissions)
