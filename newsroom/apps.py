from axes.apps import AppConfig as AxesAppConfig
from django_tasks_db.apps import TasksAppConfig


class TaskQueueConfig(TasksAppConfig):
    """django-tasks-db's app, named in Russian in the admin's sections (its own name is an
    untranslated "Tasks Database Backend")."""

    verbose_name = "Фоновые задачи"


class LoginProtectionConfig(AxesAppConfig):
    """django-axes' app (newsroom/logins.py), named in Russian in the admin's sections: there
    a superuser sees the failed logins and lifts a lockout early by deleting its attempts."""

    verbose_name = "Защита входа"
