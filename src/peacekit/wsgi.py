import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peacekit.settings")
application = get_wsgi_application()

# Each web process builds its URL table and compiles its templates now, not on the first
# requests it serves (peacekit/core/warmup.py). PEACEKIT_WARM_UP=0 skips it.
if os.environ.get("PEACEKIT_WARM_UP", "1") != "0":
    from peacekit.core.warmup import warm_up

    warm_up()
