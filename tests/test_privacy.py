import hashlib
import hmac

from analysis.data.privacy import contains_personal_data, pseudonymous_id, redact


def test_pseudonymous_id_is_hmac_sha256_rfc4231_case2():
    # RFC 4231 test case 2: HMAC-SHA-256(key "Jefe", "what do ya want for nothing?")
    expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    assert hmac.new(b"Jefe", b"what do ya want for nothing?", hashlib.sha256).hexdigest() == expected
    assert pseudonymous_id("what do ya want for nothing?", b"Jefe") == "R" + expected[:12]


def test_pseudonymous_id_is_stable_case_insensitive_and_keyed():
    assert pseudonymous_id("Kru.A@Example.com ", b"k") == pseudonymous_id("kru.a@example.com", b"k")
    assert pseudonymous_id("kru.a@example.com", b"k") != pseudonymous_id("kru.a@example.com", b"other")


def test_redact_removes_emails_phones_ids_and_titled_names():
    text = "ติดต่อ นายสมชาย ใจดี 081-234-5678 somchai@school.ac.th บัตร 1-1012-00345-67-8"
    out = redact(text)
    for secret in ("สมชาย", "081-234-5678", "somchai@school.ac.th", "1-1012-00345-67-8"):
        assert secret not in out
    assert not contains_personal_data(out)
    assert contains_personal_data("โทร 0812345678")
