from pathlib import Path

import pytest

from corpusforge.filters.secrets import (
    API_KEY, CONNECTION_STRING, EMAIL, HAS_PRIVATE_KEY, IP_ADDRESS, MOSTLY_SECRETS, PASSWORD,
    PRIVATE_KEY, TOKEN, Finding, SecretsPolicy, _plugin_detectors, find_secrets, redact,
    redaction_counts, secret_share, secrets_decision,
)

FIXTURES = Path(__file__).parent / "fixtures" / "secrets"
# Every input fixture; "<name>.redacted" beside it is the exact expected output, and an
# input without one must come out unchanged.
INPUTS = sorted(p.name for p in FIXTURES.iterdir() if p.suffix != ".redacted")


def read(name: str) -> str:
    return (FIXTURES / name).read_text()


def expected_output(name: str) -> str:
    expected = FIXTURES / f"{name}.redacted"
    return expected.read_text() if expected.exists() else read(name)


@pytest.mark.parametrize("name", INPUTS)
def test_fixture_redacts_exactly_to_expected_output(name):
    text = read(name)
    assert redact(text, find_secrets(text)) == expected_output(name)


@pytest.mark.parametrize("name", ["negatives.ts", "package-lock.json"])
def test_negatives_have_no_findings(name):
    assert find_secrets(read(name)) == []


@pytest.mark.parametrize("line, kind, value", [
    ('const k = "AKIAIOSFODNN7EXAMPLE";', API_KEY, "AKIAIOSFODNN7EXAMPLE"),
    ('aws_secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"', API_KEY,
     "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
    # detect-secrets reports only "ghp" for this pattern: the span must be the whole token.
    ("gh = 'ghp_EXAMPLEexampleEXAMPLEexample00000000'", TOKEN,
     "ghp_EXAMPLEexampleEXAMPLEexample00000000"),
    # ... and drops a JWT's signature: the span must include it.
    ("jwt: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl;", TOKEN,
     "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"),
    ('password: "hunter2",', PASSWORD, "hunter2"),
    ("const dbPassword = 'x';", PASSWORD, "x"),
    ('const clientSecret = "s3cr3tValue";', API_KEY, "s3cr3tValue"),
    ("url = postgres://user:pass@host.example.com/db;", CONNECTION_STRING,
     "postgres://user:pass@host.example.com/db"),
    ('"mongodb+srv://u:p@cluster0.example.net/test"', CONNECTION_STRING,
     "mongodb+srv://u:p@cluster0.example.net/test"),
    ("REDIS_URL=redis://:pass@cache.example.com:6379", CONNECTION_STRING,
     "redis://:pass@cache.example.com:6379"),
    ("// mail jane.doe@example.com.", EMAIL, "jane.doe@example.com"),
    ("ping 8.8.8.8, then retry", IP_ADDRESS, "8.8.8.8"),
])
def test_each_kind_redacts_only_its_value(line, kind, value):
    [finding] = find_secrets(line)
    assert (finding.kind, line[finding.start:finding.end]) == (kind, value)
    assert redact(line, [finding]) == line.replace(value, f"<{kind}>", 1)


@pytest.mark.parametrize("line", [
    "import x from '@scope/pkg';",
    '"version": "1.2.3"',
    '"version": "1.2.3.4"',
    "release v1.2.3.4",
    "img@2x.png",
    "@Component({",
    "user@example",
    "git@github.com:org/repo.git",
    "localhost:3000",
    "192.168.1.10",
    "10.0.0.1 172.16.0.1 127.0.0.1 0.0.0.0",
    "password: string;",
    "const password = process.env.DB_PASSWORD",
    'const passwordHint = "Enter your password";',
    "postgres://${user}:${pass}@${host}/db",
    "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
])
def test_negative_line_is_untouched(line):
    assert find_secrets(line) == []


@pytest.mark.parametrize("name", INPUTS)
def test_text_outside_findings_is_preserved(name):
    text = read(name)
    findings = find_secrets(text)
    redacted = redact(text, findings)
    for f in findings:
        alone = redact(text, [f])
        assert alone[:f.start] == text[:f.start]
        assert alone[f.start:] == f"<{f.kind}>" + text[f.end:]
    # All findings together: walk both strings, gap by gap.
    position, previous_end = 0, 0
    for f in findings:
        for piece in (text[previous_end:f.start], f"<{f.kind}>"):
            assert redacted.startswith(piece, position), (name, f, position)
            position += len(piece)
        previous_end = f.end
    assert redacted[position:] == text[previous_end:]


@pytest.mark.parametrize("name", INPUTS)
def test_findings_are_sorted_non_empty_and_disjoint(name):
    findings = find_secrets(read(name))
    assert all(f.start < f.end for f in findings)
    assert all(a.end <= b.start for a, b in zip(findings, findings[1:]))


def test_overlap_keeps_the_longer_span():
    line = 'password: "postgres://admin:pw@db.example.com/app"'
    assert find_secrets(line) == [Finding(11, 49, CONNECTION_STRING)]


def test_private_key_in_escaped_string_covers_whole_block():
    line = ('const key = "-----BEGIN PRIVATE KEY-----\\nMIIBFAKEFAKE\\n'
            '-----END PRIVATE KEY-----\\n";')
    assert redact(line, find_secrets(line)) == 'const key = "<PRIVATE_KEY>\\n";'


def test_unterminated_private_key_covers_its_base64_lines_only():
    text = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIFAKE\nAoGBAFAKE=\nexport const x = 1;\n"
    assert redact(text, find_secrets(text)) == "<PRIVATE_KEY>\nexport const x = 1;\n"


def test_pgp_private_key_block_is_one_finding():
    text = "a\n-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBFAKE\n-----END PGP PRIVATE KEY BLOCK-----\nb"
    assert redact(text, find_secrets(text)) == "a\n<PRIVATE_KEY>\nb"


def test_counts_per_kind():
    assert redaction_counts(find_secrets(read("keys.env"))) == {API_KEY: 3, TOKEN: 2}
    assert redaction_counts(find_secrets(read("pii.ts"))) == {EMAIL: 2, IP_ADDRESS: 2}
    assert redaction_counts([]) == {}


def test_secret_share_ignores_emails_and_ips():
    text = read("pii.ts")
    assert secret_share(text, find_secrets(text)) == 0.0
    assert secret_share("", []) == 0.0
    assert secret_share("abcd", [Finding(0, 1, TOKEN), Finding(2, 4, EMAIL)]) == 0.25


def test_private_key_document_is_rejected():
    text = read("private_key.ts")
    redacted, counts, reason, detail = secrets_decision(text, SecretsPolicy())
    assert (reason, detail) == (HAS_PRIVATE_KEY, "1 private key block(s)")
    assert counts == {PRIVATE_KEY: 1}
    assert redacted == expected_output("private_key.ts")


def test_private_key_rejection_follows_policy():
    policy = SecretsPolicy(reject_private_keys=False, max_secret_share=1.0)
    assert secrets_decision(read("private_key.ts"), policy)[2:] == (None, None)


def test_env_file_of_keys_is_mostly_secrets():
    text = read("keys.env")
    redacted, counts, reason, detail = secrets_decision(text, SecretsPolicy())
    share = secret_share(text, find_secrets(text))
    assert share > 0.3
    assert (reason, detail) == (MOSTLY_SECRETS, f"secret share {share:.3f} > 0.3")
    assert counts == {API_KEY: 3, TOKEN: 2}
    assert redacted == expected_output("keys.env")


def test_code_with_a_few_secrets_is_kept_redacted():
    text = read("passwords.ts")
    redacted, counts, reason, detail = secrets_decision(text, SecretsPolicy())
    assert (redacted, reason, detail) == (expected_output("passwords.ts"), None, None)
    assert counts == {PASSWORD: 3, API_KEY: 1}


def test_redact_rejects_overlapping_findings():
    with pytest.raises(ValueError, match="overlapping"):
        redact("abcdef", [Finding(0, 3, TOKEN), Finding(2, 4, EMAIL)])


def test_detectors_are_built_once_per_process():
    find_secrets(read("tokens.ts"))
    assert _plugin_detectors() is _plugin_detectors()
