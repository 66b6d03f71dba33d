"""`plugins.clinic.editor` in a clinic's mkdocs.yml: on or off, where the editor saves, how staff sign in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from ..data.messages import explain_for, first_error
from ..errors import StaffError
from ..schema import Strict


class EditorSettings(Strict):
    """`plugins.clinic.editor` as a mapping: where the editor saves, and how staff sign in.

    Each description reads after "Write" in a message (data/messages.explain), so it names the value, not the setting.
    """

    repo: str | None = Field(None, pattern=r"^[\w.-]+/[\w.-]+$", examples=["your-org/your-clinic-site"],
                             description="The GitHub repository the editor saves to, as owner/name")
    branch: str = Field("main", min_length=1, examples=["main"], description="The branch the site is published from")
    # Without base_url, staff sign in through Netlify.
    base_url: str | None = Field(None, pattern=r"^https://[^\s/]+(/[^\s]*)?$", examples=["https://auth.example.workers.dev"],
                                 description="The address of the sign-in service (an OAuth proxy), starting with https://")
    auth_endpoint: str | None = Field(None, pattern=r"^[\w./-]+$", examples=["auth"],
                                      description="The sign-in path on base_url")
    # For signing in through Netlify from a site hosted elsewhere.
    site_domain: str | None = Field(None, pattern=r"^[\w.-]+$", examples=["clinic.netlify.app"],
                                    description="The site's name at Netlify, without https://")
    local_port: int = Field(8081, ge=1024, le=65535, examples=[8081],
                            description="The port of decap-server on 127.0.0.1, for editing a copy on your own computer")
    # `make serve` (mkdocs serve) turns the local backend on by itself; a published build never has it, so its
    # policy never allows 127.0.0.1. true here is for a test build of a copy on one's own computer only.
    local_backend: bool = Field(False, examples=[False],
                                description="true or false: true only for a copy built on your own computer, never for the published site")


@dataclass(frozen=True)
class Editor:
    settings: EditorSettings
    repo: str
    local: bool = False  # decap-server on 127.0.0.1: in the config and the policy only when serving or asked for

    @property
    def local_origin(self) -> str | None:
        return f"http://127.0.0.1:{self.settings.local_port}" if self.local else None


def read_settings(value: Any, config_file: str | Path, repo_url: str | None, *, serving: bool = False) -> Editor | None:
    """The editor's settings from `plugins.clinic.editor` (true, false or a mapping); None when it is off.

    `serving`: `mkdocs serve`, on one's own computer, where the local backend (decap-server) is on.
    """
    key = "plugins.clinic.editor"
    if value is None or value is False:
        return None
    if value is True:
        value = {}
    if not isinstance(value, dict):
        raise StaffError(config_file, None, key, f"'{value}' is neither true, false nor a list of settings",
                         "Write editor: true, or the settings under it (repo:, branch:, base_url:).")
    try:
        settings = EditorSettings.model_validate(value)
    except ValidationError as error:
        first = first_error(error.errors())
        problem, fix = explain_for(EditorSettings, first)
        if first["type"] == "extra_forbidden":
            fix += f" The settings are: {', '.join(EditorSettings.model_fields)}."
        raise StaffError(config_file, None, ".".join(map(str, (key, *first["loc"]))), problem, fix) from None
    found = re.match(r"^https://github\.com/([\w.-]+/[\w.-]+?)(?:\.git)?/?$", repo_url or "")
    repo = settings.repo or (found.group(1) if found else None)
    if not repo:
        raise StaffError(config_file, None, f"{key}.repo", "the editor needs the GitHub repository it saves changes to",
                         "Add repo: owner/name under editor:, or set repo_url: https://github.com/owner/name.")
    return Editor(settings, repo, local=serving or settings.local_backend)
