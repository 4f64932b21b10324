"""Model settings: defaults < config file < environment < flags, per field;
every bad value reported with where it came from; keys never stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from fabula.ai.config import ModelConfig, load_config
from fabula.errors import ConfigError


def test_without_anything_no_model_is_configured() -> None:
    config = load_config(environ={})
    assert config == ModelConfig()
    assert not config.parser.enabled
    assert not config.narrator.enabled
    assert config.parser.temperature == 0.0  # parsing wants determinism


def test_each_layer_overrides_the_one_before_field_by_field(tmp_path: Path) -> None:
    file = tmp_path / "fabula.toml"
    file.write_text(
        '[parser]\nmodel = "qwen2.5:3b"\ntimeout = 5\n'
        '[narrator]\nmodel = "mistral"\nbase_url = "http://gpu:8000/v1"\ntemperature = 0.9\n'
    )
    env = {"FABULA_NARRATOR_MODEL": "llama3:8b", "FABULA_PARSER_TIMEOUT": "7.5"}
    flags = {"narrator": {"temperature": 1.1, "model": None}}
    config = load_config(file, env, flags)
    assert config.parser.model == "qwen2.5:3b"  # file
    assert config.parser.timeout == 7.5  # environment beats file
    assert config.narrator.model == "llama3:8b"  # environment beats file; flag was not given
    assert config.narrator.base_url == "http://gpu:8000/v1"  # file
    assert config.narrator.temperature == 1.1  # flag beats file
    assert config.narrator.max_tokens == 512  # default


def test_bad_values_are_all_reported_with_their_source(tmp_path: Path) -> None:
    file = tmp_path / "fabula.toml"
    file.write_text('[parser]\ntemperature = 5\nmodle = "x"\n[actors]\nx = 1\n')
    env = {"FABULA_NARRATOR_MAX_TOKENS": "lots"}
    with pytest.raises(ConfigError) as info:
        load_config(file, env)
    problems = {(source, setting) for source, setting, _ in info.value.problems}
    assert (str(file), "actors") in problems
    assert (str(file), "parser.temperature") in problems
    assert ("environment", "narrator.max_tokens") in problems
    assert any(setting == "parser.modle" for _, setting, _ in info.value.problems)
    assert "unset them to play offline" in str(info.value)


def test_a_missing_or_broken_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such config file"):
        load_config(tmp_path / "nope.toml", {})
    broken = tmp_path / "broken.toml"
    broken.write_text("[parser\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(broken, {})


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"x = " + b"[" * 3000 + b"]" * 3000, "nest too deeply"),
        (b"[parser]\nmodel = 'caf\xe9'\n", "not UTF-8"),
        (b"[parser]\nmax_tokens = " + b"9" * 30 + b"\n", "too large"),
    ],
)
def test_a_hostile_file_is_a_config_error(tmp_path: Path, data: bytes, said: str) -> None:
    file = tmp_path / "fabula.toml"
    file.write_bytes(data)
    with pytest.raises(ConfigError, match=said):
        load_config(file, {})


def test_the_api_key_is_read_from_the_environment_not_stored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = load_config(environ={"FABULA_NARRATOR_API_KEY_ENV": "MY_CLOUD_KEY"})
    monkeypatch.setenv("MY_CLOUD_KEY", "sk-secret")
    assert config.narrator.api_key() == "sk-secret"
    assert "sk-secret" not in config.model_dump_json()
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    assert config.parser.api_key() == "not-needed"  # local servers take any key


def test_memory_settings_layer_like_the_roles(tmp_path: Path) -> None:
    file = tmp_path / "fabula.toml"
    file.write_text('[memory]\nembedder = "openai"\nrecall = 6\n[narrator]\nprompt = "2"\n')
    config = load_config(file, {"FABULA_MEMORY_SERVER": "http://chroma:8000"})
    assert config.memory.embedder == "openai"
    assert config.memory.recall == 6
    assert config.memory.server == "http://chroma:8000"
    assert config.narrator.prompt == "2"
    assert config.parser.prompt == ""  # the newest version
    file.write_text('memory = 3\n[narrator]\nprompt = "../x"\n')
    with pytest.raises(ConfigError) as info:
        load_config(file, {"FABULA_MEMORY_EMBEDDER": "magic"})
    settings = {setting for _, setting, _ in info.value.problems}
    assert {"memory", "memory.embedder", "narrator.prompt"} <= settings
