from django.urls import path

from . import views_assessments as views
from . import views_badge_admin, views_claims, views_pix, views_rules

app_name = "certification"

urlpatterns = [
    path("mes-competences/", views.my_competencies, name="mine"),
]

urlpatterns += [
    path("experiences/", views_claims.my_claims, name="claims"),
    path("experiences/nouvelle/", views_claims.claim_new, name="claim_new"),
    path("experiences/a-traiter/", views_claims.claims_queue, name="claims_queue"),
    path("experiences/<uuid:key>/", views_claims.claim, name="claim"),
    path(
        "experiences/<uuid:key>/fichiers/<uuid:file_key>",
        views_claims.claim_file,
        name="claim_file",
    ),
]

urlpatterns += [path("pix/import/", views_pix.pix_import, name="pix_import")]

urlpatterns += [
    path("regles/", views_rules.rules, name="rules"),
    path(
        "regles/referentiels/<uuid:framework_uuid>/",
        views_rules.aggregation_rule,
        name="aggregation_rule",
    ),
    path("regles/credits/", views_rules.credit_rule, name="credit_rule"),
    path("regles/badges/", views_rules.achievement_new, name="achievement_new"),
    path(
        "regles/badges/<uuid:achievement_uuid>/",
        views_rules.achievement_active,
        name="achievement_active",
    ),
]

urlpatterns += [
    path("badges/", views_badge_admin.badges, name="badges"),
    path("badges.csv", views_badge_admin.badges_csv, name="badges_csv"),
    path("badges/<uuid:key>/revocation/", views_badge_admin.revoke, name="badge_revoke"),
    path("badges/cle/", views_badge_admin.rotate_key, name="rotate_key"),
]
