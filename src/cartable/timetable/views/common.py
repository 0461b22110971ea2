"""What every screen of the weekly template shares: who may read, who may write."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from cartable.core.permissions import Role, has_any_role

from ..models import Semester

#: Who sees the screens; only the scolarité writes (the DSIN administrators read).
READERS = (Role.SCOLARITE, Role.DSIN_ADMIN)
EDITORS = (Role.SCOLARITE,)
PAGE_SIZE = 50


def may_edit(request: HttpRequest) -> bool:
    return has_any_role(request.user, set(EDITORS))


def semester_or_404(semester: str) -> str:
    if semester not in Semester.values:
        raise Http404(_("Semestre inconnu"))
    return semester


def semester_label(semester: str) -> str:
    return str(Semester(semester).label)
