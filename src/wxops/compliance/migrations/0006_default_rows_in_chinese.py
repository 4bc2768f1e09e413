"""The default rule set's rows say what they are in Chinese: the allowlist's note said "default
near-miss" and the lexicon's description was English, on lists editors read (issue 16)."""

from django.db import migrations

OLD_NOTE = "default near-miss"
OLD_DESCRIPTION = "The default rule set written by the wxops project (附件一 内容规范)."


def to_chinese(apps, schema_editor):
    from wxops.compliance.defaults import DEFAULT_DESCRIPTION, DEFAULT_NAME, NEAR_MISS_NOTE

    apps.get_model("compliance", "AllowedPhrase").objects.filter(note=OLD_NOTE).update(note=NEAR_MISS_NOTE)
    apps.get_model("compliance", "Lexicon").objects.filter(
        account=None, name=DEFAULT_NAME, description=OLD_DESCRIPTION).update(description=DEFAULT_DESCRIPTION)


def to_english(apps, schema_editor):
    from wxops.compliance.defaults import DEFAULT_DESCRIPTION, DEFAULT_NAME, NEAR_MISS_NOTE

    apps.get_model("compliance", "AllowedPhrase").objects.filter(note=NEAR_MISS_NOTE).update(note=OLD_NOTE)
    apps.get_model("compliance", "Lexicon").objects.filter(
        account=None, name=DEFAULT_NAME, description=DEFAULT_DESCRIPTION).update(description=OLD_DESCRIPTION)


class Migration(migrations.Migration):
    dependencies = [("compliance", "0005_remove_own_api_token")]
    operations = [migrations.RunPython(to_chinese, to_english)]
