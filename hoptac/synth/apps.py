from django.apps import AppConfig


class SynthConfig(AppConfig):
    """`hoptac synth`: benchmark data across the domain apps, so it sits above all of them."""

    name = "hoptac.synth"
    label = "synth"
    verbose_name = "Synthetic benchmark data"
