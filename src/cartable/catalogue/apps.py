from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "cartable.catalogue"
    label = "catalogue"
    verbose_name = _("Offre de formation")

    def ready(self) -> None:
        from .search_index import ensure_after_migrate

        post_migrate.connect(ensure_after_migrate, sender=self)
