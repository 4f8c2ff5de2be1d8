"""`--format yaml`: the document as YAML, multi-line strings as literal blocks; PyYAML is imported here only."""


def _dumper():
    import yaml

    class BlockDumper(yaml.SafeDumper):
        """Keeps completion text readable: multi-line strings use the `|` block style."""

    def represent_str(dumper, data):
        style = "|" if "\n" in data and not data.startswith((" ", "\n")) else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)

    BlockDumper.add_representer(str, represent_str)
    return yaml, BlockDumper


def render(value, item, view) -> bytes:
    yaml, dumper = _dumper()
    text = yaml.dump(value, Dumper=dumper, sort_keys=False, allow_unicode=True, default_flow_style=False)
    return text.encode("utf-8")
