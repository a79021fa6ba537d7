"""What a download is sent as: the media type of each format, and a file name that every
browser accepts whatever the script of the name."""

from __future__ import annotations

import re
from urllib.parse import quote

MEDIA = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def attachment(name: str) -> str:
    """A Content-Disposition that downloads as ``name``: ASCII for every browser, the name
    itself (Arabic included) for those that read RFC 6266's ``filename*``. Always a
    download, never shown inline: a briefing's own HTML carries a style sheet the desk's
    policy would block."""
    plain = re.sub(r"[^A-Za-z0-9._-]+", "_", name)
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"
