from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "cartable.core"
    label = "core"
    verbose_name = _("Socle")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the personal-data check)
