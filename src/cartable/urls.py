from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("", include("cartable.core.urls")),
    path("", include("cartable.portal.urls")),
    path("referentiel/", include("cartable.referential.urls")),
    path("services/", include("cartable.access.urls")),
    path("guide/", include("cartable.catalogue.urls_guide")),
    path("catalogue/", include("cartable.catalogue.urls")),
    path("tableau-ue/", include("cartable.catalogue.urls_dashboard")),
    path("tableau-ue/", include("cartable.enrolment.urls")),
    path("tableau-ue/", include("cartable.certification.urls_dashboard")),
    path("inscriptions/", include("cartable.enrolment.urls_campaigns")),
    path("sectionnement/", include("cartable.enrolment.urls_sectioning")),
    path("examens/", include("cartable.enrolment.urls_exams")),
    path("competences/", include("cartable.competencies.urls")),
    path("emploi-du-temps/", include("cartable.timetable.urls")),
    path("dossier/", include("cartable.records.urls")),
    path("badges/", include("cartable.certification.urls")),
    path("certification/", include("cartable.certification.urls_student")),
    path("api/v1/", include("cartable.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.CAS_ENABLED:
    from django_cas_ng import views as cas_views

    urlpatterns += [
        path("cas/login/", cas_views.LoginView.as_view(), name="cas_ng_login"),
        path("cas/logout/", cas_views.LogoutView.as_view(), name="cas_ng_logout"),
    ]
if settings.OIDC_ENABLED:
    urlpatterns += [path("oidc/", include("mozilla_django_oidc.urls"))]
