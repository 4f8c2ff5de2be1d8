"""The official Python SDK doing the same request as the bench's other clients (run in its own venv)."""

import json
import os
import sys

import anthropic

client = anthropic.Anthropic(base_url=os.environ["ANTHROPIC_BASE_URL"], api_key=os.environ["ANTHROPIC_API_KEY"])
completion = client.completions.create(model=sys.argv[1], max_tokens_to_sample=int(sys.argv[2]), prompt=sys.argv[3])
print(json.dumps(completion.model_dump(), indent=2))
