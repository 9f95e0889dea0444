from django_tasks_db.apps import TasksAppConfig


class TaskQueueConfig(TasksAppConfig):
    """django-tasks-db's app, named in Russian in the admin's sections (its own name is an
    untranslated "Tasks Database Backend")."""

    verbose_name = "Фоновые задачи"
