"""System check: every model of a Cartable app declares its personal data."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.checks import CheckMessage, Error, Tags, register

from .personal_data import PersonalData


@register(Tags.models)
def personal_data_declared(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    for model in apps.get_models():
        if not model.__module__.startswith("cartable."):
            continue
        declaration = getattr(model, "personal_data", None)
        if not isinstance(declaration, PersonalData):
            errors.append(
                Error(
                    f"{model._meta.label} does not declare its personal data.",
                    hint="Add `personal_data = PersonalData(...)` (or PersonalData.none()).",
                    obj=model,
                    id="cartable.E001",
                )
            )
            continue
        field_names = {f.name for f in model._meta.get_fields()}
        for name in declaration.fields:
            if name not in field_names:
                errors.append(
                    Error(
                        f"{model._meta.label} declares unknown personal-data field {name!r}.",
                        obj=model,
                        id="cartable.E002",
                    )
                )
        if declaration.fields and not declaration.retention:
            errors.append(
                Error(
                    f"{model._meta.label} holds personal data but states no retention.",
                    obj=model,
                    id="cartable.E003",
                )
            )
    return errors
