"""URL canonicalisation: one key per article, whatever tracking or AMP decoration a link carries.

w3lib (Scrapy's own URL library) does the RFC-level normalisation: scheme and host case,
percent-encoding, default ports, sorted query, no fragment. On top of it this module removes
tracking parameters and the unambiguous AMP markers. Ambiguous AMP shapes (an ``/amp/`` path
prefix, an ``amp.`` host) are left alone: the page's ``rel=canonical`` resolves them after
the fetch, which is authoritative.
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult, parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

# Exact names of query parameters that only track where a click came from.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "maca",
        "_ga",
        "_gl",
        "ocid",
        "icid",
        "cmpid",
        "xtor",
        "smid",
        "ref_src",
        "ref_url",
        "soc_src",
        "soc_trk",
        "sr_share",
        "ito",
        "from_rss",
        "traffic_source",
        "mbid",
        "spm",
        "ncid",
        "s_cid",
    }
)
# Prefixes of tracking parameter families (utm_source, utm_medium, at_campaign, ...).
TRACKING_PREFIXES = ("utm_", "at_", "ns_", "pk_", "mtm_", "hsa_", "oly_", "vero_", "__twitter")
AMP_PARAMS = frozenset({"amp", "amp_js_v", "usqp", "amp_gsa"})
_AMP_PATH = re.compile(r"(/amp/?|\.amp)$")
_AMP_HTML = re.compile(r"\.amp\.html$")
_BAD_HOST = re.compile(r"[\s\x00-\x1f\x7f<>\"{}|\\^`]")


def is_http_url(url: str) -> bool:
    """True for absolute http(s) URLs with a well-formed host and port: the only ones
    newsmon ever requests."""
    try:
        parts = urlsplit(url)
        host, _ = parts.hostname, parts.port  # .port raises on a port that is not one
    except ValueError:  # an unclosed IPv6 bracket, a port like ":80x" or ":99999"
        return False
    return parts.scheme in ("http", "https") and bool(host) and not _BAD_HOST.search(host or "")


def absolute_url(href: str, base_url: str) -> str | None:
    """Resolve a link against its page; None unless the result is http(s)."""
    try:
        joined = urljoin(base_url, href.strip())
    except ValueError:  # the base or the link is not a URL at all
        return None
    return joined if is_http_url(joined) else None


def canonicalize(url: str) -> str:
    """The key newsmon files a URL under: normalised, untracked, de-AMPed, no fragment.
    Only for URLs ``is_http_url`` accepts."""
    parts = urlsplit(canonicalize_url(url, keep_fragments=False))
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _is_noise_param(key, value)
    ]
    path = _strip_amp_path(parts.path)
    return urlunsplit((parts.scheme, _netloc(parts), path, urlencode(query), ""))


def _netloc(parts: SplitResult) -> str:
    default_port = {"http": 80, "https": 443}.get(parts.scheme)
    if parts.port is not None and parts.port == default_port:
        return parts.netloc.rsplit(":", 1)[0]
    return parts.netloc


def _is_noise_param(name: str, value: str) -> bool:
    lowered = name.lower()
    return (
        lowered in TRACKING_PARAMS
        or lowered in AMP_PARAMS
        or lowered.startswith(TRACKING_PREFIXES)
        or (lowered == "outputtype" and value.lower() == "amp")
    )


def _strip_amp_path(path: str) -> str:
    if _AMP_HTML.search(path):
        return _AMP_HTML.sub(".html", path)
    stripped = _AMP_PATH.sub("", path)
    if stripped == path:
        return path
    return stripped + "/" if path.endswith("/") else stripped or "/"
