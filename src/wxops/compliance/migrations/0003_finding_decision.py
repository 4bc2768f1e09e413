"""``Finding`` (the decision model) becomes ``FindingDecision``: ``findings.Finding`` is the one finding.

The default permissions follow the new name (``change_finding`` → ``change_findingdecision``)
so that groups which were granted them keep them; ``override_finding`` keeps its name.
"""

from django.conf import settings
from django.db import migrations

RENAMED = {f"{action}_finding": f"{action}_findingdecision" for action in ("add", "change", "delete", "view")}


def rename_permissions(apps, schema_editor, mapping=RENAMED):
    Permission = apps.get_model("auth", "Permission")
    for old, new in mapping.items():
        Permission.objects.filter(content_type__app_label="compliance", codename=old).update(codename=new)


def restore_permissions(apps, schema_editor):
    rename_permissions(apps, schema_editor, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):

    dependencies = [
        ('compliance', '0002_default_lexicon'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('auth', '0012_alter_user_first_name_max_length'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel(
            old_name='Finding',
            new_name='FindingDecision',
        ),
        migrations.RunPython(rename_permissions, restore_permissions),
    ]
