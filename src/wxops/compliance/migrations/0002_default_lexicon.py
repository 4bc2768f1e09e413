"""Load the project's default rule set into a global lexicon, so it is edited like any other."""

from django.db import migrations

DEFAULT_NAME = "wxops default"


def load_default(apps, schema_editor):
    from wxops.compliance.lexicon import default_allowlist, default_terms

    Lexicon = apps.get_model("compliance", "Lexicon")
    Term = apps.get_model("compliance", "Term")
    AllowedPhrase = apps.get_model("compliance", "AllowedPhrase")
    if Lexicon.objects.filter(account=None, name=DEFAULT_NAME).exists():
        return
    lexicon = Lexicon.objects.create(name=DEFAULT_NAME, account=None,
                                     description="The default rule set written by the wxops project (附件一 内容规范).")
    Term.objects.bulk_create([
        Term(lexicon=lexicon, term=t.term, clause=t.clause, severity=t.severity.value, family=t.family,
             pinyin=t.pinyin, suggestion=t.suggestion)
        for t in default_terms()
    ])
    AllowedPhrase.objects.bulk_create([
        AllowedPhrase(lexicon=lexicon, phrase=phrase, note="default near-miss") for phrase in default_allowlist()
    ])


def unload_default(apps, schema_editor):
    apps.get_model("compliance", "Lexicon").objects.filter(account=None, name=DEFAULT_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("compliance", "0001_initial")]
    operations = [migrations.RunPython(load_default, unload_default)]
