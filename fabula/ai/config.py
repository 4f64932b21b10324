"""Which model plays which role, and how to reach it.

Two roles, configured separately: the **parser** (small and fast: it turns
what the player typed into an action when the symbolic parser cannot) and
the **narrator** (larger and creative: it tells what happened). Each is any
OpenAI-compatible chat endpoint: Ollama, vLLM, llama.cpp's server, LM
Studio, OpenAI, or a cloud provider that speaks the same API.

Settings come from four places; a later one wins, field by field:

1. the defaults below (no model: the game plays offline);
2. the config file, ``[parser]`` and ``[narrator]`` tables in TOML
   (``fabula.toml`` beside the game, or ``--config FILE``);
3. environment variables, ``FABULA_<ROLE>_<FIELD>``, e.g.
   ``FABULA_NARRATOR_MODEL=qwen2.5:14b``, ``FABULA_PARSER_BASE_URL=...``;
4. command-line flags (``--parser-model``, ``--narrator-model``...).

An API key is never written in a file or a save: a role names the
environment variable holding it (``api_key_env``, default ``OPENAI_API_KEY``)
and the key is read from the environment when a request is made.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from fabula.errors import ConfigError

__all__ = ["ROLES", "ModelConfig", "RoleConfig", "load_config"]

Role = Literal["parser", "narrator"]
ROLES: tuple[Role, ...] = ("parser", "narrator")


class RoleConfig(BaseModel):
    """How to reach the model for one role.

    Attributes:
        model: the model name the server knows ("qwen2.5:3b"); empty means no
            model for this role (the symbolic parser or template narrator).
        base_url: the OpenAI-compatible endpoint ("http://localhost:11434/v1").
        api_key_env: the environment variable holding the API key (local
            servers accept any key; the variable may be unset).
        temperature, max_tokens: sampling settings.
        timeout: seconds before a request is abandoned.
        retries: further attempts after a failure, with exponential backoff
            (``backoff`` seconds, doubled each time, with jitter).
        failures_to_open: consecutive failed turns after which the role's
            circuit opens and the offline fallback is used without trying.
        cooldown: seconds the circuit stays open before one trial request.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    model: str = ""
    base_url: str = "http://localhost:11434/v1"
    api_key_env: str = "OPENAI_API_KEY"
    temperature: float = Field(default=0.7, ge=0, le=2)
    max_tokens: int = Field(default=512, gt=0)
    timeout: float = Field(default=30.0, gt=0)
    retries: int = Field(default=2, ge=0, le=10)
    backoff: float = Field(default=0.5, ge=0)
    failures_to_open: int = Field(default=3, ge=1)
    cooldown: float = Field(default=60.0, ge=0)

    @property
    def enabled(self) -> bool:
        """Whether a model is configured for this role."""
        return bool(self.model)

    def api_key(self) -> str:
        """The API key from the environment (a placeholder for local servers)."""
        return os.environ.get(self.api_key_env, "") or "not-needed"


class ModelConfig(BaseModel):
    """Both roles' settings."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    parser: RoleConfig = RoleConfig(temperature=0.0, max_tokens=256, timeout=10.0)
    narrator: RoleConfig = RoleConfig()


_DEFAULTS = ModelConfig()


def load_config(
    file: Path | None = None,
    environ: Mapping[str, str] | None = None,
    flags: Mapping[str, Mapping[str, Any]] | None = None,
) -> ModelConfig:
    """Merge defaults, ``file``, environment and ``flags`` (see the module docstring).

    Args:
        file: a TOML file with ``[parser]`` and ``[narrator]`` tables (optional).
        environ: the environment (default: ``os.environ``).
        flags: per role, the command-line values given (``None`` values ignored).

    Raises:
        ConfigError: the file is unreadable or a value does not fit; every
            problem is listed with where it came from.
    """
    environ = os.environ if environ is None else environ
    layers: list[tuple[str, dict[str, dict[str, Any]]]] = []
    problems: list[tuple[str, str, str]] = []
    if file is not None:
        try:
            with file.open("rb") as handle:
                data = tomllib.load(handle)
        except FileNotFoundError:
            problems.append((str(file), "", "no such config file; check --config"))
            data = {}
        except tomllib.TOMLDecodeError as exc:
            problems.append((str(file), "", f"not valid TOML ({exc})"))
            data = {}
        unknown = set(data) - set(ROLES)
        for key in sorted(unknown):
            problems.append((str(file), key, "unknown section (expected parser, narrator)"))
        layers.append((str(file), {r: dict(data.get(r, {})) for r in ROLES}))
    fields = set(RoleConfig.model_fields)
    from_env: dict[str, dict[str, Any]] = {r: {} for r in ROLES}
    for role in ROLES:
        for field in fields:
            value = environ.get(f"FABULA_{role.upper()}_{field.upper()}")
            if value is not None:
                from_env[role][field] = value
    layers.append(("environment", from_env))
    if flags:
        layers.append(
            (
                "command line",
                {r: {k: v for k, v in flags.get(r, {}).items() if v is not None} for r in ROLES},
            )
        )
    merged: dict[str, dict[str, Any]] = {
        role: getattr(_DEFAULTS, role).model_dump() for role in ROLES
    }
    sources: dict[tuple[str, str], str] = {}
    for source, layer in layers:
        for role in ROLES:
            for field, value in layer[role].items():
                merged[role][field] = value
                sources[(role, field)] = source
    roles: dict[str, RoleConfig] = {}
    for role in ROLES:
        try:
            roles[role] = RoleConfig.model_validate(merged[role], strict=False)
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                field = ".".join(str(p) for p in error["loc"])
                where = sources.get((role, field.split(".")[0]), "defaults")
                problems.append((where, f"{role}.{field}", error["msg"]))
    if problems:
        raise ConfigError(problems)
    return ModelConfig(parser=roles["parser"], narrator=roles["narrator"])
