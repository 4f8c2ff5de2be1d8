"""The models `/v1/messages` answers for today, each with its output ceiling and the rules of its generation.

One row per model; an alias (`claude-haiku-4-5`) names its dated id, which is the name the API reports in its
messages. Rules from the public model pages and migration guides
(https://platform.claude.com/docs/en/about-claude/models/migration-guide):
- prefill: "Prefilling assistant messages returns a 400 error on Claude 4.6 models" and on every later one;
- sampling: on Claude Opus 4.7 and later, Sonnet 5, Fable and Mythos, "setting them to a non-default value returns
  a 400 error"; Sonnet 4.5, Haiku 4.5 and Sonnet 4.6 take `temperature` or `top_p`, not both;
- thinking: the same newest models think adaptively only; `thinking: {"type": "enabled"}` is refused there.
Every id not listed is unknown or retired (`claude-2.1`, `claude-3-7-sonnet-latest`, `claude-sonnet-4-20250514`,
`claude-mythos-preview` since 2026-06-30, ...) and gets 404 `model: <id>`.
"""

from __future__ import annotations

from dataclasses import dataclass

FREE, NOT_BOTH, DEFAULT_ONLY = "free", "not both temperature and top_p", "default only"

# The values taken as "default" where only defaults are accepted: the API documents temperature 1.0; for top_p and
# top_k it documents none, so their neutral values (no nucleus cut, no top-k cut) stand in.
SAMPLING_DEFAULTS = {"temperature": 1, "top_p": 1, "top_k": -1}


@dataclass(frozen=True)
class ModelRules:
    """What one model accepts: `max_output` tokens (None: no ceiling), a final assistant turn, sampling."""

    name: str
    max_output: int | None
    prefill: bool
    sampling: str

    @property
    def adaptive_thinking_only(self) -> bool:
        return self.sampling == DEFAULT_ONLY


def _row(name: str, max_output: int, prefill: bool, sampling: str) -> ModelRules:
    return ModelRules(name, max_output, prefill, sampling)


_MODELS = (
    _row("claude-sonnet-5", 128_000, False, DEFAULT_ONLY),
    _row("claude-fable-5", 128_000, False, DEFAULT_ONLY),
    _row("claude-mythos-5", 128_000, False, DEFAULT_ONLY),
    _row("claude-opus-5", 128_000, False, DEFAULT_ONLY),
    _row("claude-opus-4-8", 128_000, False, DEFAULT_ONLY),
    _row("claude-opus-4-7", 128_000, False, DEFAULT_ONLY),
    _row("claude-opus-4-6", 128_000, False, FREE),
    _row("claude-sonnet-4-6", 128_000, False, NOT_BOTH),
    _row("claude-haiku-4-5-20251001", 64_000, True, NOT_BOTH),
    _row("claude-opus-4-5-20251101", 64_000, True, FREE),
    _row("claude-sonnet-4-5-20250929", 64_000, True, NOT_BOTH),
)
_ALIASES = {"claude-haiku-4-5": "claude-haiku-4-5-20251001", "claude-opus-4-5": "claude-opus-4-5-20251101",
            "claude-sonnet-4-5": "claude-sonnet-4-5-20250929"}
MESSAGES_MODELS = {rules.name: rules for rules in _MODELS}
MESSAGES_MODEL_IDS = tuple(MESSAGES_MODELS) + tuple(_ALIASES)


def rules_for(model: str, allowed: tuple[str, ...] = ()) -> ModelRules | None:
    """The rules of a model that answers; an id added with --allow-model has no ceiling and no restriction."""
    name = _ALIASES.get(model, model)
    if name in MESSAGES_MODELS:
        return MESSAGES_MODELS[name]
    if model in allowed:
        return ModelRules(model, None, True, FREE)
    return None
