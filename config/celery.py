"""The Celery application.

Broker: Redis when ``REDIS_URL`` is set, otherwise kombu's filesystem transport under
``var/celery`` so ``make run`` needs no server. Deadlines are rows scanned by beat
(``django_celery_beat``), never ETA/countdown tasks: on Redis a countdown longer than
the visibility timeout is delivered again and again.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("governance")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
