"""The project package: settings, URLs, the Celery application and WSGI entry point,
apart from the apps."""

from .celery import app as celery_app

__all__ = ("celery_app",)
