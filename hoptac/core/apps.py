from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hoptac.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from django.db.backends.signals import connection_created
        from django.urls import register_converter

        from hoptac.core.collation import register_sqlite_collation
        from hoptac.core.forms import restate_date_formats
        from hoptac.core.validation import YearConverter

        restate_date_formats()
        register_converter(YearConverter, "year")  # `<year:year>` in every URL that names a year
        connection_created.connect(register_sqlite_collation, dispatch_uid="hoptac-vi-collation")
