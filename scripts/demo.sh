#!/usr/bin/env bash
# A few real `ant completions create` runs against the offline mock API: no key, no network needed.
set -euo pipefail

python -m ant_cli.mockserver --port 0 > "${TMPDIR:-/tmp}/ant-demo-url.$$" &
server=$!
trap 'kill $server 2>/dev/null' EXIT
for _ in $(seq 50); do [ -s "${TMPDIR:-/tmp}/ant-demo-url.$$" ] && break; sleep 0.1; done
export ANTHROPIC_BASE_URL=$(head -n1 "${TMPDIR:-/tmp}/ant-demo-url.$$")
rm -f "${TMPDIR:-/tmp}/ant-demo-url.$$"
export ANTHROPIC_API_KEY=demo-key-not-secret
prompt=$'\n\nHuman: Tell me about the mock server\n\nAssistant:'


echo "mock API at $ANTHROPIC_BASE_URL"
printf '\n$ ant completions create --model claude-2.1 --max-tokens-to-sample 64 --prompt "$prompt" --format json\n'
ant completions create --model claude-2.1 --max-tokens-to-sample 64 --prompt "$prompt" --format json
printf '\n$ ant completions create ... --format text\n'
ant completions create --model claude-2.1 --max-tokens-to-sample 64 --prompt "$prompt" --format text
if command -v jq >/dev/null; then
  printf '\n$ ant completions create ... | jq -r .stop_reason\n'
  ant completions create --model claude-2.1 --max-tokens-to-sample 64 --prompt "$prompt" | jq -r .stop_reason
else
  echo "(jq is not installed; skipping the jq pipeline)"
fi
printf '\n$ echo "{model: claude-2.1, max_tokens_to_sample: 3, prompt: ...}" | ant completions create --format yaml\n'
printf '{model: claude-2.1, max_tokens_to_sample: 3, prompt: "\\n\\nHuman: hi\\n\\nAssistant:"}' \
  | ant completions create --format yaml
printf '\n$ ant completions create --model no-such-model ...   # an API error: one line on stderr, exit 4\n'
set +e
ant completions create --model no-such-model --max-tokens-to-sample 64 --prompt "$prompt"
echo "exit status: $?"
