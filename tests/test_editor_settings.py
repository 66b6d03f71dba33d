"""Where a mistake in the editor's settings is written (editor/settings.place), for the file:line of its message:
plugins as a mapping or as MkDocs' list, in the clinic's config or in the one it inherits from."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT

from clinic_site.editor.settings import place, read_settings
from clinic_site.errors import StaffError

LIST_FORM = """site_name: A
plugins:
  - search
  - macros:
      modules: [clinic_site.plugin]
  - clinic:
      default_clinic: clinics/a
      editor:
        repo: a/b
        base_url: https://auth.example/oauth
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
"""


def test_the_line_of_a_setting_in_the_list_form_with_mkdocs_tags(tmp_path: Path):
    config = tmp_path / "mkdocs.yml"
    config.write_text(LIST_FORM)
    assert place(config, ("base_url",)) == (config, 10)
    assert place(config, ("branch",)) == (config, 8)  # not written: the editor's line
    with pytest.raises(StaffError) as error:
        read_settings({"repo": "a/b", "base_url": "https://auth.example/oauth"}, config, None)
    assert str(error.value).startswith(f"{config}:10: plugins.clinic.editor.base_url: 'https://auth.example/oauth' has a path")


def test_the_line_in_the_config_a_clinic_inherits_the_editor_from(tmp_path: Path):
    (tmp_path / "mkdocs.yml").write_text(LIST_FORM)
    clinic = tmp_path / "clinics" / "a" / "mkdocs.yml"
    clinic.parent.mkdir(parents=True)
    clinic.write_text("INHERIT: ../../mkdocs.yml\nsite_name: A\n")
    assert place(clinic, ("base_url",)) == ((tmp_path / "mkdocs.yml").resolve(), 10)
    clinic.write_text("INHERIT: ../../mkdocs.yml\nplugins:\n  clinic:\n    editor:\n      api_root: https://github.com\n")
    assert place(clinic, ("api_root",)) == (clinic, 5)


def test_no_line_when_the_file_does_not_say_it(tmp_path: Path):
    assert place(tmp_path / "missing.yml", ("repo",)) == (tmp_path / "missing.yml", None)
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: A\nplugins:\n  - search\n")
    assert place(config, ("repo",)) == (config, None)


SIGN_IN_CHECK = """
globalThis.document = { querySelector: () => null };
globalThis.window = { addEventListener() {} };
const { signInProblem } = await import(%s);
console.log(JSON.stringify(JSON.parse(process.argv[2]).map(signInProblem)));
"""


def test_the_sign_in_services_errors_are_shown_as_sentences_and_decaps_own_are_left_to_it(tmp_path: Path):
    """admin/sign-in.js: sveltia-cms-auth's `error` (a sentence, or GitHub's code) becomes the editor's message;
    an answer with a `message` Decap shows itself, so sign-in.js says nothing."""
    script = tmp_path / "check.mjs"
    script.write_text(SIGN_IN_CHECK % json.dumps((ROOT / "hooks" / "clinic_site" / "admin" / "sign-in.js").as_uri()))
    answers = [{"provider": "github", "error": "Your domain is not allowed to use the authenticator.", "errorCode": "UNSUPPORTED_DOMAIN"},
               {"provider": "github", "error": "bad_verification_code"}, {"message": "Not Found", "error": "x"}, {}]
    result = subprocess.run(["node", str(script), json.dumps(answers)], capture_output=True, text=True, check=True)
    shown = json.loads(result.stdout)
    assert shown[0].startswith("Sign-in did not work: Your domain is not allowed to use the authenticator. Try again.")
    assert shown[1].startswith("Sign-in did not work: bad_verification_code. Try again.")
    assert shown[2:] == [None, None]
