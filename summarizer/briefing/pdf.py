"""PDF briefings: WeasyPrint lays out the HTML briefing on A4 (its print stylesheet).

WeasyPrint shapes Arabic through Pango and HarfBuzz, which come from the system, not from
pip; the Arabic font (Noto Naskh Arabic) too. So a missing piece is named precisely: the
pip extra when the Python package is absent, the apt-get line when the libraries are.

HarfBuzz-subset counts as missing too: without it WeasyPrint still imports, but warns
(``DeprecationWarning``: it "will be required") and embeds whole fonts. That warning is not
shown to anyone; PDF is reported unavailable with the one apt-get line instead, so a machine
with Pango alone (Debian's base image) writes the other formats and says what to install.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
import warnings
from typing import Any

from ..errors import ConfigError

PIP_HINT = "pip install 'summarizer[pdf]'"
APT_HINT = "apt-get install -y fonts-noto-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"


# catch_warnings changes process-wide state: one import at a time (batch renders in threads).
_IMPORT_LOCK = threading.Lock()


def _weasyprint() -> Any:
    try:
        with _IMPORT_LOCK, warnings.catch_warnings():
            # Said below as a missing library, in one line, rather than printed as a warning.
            warnings.filterwarnings("ignore", "HarfBuzz-Subset", DeprecationWarning)
            import weasyprint
            from weasyprint.text import ffi
    except ImportError as exc:
        raise ConfigError(f"PDF briefings need WeasyPrint: {PIP_HINT}") from exc
    except OSError as exc:  # WeasyPrint loads Pango with ctypes at import time
        raise ConfigError(f"PDF briefings need Pango and fonts: {APT_HINT} ({exc})") from exc
    # A WeasyPrint that requires the library fails to import above instead (OSError).
    if getattr(ffi, "harfbuzz_subset", True) is None:
        raise ConfigError(f"PDF briefings need HarfBuzz-subset and fonts: {APT_HINT}")
    return weasyprint


def pdf_available() -> str | None:
    """``None`` when PDF briefings can be made here, else what to install, in one line."""
    try:
        _weasyprint()
    except ConfigError as exc:
        return str(exc)
    return None


def arabic_font_missing() -> str | None:
    """What to install when Noto Naskh Arabic is absent (PDFs then fall back to DejaVu Sans,
    which joins letters but extracts less cleanly); ``None`` when present or unknowable."""
    fc_list = shutil.which("fc-list")  # fontconfig's own tool; Pango finds fonts through it
    if fc_list is None:
        return None
    found = subprocess.run(
        [fc_list, "Noto Naskh Arabic", "family"], capture_output=True, text=True, check=False
    )
    if found.stdout.strip():
        return None
    return "the Arabic font Noto Naskh Arabic is missing: apt-get install -y fonts-noto-core"


def html_to_pdf(html: str) -> bytes:
    """The PDF of a self-contained HTML document (nothing is fetched: no base URL)."""
    weasyprint = _weasyprint()
    pdf: bytes = weasyprint.HTML(string=html).write_pdf()
    return pdf
