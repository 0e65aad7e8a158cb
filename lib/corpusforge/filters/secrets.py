"""Secrets and PII in code: find them, replace them with placeholders, reject the worst.

``find_secrets`` returns exact character spans (``Finding``) of API keys, tokens, private
key blocks, passwords in assignments, connection strings with credentials, emails and
public IPv4 addresses; ``redact`` swaps each span for ``<KIND>`` and touches nothing else;
``secrets_decision`` redacts and says whether the document should be rejected instead.

Known token formats come from detect-secrets' regex plugins (pinned: the span mapping
below relies on their ``denylist`` patterns and the keyword plugin's pattern table).
Its high-entropy plugins are deliberately not used: alone they flag every hash in lock
files and test data. Detectors are built once per process (``_plugin_detectors``).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

from detect_secrets.plugins.aws import AWSKeyDetector
from detect_secrets.plugins.discord import DiscordBotTokenDetector
from detect_secrets.plugins.github_token import GitHubTokenDetector
from detect_secrets.plugins.gitlab_token import GitLabTokenDetector
from detect_secrets.plugins.jwt import JwtTokenDetector
from detect_secrets.plugins.keyword import QUOTES_REQUIRED_DENYLIST_REGEX_TO_GROUP
from detect_secrets.plugins.mailchimp import MailchimpDetector
from detect_secrets.plugins.openai import OpenAIDetector
from detect_secrets.plugins.pypi_token import PypiTokenDetector
from detect_secrets.plugins.sendgrid import SendGridDetector
from detect_secrets.plugins.slack import SlackDetector
from detect_secrets.plugins.square_oauth import SquareOAuthDetector
from detect_secrets.plugins.stripe import StripeDetector
from detect_secrets.plugins.telegram_token import TelegramBotTokenDetector
from detect_secrets.plugins.twilio import TwilioKeyDetector

# Finding kinds; each is also the placeholder's name (<API_KEY>, ...).
PRIVATE_KEY = "PRIVATE_KEY"
CONNECTION_STRING = "CONNECTION_STRING"
API_KEY = "API_KEY"
TOKEN = "TOKEN"
PASSWORD = "PASSWORD"
EMAIL = "EMAIL"
IP_ADDRESS = "IP_ADDRESS"
# Also the tie-break when two candidate spans overlap and are equally long: earlier wins.
KINDS: tuple[str, ...] = (PRIVATE_KEY, CONNECTION_STRING, API_KEY, TOKEN, PASSWORD, EMAIL,
                          IP_ADDRESS)
# Kinds that are credentials (secret_share counts them); emails and IPs are PII only.
SECRET_KINDS: frozenset[str] = frozenset({PRIVATE_KEY, CONNECTION_STRING, API_KEY, TOKEN,
                                          PASSWORD})

# Reason codes of secrets_decision.
HAS_PRIVATE_KEY = "private_key"
MOSTLY_SECRETS = "mostly_secrets"


@dataclass(frozen=True)
class Finding:
    """``text[start:end]`` is a secret or PII of ``kind`` (one of KINDS)."""

    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class SecretsPolicy:
    """When secrets_decision rejects a document rather than only redacting it."""

    # Largest share of characters inside credential spans (SECRET_KINDS); above it the
    # document is a dump of secrets (.env files, key lists) with nothing left to learn from.
    max_secret_share: float = 0.3
    # Reject any document holding a private key block: it is a leaked key file or test
    # material, and a redacted key teaches nothing.
    reject_private_keys: bool = True


DEFAULT_POLICY = SecretsPolicy()

# detect-secrets regex plugins and the kind their matches become.
_PLUGIN_KINDS: tuple[tuple[type, str], ...] = (
    (AWSKeyDetector, API_KEY),
    (StripeDetector, API_KEY),
    (TwilioKeyDetector, API_KEY),
    (OpenAIDetector, API_KEY),
    (SendGridDetector, API_KEY),
    (MailchimpDetector, API_KEY),
    (GitHubTokenDetector, TOKEN),
    (GitLabTokenDetector, TOKEN),
    (SlackDetector, TOKEN),
    (SquareOAuthDetector, TOKEN),
    (PypiTokenDetector, TOKEN),
    (DiscordBotTokenDetector, TOKEN),
    (TelegramBotTokenDetector, TOKEN),
)
# A plugin pattern's capture group shorter than this names the token family ("ghp",
# "glpat"), which is what detect-secrets reports as the secret; the value is the whole
# match. Longer groups are the value itself (AWS secret keys after their variable name).
_MIN_VALUE_GROUP_CHARS = 8
_ALNUM = re.compile(r"[A-Za-z0-9]")

# detect-secrets' JWT pattern ends lazily and drops the signature, so the span comes
# from this pattern and only the validity check from the plugin.
_JWT = re.compile(r"(?<![\w-])eyJ[\w-]+=*\.eyJ[\w-]+=*\.[\w-]*=*(?![\w-])")

# Keyword assignments (detect-secrets' quoted-value patterns): keywords naming a
# password give PASSWORD, the others (api_key, secret, private_key, ...) API_KEY.
_PASSWORD_KEYWORD = re.compile(r"pass|pwd|contrase", re.IGNORECASE)
# Quoted values with whitespace are labels and messages ("Enter your password").
_WHITESPACE = re.compile(r"\s")

_PRIVATE_KEY_BLOCK = re.compile(r"""
    -----BEGIN\ (?P<type>(?:[A-Z0-9]+\ )*)PRIVATE\ KEY(?P<block>(?:\ BLOCK)?)-----
    (?: [\s\S]*?-----END\ (?P=type)PRIVATE\ KEY(?P=block)-----
      # Unterminated: the whole base64 lines that follow (real or escaped newlines).
      | (?:(?:\r?\n|\\n)[A-Za-z0-9+/=]+(?=[\r\n\\"'`]|\Z))*
    )
""", re.VERBOSE)

# scheme://user:password@host..., password non-empty (user may be empty: redis://:pw@h).
_CONNECTION_STRING = re.compile(r"""
    (?<![\w+.-])[A-Za-z][A-Za-z0-9+.-]*://
    (?P<user>[^\s:@/'"`<>]*):(?P<password>[^\s@/'"`<>]+)@
    [^\s'"`<>]+
""", re.VERBOSE)
# Placeholders rather than literal passwords: ${DB_PASS}, {password}, <password>.
_TEMPLATED = re.compile(r"[${}<>]")
_URL_TRAILING = ".,;:)]}"

_EMAIL = re.compile(r"""
    (?<![\w.%+@/-])
    (?P<local>[A-Za-z0-9][A-Za-z0-9._%+-]*)
    @(?P<domain>(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,})
    (?![\w-]|\.[A-Za-z0-9])
""", re.VERBOSE)
# "logo@2x.png", "icon@3x.webp": asset names, not addresses.
_FILE_SUFFIXES: frozenset[str] = frozenset({
    "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "ico", "bmp", "js", "mjs", "cjs", "ts",
    "tsx", "jsx", "css", "scss", "less", "json", "map", "html", "md", "txt", "woff", "woff2",
})
# "git@github.com:org/repo.git" is an SSH remote, not a person.
_NON_PERSONAL_LOCAL_PARTS: frozenset[str] = frozenset({"git"})

_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)")
# A dotted quad shortly after "version" on the same line is a four-part version.
_VERSION_CONTEXT = re.compile(r"version[^\n]{0,20}$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _plugin_detectors() -> tuple[tuple[object, str], ...]:
    """One instance of each plugin per process (Spark executors reuse it per document)."""
    return tuple((plugin_class(), kind) for plugin_class, kind in _PLUGIN_KINDS)


@lru_cache(maxsize=1)
def _jwt_detector() -> JwtTokenDetector:
    return JwtTokenDetector()


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """``(offset, line)`` for every line of ``text``, newline excluded."""
    offset = 0
    for line in text.split("\n"):
        yield offset, line
        offset += len(line) + 1


def _standalone(line: str, start: int, end: int) -> bool:
    """The span is not a piece of a longer alphanumeric run (a base64 blob, an identifier)."""
    return ((start == 0 or not _ALNUM.match(line[start - 1]))
            and (end == len(line) or not _ALNUM.match(line[end])))


def _value_span(match: re.Match) -> tuple[int, int]:
    for group in range(1, (match.re.groups or 0) + 1):
        start, end = match.span(group)
        if end - start >= _MIN_VALUE_GROUP_CHARS:
            return start, end
    return match.span()


def _plugin_findings(line: str, offset: int) -> list[Finding]:
    findings = []
    for plugin, kind in _plugin_detectors():
        for regex in plugin.denylist:
            for match in regex.finditer(line):
                start, end = _value_span(match)
                # Re-running the plugin on the match keeps any check it adds to its regex.
                if _standalone(line, start, end) and any(plugin.analyze_string(match.group())):
                    findings.append(Finding(offset + start, offset + end, kind))
    for match in _JWT.finditer(line):
        if _jwt_detector().is_formally_valid(match.group()):
            findings.append(Finding(offset + match.start(), offset + match.end(), TOKEN))
    return findings


def _keyword_findings(line: str, offset: int) -> list[Finding]:
    if "'" not in line and '"' not in line and "`" not in line:
        return []
    findings = []
    for regex, group in QUOTES_REQUIRED_DENYLIST_REGEX_TO_GROUP.items():
        for match in regex.finditer(line):
            start, end = match.span(group)
            if _WHITESPACE.search(match.group(group)):
                continue
            whole = match.group()
            keyword = whole[:start - match.start()] + whole[end - match.start():]
            kind = PASSWORD if _PASSWORD_KEYWORD.search(keyword) else API_KEY
            findings.append(Finding(offset + start, offset + end, kind))
    return findings


def _private_key_findings(text: str) -> list[Finding]:
    return [Finding(*match.span(), PRIVATE_KEY) for match in _PRIVATE_KEY_BLOCK.finditer(text)]


def _connection_string_findings(text: str) -> list[Finding]:
    findings = []
    for match in _CONNECTION_STRING.finditer(text):
        if _TEMPLATED.search(match.group("user") + match.group("password")):
            continue
        url = match.group().rstrip(_URL_TRAILING)
        findings.append(Finding(match.start(), match.start() + len(url), CONNECTION_STRING))
    return findings


def _email_findings(text: str) -> list[Finding]:
    findings = []
    for match in _EMAIL.finditer(text):
        suffix = match.group("domain").rsplit(".", 1)[-1].lower()
        if suffix in _FILE_SUFFIXES or match.group("local").lower() in _NON_PERSONAL_LOCAL_PARTS:
            continue
        findings.append(Finding(match.start(), match.end(), EMAIL))
    return findings


def _ip_findings(text: str) -> list[Finding]:
    findings = []
    for match in _IPV4.finditer(text):
        if any(len(octet) > 1 and octet[0] == "0" for octet in match.group().split(".")):
            continue  # leading zeros: a date or version, never how an address is written
        try:
            address = ipaddress.IPv4Address(match.group())
        except ipaddress.AddressValueError:
            continue  # an octet above 255
        # Loopback, unspecified, private (10/8, 172.16/12, 192.168/16), link-local and
        # documentation ranges identify no one and fill config examples; only globally
        # routable unicast addresses can point at a person or a host.
        if not address.is_global or address.is_multicast:
            continue
        line_start = text.rfind("\n", 0, match.start()) + 1
        if _VERSION_CONTEXT.search(text, line_start, match.start()):
            continue
        findings.append(Finding(match.start(), match.end(), IP_ADDRESS))
    return findings


def _non_overlapping(candidates: list[Finding]) -> list[Finding]:
    """Longest spans first (ties by KINDS order, then position); drop any that overlap."""
    rank = {kind: i for i, kind in enumerate(KINDS)}
    kept: list[Finding] = []
    for finding in sorted(candidates, key=lambda f: (f.start - f.end, rank[f.kind], f.start)):
        if all(finding.end <= other.start or other.end <= finding.start for other in kept):
            kept.append(finding)
    return sorted(kept, key=lambda f: f.start)


def find_secrets(text: str) -> list[Finding]:
    """Secrets and PII in ``text``: sorted by start, non-overlapping, never empty spans.

    Token and key spans cover the value only (not its variable name or quotes);
    PRIVATE_KEY covers the whole BEGIN..END block; CONNECTION_STRING the whole URL.
    Where candidates overlap the longer span wins.
    """
    candidates = (_private_key_findings(text) + _connection_string_findings(text)
                  + _email_findings(text) + _ip_findings(text))
    for offset, line in _lines(text):
        if line.strip():
            candidates += _plugin_findings(line, offset) + _keyword_findings(line, offset)
    return _non_overlapping([f for f in candidates if f.end > f.start])


def redact(text: str, findings: list[Finding]) -> str:
    """``text`` with each finding's span replaced by ``<KIND>``; all else unchanged.

    Raises ValueError when findings overlap (find_secrets never returns such).
    """
    parts, position = [], 0
    for finding in sorted(findings, key=lambda f: f.start):
        if finding.start < position:
            raise ValueError(f"overlapping findings at offset {finding.start}: "
                             "pass the output of find_secrets")
        parts.append(text[position:finding.start])
        parts.append(f"<{finding.kind}>")
        position = finding.end
    parts.append(text[position:])
    return "".join(parts)


def redaction_counts(findings: list[Finding]) -> dict[str, int]:
    """Number of findings of each kind (kinds with none are absent)."""
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.kind] = counts.get(finding.kind, 0) + 1
    return counts


def secret_share(text: str, findings: list[Finding]) -> float:
    """Share of ``text``'s characters inside credential findings (SECRET_KINDS); 0.0 if empty."""
    if not text:
        return 0.0
    return sum(f.end - f.start for f in findings if f.kind in SECRET_KINDS) / len(text)


def secrets_decision(text: str, policy: SecretsPolicy = DEFAULT_POLICY
                     ) -> tuple[str, dict[str, int], str | None, str | None]:
    """``(redacted_text, counts, reason, detail)`` for one document.

    ``reason`` is HAS_PRIVATE_KEY when the text holds a private key block and the policy
    rejects those, else MOSTLY_SECRETS when secret_share exceeds ``max_secret_share``,
    else None (keep the redacted text); ``detail`` names the count or the share.
    """
    findings = find_secrets(text)
    counts = redaction_counts(findings)
    redacted = redact(text, findings)
    n_keys = counts.get(PRIVATE_KEY, 0)
    if policy.reject_private_keys and n_keys:
        return redacted, counts, HAS_PRIVATE_KEY, f"{n_keys} private key block(s)"
    share = secret_share(text, findings)
    if share > policy.max_secret_share:
        return (redacted, counts, MOSTLY_SECRETS,
                f"secret share {share:.3f} > {policy.max_secret_share}")
    return redacted, counts, None, None
