"""The Indonesian catalogue is complete, current with the code, and what visitors see by default."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

ROOT = Path(__file__).resolve().parents[3]
PO_PATH = ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po"
GETTEXT_TOOLS = ("xgettext", "msguniq", "msgmerge")
# Not copied for the extraction run: the same places `make messages` ignores, plus VCS and caches.
TOP_LEVEL_SKIPPED = {".git", ".venv", "bench", "var", "test-results", "build"}
SKIPPED_EVERYWHERE = shutil.ignore_patterns(
    "__pycache__", "*.pyc", "*.mo", ".ruff_cache", ".pytest_cache", "*.egg-info", "node_modules"
)
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdifr]|%[sdif]")


def _entries(po):
    return [entry for entry in po if not entry.obsolete]


def _key(entry):
    return (entry.msgctxt, entry.msgid)


def _show(keys):
    return "\n".join(f"  {msgid!r}" + (f" (context {ctx!r})" if ctx else "") for ctx, msgid in keys)


@pytest.fixture(scope="module")
def po():
    return polib.pofile(str(PO_PATH))


def test_header_declares_indonesian_with_one_plural_form(po):
    assert po.metadata.get("Language") == "id"
    assert po.metadata.get("Plural-Forms") == "nplurals=1; plural=0;"
    assert "charset=UTF-8" in po.metadata.get("Content-Type", "")
    assert not po.metadata_is_fuzzy, "the header is still marked fuzzy"


def test_every_entry_is_translated(po):
    untranslated = [
        _key(e)
        for e in _entries(po)
        if not (
            all(s.strip() for s in e.msgstr_plural.values()) if e.msgid_plural else e.msgstr.strip()
        )
    ]

    assert not untranslated, f"untranslated entries in {PO_PATH.name}:\n{_show(untranslated)}"


def test_no_entry_is_fuzzy(po):
    fuzzy = [_key(e) for e in _entries(po) if "fuzzy" in e.flags]

    assert not fuzzy, (
        f"fuzzy entries in {PO_PATH.name} (check, then drop the flag):\n{_show(fuzzy)}"
    )


def test_translations_keep_every_placeholder(po):
    broken = []
    for e in _entries(po):
        expected = sorted(PLACEHOLDER.findall(e.msgid))
        translations = e.msgstr_plural.values() if e.msgid_plural else [e.msgstr]
        broken += [(e.msgid, t) for t in translations if sorted(PLACEHOLDER.findall(t)) != expected]

    assert not broken, "placeholders differ:\n" + "\n".join(f"  {m!r} -> {t!r}" for m, t in broken)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """Run `makemessages` on a copy of the repository and return the catalogue it produces."""
    missing_tools = [tool for tool in GETTEXT_TOOLS if shutil.which(tool) is None]
    if missing_tools:
        reason = (
            f"GNU gettext ({', '.join(missing_tools)}) is not installed, so the check that "
            "locale/id/LC_MESSAGES/django.po is current with the code CANNOT RUN. "
            "Install it with `apt-get install gettext`."
        )
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(f"!!! SKIPPED: {reason} It runs in CI.")

    copy = tmp_path_factory.mktemp("i18n") / "repo"

    def ignore(directory, names):
        skipped = set(SKIPPED_EVERYWHERE(directory, names))
        if Path(directory) == ROOT:
            skipped |= TOP_LEVEL_SKIPPED & set(names)
        return skipped

    shutil.copytree(ROOT, copy, ignore=ignore, symlinks=True)
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "TANGGAP_VAR_DIR": str(copy / "var"),
        "SECRET_KEY": "extraction-only",
    }
    result = subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
        [sys.executable, "manage.py", "makemessages", "-l", "id", "--no-obsolete", "--no-location"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"makemessages failed:\n{result.stdout}\n{result.stderr}"
    return polib.pofile(str(copy / PO_PATH.relative_to(ROOT)))


def test_catalogue_has_every_string_of_the_code(po, extracted):
    committed = {_key(e) for e in _entries(po)}
    missing = sorted(
        (_key(e) for e in _entries(extracted) if _key(e) not in committed),
        key=lambda k: k[1],
    )

    assert not missing, (
        f"strings in the code but not in {PO_PATH.relative_to(ROOT)}; run `make messages` "
        f"and translate them:\n{_show(missing)}"
    )


def test_catalogue_has_no_string_the_code_dropped(po, extracted):
    in_code = {_key(e) for e in _entries(extracted)}
    stale = sorted((_key(e) for e in _entries(po) if _key(e) not in in_code), key=lambda k: k[1])

    assert not stale, (
        f"entries of {PO_PATH.relative_to(ROOT)} no longer in the code; run `make messages`:\n"
        f"{_show(stale)}"
    )


def test_catalogue_is_compiled():
    mo = PO_PATH.with_suffix(".mo")
    assert mo.exists() and mo.stat().st_mtime >= PO_PATH.stat().st_mtime, (
        "django.mo is missing or older than django.po: run `make compile-messages` "
        "(scripts/compile_messages.py)"
    )


@pytest.mark.parametrize(
    ("english", "indonesian"),
    [
        ("Complaint (pengaduan)", "Pengaduan"),
        ("Assigned", "Didisposisikan"),
        ("In progress", "Ditindaklanjuti"),
        ("Waiting for your information", "Menunggu informasi dari Anda"),
        ("Identity recorded (sealed)", "Identitas tercatat (tersegel)"),
        ("Tracking code", "Kode lacak"),
        ("Log in", "Masuk"),
    ],
)
def test_key_terms(english, indonesian):
    with translation.override("id"):
        assert gettext(english) == indonesian
    with translation.override("en"):
        assert gettext(english) == english


def test_legal_references_are_cited_the_indonesian_way():
    with translation.override("id"):
        privacy = gettext(
            "Under Law 27/2022 on Personal Data Protection we use your name and contact only to "
            "handle this report and to tell you its progress. They are stored encrypted, apart "
            "from the report, and only the officers handling it can open them; every opening is "
            "recorded with a reason. An anonymous report keeps no name. A confidential report is "
            "never shown publicly. You may ask to see, correct or delete your data through the "
            "tracking page."
        )
        receipt_note = gettext(
            "Keep this receipt. Follow your report at the tracking page with the code and PIN. "
            "Handling a complaint is free of charge (Law 25/2009, Article 47)."
        )

    assert "UU 27/2022 tentang Pelindungan Data Pribadi" in privacy
    assert "UU 25/2009 Pasal 47" in receipt_note


@pytest.mark.django_db
def test_report_form_speaks_indonesian_by_default(client):
    html = client.get(reverse("intake:report")).content.decode()

    assert "Kirim laporan" in html, "is the catalogue compiled? run `make compile-messages`"
    assert "Send a report" not in html
    assert "Pengaduan" in html and "Complaint (pengaduan)" not in html


@pytest.mark.django_db
def test_report_form_speaks_english_after_the_language_switch(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get(reverse("intake:report")).content.decode()

    assert "Send a report" in html
    assert "Kirim laporan" not in html
