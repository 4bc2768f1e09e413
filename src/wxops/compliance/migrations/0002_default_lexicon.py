"""Load the project's default rule set into a global lexicon, so it is edited like any other."""

from django.db import migrations

from wxops.compliance.defaults import DEFAULT_NAME, load_default_lexicon


def load_default(apps, schema_editor):
    load_default_lexicon(apps.get_model("compliance", "Lexicon"), apps.get_model("compliance", "Term"),
                         apps.get_model("compliance", "AllowedPhrase"))


def unload_default(apps, schema_editor):
    apps.get_model("compliance", "Lexicon").objects.filter(account=None, name=DEFAULT_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("compliance", "0001_initial")]
    operations = [migrations.RunPython(load_default, unload_default)]
