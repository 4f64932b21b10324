"""Which model plays which role, and how to reach it.

Two roles, configured separately: the **parser** (small and fast: it turns
what the player typed into an action when the symbolic parser cannot) and
the **narrator** (larger and creative: it tells what happened). Each is any
OpenAI-compatible chat endpoint: Ollama, vLLM, llama.cpp's server, LM
Studio, OpenAI, or a cloud provider that speaks the same API.

Settings come from four places; a later one wins, field by field:

1. the defaults below (no model: the game plays offline);
2. the config file, ``[parser]``, ``[narrator]`` and ``[memory]`` tables
   in TOML (``fabula.toml`` beside the game, or ``--config FILE``);
3. environment variables, ``FABULA_<ROLE>_<FIELD>``, e.g.
   ``FABULA_NARRATOR_MODEL=qwen2.5:14b``, ``FABULA_PARSER_BASE_URL=...``;
4. command-line flags (``--parser-model``, ``--narrator-model``...).

An API key is never written in a file or a save: a role names the
environment variable holding it (``api_key_env``, default ``OPENAI_API_KEY``)
and the key is read from the environment when a request is made.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from fabula.content import read_toml
from fabula.errors import ConfigError

__all__ = ["ROLES", "MemoryConfig", "ModelConfig", "RoleConfig", "load_config"]

Role = Literal["parser", "narrator"]
ROLES: tuple[Role, ...] = ("parser", "narrator")
SECTIONS: tuple[str, ...] = (*ROLES, "memory")


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
        prompt: which version of the role's prompt to use (empty: the newest;
            a game may ship its own versions, see docs/prompts.md).
        context_tokens: the budget of the prompt sent (the model's context
            length minus ``max_tokens``); context is cut to fit, in the
            order docs/context.md gives.
        structured_output: how to ask for schema-constrained JSON:
            ``"json_schema"`` (OpenAI, vLLM, Ollama, LM Studio, llama.cpp's
            own server) or ``"json_object"`` (``{"type": "json_object",
            "schema": ...}``, what llama-cpp-python's server accepts).
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
    prompt: str = Field(default="", pattern=r"^[A-Za-z0-9._-]*$")
    context_tokens: int = Field(default=3072, ge=128)
    structured_output: Literal["json_schema", "json_object"] = "json_schema"

    @property
    def enabled(self) -> bool:
        """Whether a model is configured for this role."""
        return bool(self.model)

    def api_key(self) -> str:
        """The API key from the environment (a placeholder for local servers)."""
        return os.environ.get(self.api_key_env, "") or "not-needed"


class MemoryConfig(BaseModel):
    """Long-term memory for the models' prompts (``[memory]``).

    Memory is used when a model is configured and ``fabula[memory]`` is
    installed; the game plays the same without it.

    Attributes:
        enabled: use memory when a model is configured.
        embedder: ``"local"`` (all-MiniLM-L6-v2 on the CPU, shipped as a
            package: nothing is downloaded) or ``"openai"`` (any
            OpenAI-compatible ``/v1/embeddings`` endpoint).
        embedding_model, base_url, api_key_env, timeout: the endpoint, for
            ``embedder = "openai"``.
        server: a Chroma server's URL (``http://host:8000``); empty keeps
            memory in a folder beside the save.
        recall: how many memories a prompt may carry.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
    embedder: Literal["local", "openai"] = "local"
    embedding_model: str = "text-embedding-3-small"
    base_url: str = "http://localhost:11434/v1"
    api_key_env: str = "OPENAI_API_KEY"
    timeout: float = Field(default=30.0, gt=0)
    server: str = ""
    recall: int = Field(default=4, ge=0, le=50)


class ModelConfig(BaseModel):
    """Both roles' settings, and memory's."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    parser: RoleConfig = RoleConfig(
        temperature=0.0, max_tokens=256, timeout=10.0, context_tokens=1024
    )
    narrator: RoleConfig = RoleConfig()
    memory: MemoryConfig = MemoryConfig()


_DEFAULTS = ModelConfig()
_MODELS: dict[str, type[BaseModel]] = {
    "parser": RoleConfig,
    "narrator": RoleConfig,
    "memory": MemoryConfig,
}


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
        # Read as a game's files are: a regular UTF-8 file of bounded size
        # and nesting (a game folder's fabula.toml is the game's input).
        found: list[tuple[str, str, str]] = []
        data = read_toml(
            file, lambda path, where, message: found.append((str(path), where, message))
        )
        if data is None:
            data = {}
            problems += [
                (source, where, "no such config file; check --config")
                if message.startswith("missing") else (source, where, message)
                for source, where, message in found
            ]  # fmt: skip
        unknown = set(data) - set(SECTIONS)
        for key in sorted(unknown):
            problems.append((str(file), key, "unknown section (expected parser, narrator, memory)"))
        for key in sorted(set(data) & set(SECTIONS)):
            if not isinstance(data[key], dict):
                problems.append((str(file), key, "must be a table, like [narrator]"))
                data[key] = {}
        layers.append((str(file), {r: dict(data.get(r, {})) for r in SECTIONS}))
    from_env: dict[str, dict[str, Any]] = {r: {} for r in SECTIONS}
    for section in SECTIONS:
        for field in _MODELS[section].model_fields:
            value = environ.get(f"FABULA_{section.upper()}_{field.upper()}")
            if value is not None:
                from_env[section][field] = value
    layers.append(("environment", from_env))
    if flags:
        given = {r: {k: v for k, v in flags.get(r, {}).items() if v is not None} for r in SECTIONS}
        layers.append(("command line", given))
    merged: dict[str, dict[str, Any]] = {
        section: getattr(_DEFAULTS, section).model_dump() for section in SECTIONS
    }
    sources: dict[tuple[str, str], str] = {}
    for source, layer in layers:
        for section in SECTIONS:
            for field, value in layer[section].items():
                merged[section][field] = value
                sources[(section, field)] = source
    parts: dict[str, BaseModel] = {}
    for section in SECTIONS:
        try:
            parts[section] = _MODELS[section].model_validate(merged[section], strict=False)
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                field = ".".join(str(p) for p in error["loc"])
                where = sources.get((section, field.split(".")[0]), "defaults")
                problems.append((where, f"{section}.{field}", error["msg"]))
    if problems:
        raise ConfigError(problems)
    return ModelConfig.model_validate(parts)
