"""`plugins.clinic.editor` in a clinic's mkdocs.yml: on or off, where the editor saves, how staff sign in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import Field, ValidationError, field_validator

from ..clinics import inherit_chain, read_config_keys
from ..data.messages import explain_for, first_error
from ..errors import Problem, StaffError
from ..schema import Strict
from ..yamlfile import KeyPath

GITHUB_API = "https://api.github.com"  # Decap's github backend's default api_root


class EditorSettings(Strict):
    """`plugins.clinic.editor` as a mapping: where the editor saves, and how staff sign in.

    Each description reads after "Write" in a message (data/messages.explain), so it names the value, not the setting.
    """

    repo: str | None = Field(None, pattern=r"^[\w.-]+/[\w.-]+$", examples=["your-org/your-clinic-site"],
                             description="The GitHub repository the editor saves to, as owner/name")
    branch: str = Field("main", min_length=1, examples=["main"], description="The branch the site is published from")
    # Without base_url, staff sign in through Netlify. With it, through an OAuth proxy of the clinic's own (sveltia-cms-auth,
    # decap-proxy): Decap opens base_url/auth_endpoint in a pop-up and accepts its answer only from base_url's origin.
    base_url: str | None = Field(None, pattern=r"^https://[^\s/?#]+(/[^\s?#]*)?$", examples=["https://auth.example.workers.dev"],
                                 description="The address of the sign-in service (an OAuth proxy), starting with https://")
    auth_endpoint: str | None = Field(None, pattern=r"^[\w./-]+$", examples=["auth"],
                                      description="The sign-in path on base_url")
    # GitHub Enterprise Server (https://<host>/api/v3); the editor's policy allows connections to its origin.
    api_root: str | None = Field(None, pattern=r"^https://[^\s/]+(/[^\s]*)?$", examples=[GITHUB_API],
                                 description="The address of the GitHub API, starting with https://")
    # The site_id Decap sends the sign-in service (otherwise the editor page's host name): for Netlify's from a site
    # hosted elsewhere, or a host in sveltia-cms-auth's ALLOWED_DOMAINS other than the editor's.
    site_domain: str | None = Field(None, pattern=r"^[\w.-]+$", examples=["clinic.netlify.app"],
                                    description="The site's host name as the sign-in service knows it (its name at Netlify), "
                                                "without https://")
    local_port: int = Field(8081, ge=1024, le=65535, examples=[8081],
                            description="The port of decap-server on 127.0.0.1, for editing a copy on your own computer")
    # `make serve` (mkdocs serve) turns the local backend on by itself; a published build never has it, so its
    # policy never allows 127.0.0.1. true here is for a test build of a copy on one's own computer only.
    local_backend: bool = Field(False, examples=[False],
                                description="true or false: true only for a copy built on your own computer, never for the published site")

    @field_validator("api_root")
    @classmethod
    def an_api(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if urlsplit(value).hostname in ("github.com", "www.github.com"):
            raise Problem(f"'{value}' is GitHub's website, not its API",
                          f"Write api_root: {GITHUB_API}, or leave api_root out: that is the default.")
        return value.rstrip("/")


@dataclass(frozen=True)
class Editor:
    settings: EditorSettings
    repo: str
    local: bool = False  # decap-server on 127.0.0.1: in the config and the policy only when serving or asked for

    @property
    def local_origin(self) -> str | None:
        return f"http://127.0.0.1:{self.settings.local_port}" if self.local else None

    @property
    def api_origin(self) -> str:
        """Where the editor reads and saves files: GitHub's API, or a GitHub Enterprise server's (api_root)."""
        parts = urlsplit(self.settings.api_root or GITHUB_API)
        return f"{parts.scheme}://{parts.netloc}"


def editor_keys(config: Any) -> KeyPath | None:
    """Where a config's own keys write plugins.clinic.editor: under a mapping of plugins, or a list (`- clinic:`)."""
    plugins = config.get("plugins") if isinstance(config, dict) else None
    for prefix, entry in ([(("plugins",), plugins)] if isinstance(plugins, dict) else
                          [(("plugins", index), item) for index, item in enumerate(plugins)] if isinstance(plugins, list) else []):
        if isinstance(entry, dict) and isinstance(entry.get("clinic"), dict) and "editor" in entry["clinic"]:
            return (*prefix, "clinic", "editor")
    return None


def place(config_file: str | Path, keys: tuple[str | int, ...]) -> tuple[str | Path, int | None]:
    """(the file, the line) where plugins.clinic.editor and then `keys` are written: in the config or one it
    inherits from; the deepest key written, for one left out (YamlDocument.line)."""
    path = Path(config_file)
    if not path.is_file():
        return config_file, None
    try:
        files = inherit_chain(path)
    except StaffError:
        files = [path]
    for file in files:
        try:
            document = read_config_keys(file)
        except StaffError:
            continue
        if (editor := editor_keys(document.value)) is not None:  # the editor's settings are in this file
            return (config_file if file == path.resolve() else file), document.line((*editor, *keys))
    return config_file, None


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
        raise StaffError(*place(config_file, ()), key, f"'{value}' is neither true, false nor a list of settings",
                         "Write editor: true, or the settings under it (repo:, branch:, base_url:).")
    try:
        settings = EditorSettings.model_validate(value)
    except ValidationError as error:
        first = first_error(error.errors())
        problem, fix = explain_for(EditorSettings, first)
        if first["type"] == "extra_forbidden":
            fix += f" The settings are: {', '.join(EditorSettings.model_fields)}."
        raise StaffError(*place(config_file, tuple(first["loc"])), ".".join(map(str, (key, *first["loc"]))), problem, fix) from None
    if settings.base_url and (parts := urlsplit(settings.base_url)).path.strip("/"):
        # Decap takes the sign-in answer only from a window whose origin is exactly base_url (decap-cms-lib-auth):
        # with a path after the host, sign-in never finishes, and nothing says why. The path goes in auth_endpoint.
        endpoint = "/".join(part for part in (parts.path.strip("/"), (settings.auth_endpoint or "auth").strip("/")) if part)
        raise StaffError(*place(config_file, ("base_url",)), f"{key}.base_url",
                         f"'{settings.base_url}' has a path after the host name, and sign-in works only through the host itself",
                         f"Write base_url: {parts.scheme}://{parts.netloc} and auth_endpoint: {endpoint}, "
                         "which make the same address.")
    if settings.auth_endpoint and not settings.base_url:
        raise StaffError(*place(config_file, ("auth_endpoint",)), f"{key}.auth_endpoint", "auth_endpoint is a path on base_url, which is not set",
                         "Add base_url: https:// followed by your sign-in service's host name, or remove auth_endpoint.")
    found = re.match(r"^https://github\.com/([\w.-]+/[\w.-]+?)(?:\.git)?/?$", repo_url or "")
    repo = settings.repo or (found.group(1) if found else None)
    if not repo:
        raise StaffError(*place(config_file, ("repo",)), f"{key}.repo", "the editor needs the GitHub repository it saves changes to",
                         "Add repo: owner/name under editor:, or set repo_url: https://github.com/owner/name.")
    return Editor(settings, repo, local=serving or settings.local_backend)
