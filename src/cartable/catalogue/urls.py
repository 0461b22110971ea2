"""Staff screens of the catalogue: yearly cycle, import/export, competency maps."""

from . import urls_competency_map, urls_cycle, urls_io

app_name = "catalogue"

urlpatterns = [
    *urls_cycle.urlpatterns,
    *urls_io.urlpatterns,
    *urls_competency_map.urlpatterns,
]
