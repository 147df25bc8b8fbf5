from django.utils.translation import gettext_lazy as _

from hoptac.core import appconfig


class TrainingConfig(appconfig.DomainConfig):
    name = "hoptac.training"
    label = "training"
    verbose_name = _("Managers and training")
    organisation_section = "training/_organisation_section.html"
    demo_builder = "hoptac.training.demo.build"
