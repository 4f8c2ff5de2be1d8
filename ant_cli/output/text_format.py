"""`--format text`: the completion text alone, ending with a newline; made for shell pipelines."""

from ant_cli.output.encoding import compact_json, utf8_text


def text_of(value, view) -> str:
    """The text to print: the completion (or the --transform selection); non-strings as compact JSON."""
    if not view.transform and isinstance(value, dict) and "completion" in value:
        value = value["completion"]
    if value is None:
        return ""
    return value if isinstance(value, str) else compact_json(value)


def render(value, item, view) -> bytes:
    text = text_of(value, view)
    return utf8_text(text if text.endswith("\n") else text + "\n")
