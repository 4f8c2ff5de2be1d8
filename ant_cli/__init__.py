"""ant-cli: a command-line client for the Anthropic Text Completions API (`POST /v1/complete`)."""

__version__ = "0.1.0"
PROG = "ant"
