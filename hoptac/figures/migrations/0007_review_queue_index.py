"""The review queue in the order it is worked through (oldest submission first), from an index
(issue 20): a partial index holds only the sets waiting for review."""


from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('figures', '0006_rubric_own_bands'),
        ('registry', '0007_vietnamese_order_and_search_key'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='annualfigures',
            index=models.Index(condition=models.Q(('status__in', ['submitted', 'reviewed'])), fields=['year', 'submitted_at', 'id'], name='figures_waiting_idx'),
        ),
    ]
