"""Optional language-model assist: draft a theme label from redacted quotes.

Off unless `PEACEKIT_LLM_URL` names an OpenAI-compatible server (we POST to
`<url>/v1/chat/completions`); `PEACEKIT_LLM_MODEL` and `PEACEKIT_LLM_KEY` are optional. Only
published, redacted statement text is ever sent. Without it everything works offline.
"""

from __future__ import annotations

import json
import logging
import os
import urllib.error
import urllib.request

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 20


def llm_url() -> str:
    return os.environ.get("PEACEKIT_LLM_URL", "").strip().rstrip("/")


def enabled() -> bool:
    return bool(llm_url())


def _endpoint() -> str:
    url = llm_url()
    return (
        url
        if url.endswith("/chat/completions")
        else f"{url.removesuffix('/v1')}/v1/chat/completions"
    )


def draft_theme_label(*, quotes: list[str], key_phrases: list[str]) -> str | None:
    """A short label (≤ 8 words) for statements that share a theme, or None."""
    if not enabled() or not quotes:
        return None
    prompt = (
        "These are anonymized statements from community listening sessions about policing. "
        "Write one short, neutral theme label (at most 8 words) for what they have in common. "
        "Answer with the label only.\n\nKey phrases: "
        + ", ".join(key_phrases[:8])
        + "\n\n"
        + "\n".join(f"- {q[:400]}" for q in quotes[:8])
    )
    body = {
        "model": os.environ.get("PEACEKIT_LLM_MODEL", "default"),
        "messages": [{"role": "user", "content": prompt}],
        "temperature": 0,
        "max_tokens": 30,
    }
    headers = {"Content-Type": "application/json"}
    key = os.environ.get("PEACEKIT_LLM_KEY", "")
    if key:
        headers["Authorization"] = f"Bearer {key}"
    request = urllib.request.Request(  # noqa: S310 - the URL is operator configuration
        _endpoint(), data=json.dumps(body).encode(), headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            data = json.loads(response.read().decode("utf-8"))
        text = data["choices"][0]["message"]["content"]
    except (
        urllib.error.URLError,
        TimeoutError,
        ValueError,
        KeyError,
        IndexError,
        TypeError,
    ) as exc:
        logger.warning("Language model request failed: %s", type(exc).__name__)
        return None
    label = " ".join(str(text).strip().strip('"“”').split())
    return label[:200] or None
