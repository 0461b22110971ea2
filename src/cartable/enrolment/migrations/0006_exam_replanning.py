"""Exam sessions keep the plan their candidates were told, so that a published session can be
re-planned moving as few exams as possible and republished telling only those concerned.
Sessions already published get their current plan as the published one."""

from typing import Any

from django.db import migrations, models


def keep_published_plans(apps: Any, schema_editor: Any) -> None:
    session_model = apps.get_model("enrolment", "ExamSession")
    exam_model = apps.get_model("enrolment", "SessionExam")
    for session in session_model.objects.filter(status="published"):
        session.published_plan = {
            str(exam.uuid): {
                "starts_at": exam.starts_at.isoformat(),
                "duration": exam.duration,
                "seating": dict(exam.seating),
            }
            for exam in exam_model.objects.filter(session=session, starts_at__isnull=False)
        }
        session.save(update_fields=["published_plan"])


class Migration(migrations.Migration):
    dependencies = [("enrolment", "0005_exam_sessions")]

    operations = [
        migrations.AddField(
            model_name="examsession",
            name="published_plan",
            field=models.JSONField(blank=True, default=dict, verbose_name="plan publié"),
        ),
        migrations.RunPython(keep_published_plans, migrations.RunPython.noop),
    ]
