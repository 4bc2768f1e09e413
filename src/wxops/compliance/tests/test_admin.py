"""The admin for lexicons: listings, import and export of terms, permissions."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wxops.compliance.models import Lexicon

pytestmark = pytest.mark.django_db


def test_listings_show_the_default_lexicon_with_import_and_export(client, administrator, default_lexicon):
    client.force_login(administrator)
    lexicon = default_lexicon
    page = client.get(reverse("wagtailsnippets_compliance_lexicon:list")).content.decode()
    assert "wxops default" in page
    assert reverse("compliance_import_terms", args=[lexicon.pk]) in page
    terms = client.get(reverse("wagtailsnippets_compliance_term:list") + "?q=稳赚不赔")
    assert terms.status_code == 200 and "稳赚不赔" in terms.content.decode()
    assert client.get(reverse("wagtailsnippets_compliance_allowedphrase:list")).status_code == 200
    assert client.get(reverse("wagtailsnippets_compliance_findingdecision:list")).status_code == 200


def test_import_then_export_through_the_admin(client, administrator, account):
    client.force_login(administrator)
    lexicon = Lexicon.objects.create(name="竞品", account=account)
    upload = SimpleUploadedFile("t.csv", "term,clause,severity\n友商A,3,block\n".encode())
    response = client.post(reverse("compliance_import_terms", args=[lexicon.pk]),
                           {"file": upload, "clause": "3", "severity": "review"})
    assert response.status_code == 302
    exported = client.get(reverse("compliance_export_terms", args=[lexicon.pk]))
    assert exported["Content-Type"].startswith("text/csv")
    assert exported.content.decode() == "term,clause,severity,family,pinyin,suggestion\n友商A,3,block,custom,0,\n"


def test_a_bad_import_file_is_explained_and_imports_nothing(client, administrator):
    client.force_login(administrator)
    lexicon = Lexicon.objects.create(name="坏")
    upload = SimpleUploadedFile("t.csv", "好,3,review\n坏,9,block\n".encode())
    response = client.post(reverse("compliance_import_terms", args=[lexicon.pk]),
                           {"file": upload, "clause": "3", "severity": "review"})
    assert response.status_code == 200
    assert "line 2: clause" in response.content.decode()
    assert lexicon.terms.count() == 0


def test_an_editor_cannot_import(client, editor, default_lexicon):
    client.force_login(editor)
    lexicon = default_lexicon
    response = client.get(reverse("compliance_import_terms", args=[lexicon.pk]))
    assert (response.status_code, response["Location"]) == (302, "/admin/")  # Wagtail's answer to PermissionDenied


def test_editing_a_term_in_the_admin_raises_the_lexicon_version(client, administrator, account):
    from wxops.compliance.models import Term

    client.force_login(administrator)
    lexicon = Lexicon.objects.create(name="竞品", account=account)
    response = client.post(reverse("wagtailsnippets_compliance_term:add"), {
        "lexicon": lexicon.pk, "term": "友商A", "clause": "3", "severity": "block", "family": "company",
        "suggestion": ""})
    assert response.status_code == 302
    lexicon.refresh_from_db()
    assert lexicon.version == 2
    term = Term.objects.get(term="友商A")
    client.post(reverse("wagtailsnippets_compliance_term:delete", args=[term.pk]))
    lexicon.refresh_from_db()
    assert (lexicon.version, lexicon.terms.count()) == (3, 0)


def test_staff_can_paste_a_text_and_see_it_highlighted(client, editor):
    client.force_login(editor)
    response = client.post(reverse("compliance_check_text"), {"text": "第一季度增长，本基金稳赚不赔。"})
    page = response.content.decode()
    assert 'data-verdict="block"' in page
    assert '稳赚不赔</mark>' in page and "第一季度增长，本基金" in page
