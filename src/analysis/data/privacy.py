"""Personal data: pseudonymous ids and redaction (Thailand's PDPA).

Names, e-mails, phone numbers, LINE IDs and 13-digit national ID numbers must never reach
processed data, logs, results or reports. Respondent keys are replaced by a keyed hash; any text the
pipeline writes out of a raw cell goes through :func:`redact`.
"""

from __future__ import annotations

import hmac
import os
import re
import unicodedata
from pathlib import Path

from analysis.errors import PhanatError

# A digit: Arabic or Thai (๐-๙). Numbers glued to letters or decimals are not phone numbers or
# IDs (hex digests, 0.0812345678 in a table), so every pattern has its own edges.
DIGIT = "[0-9\u0e50-\u0e59]"
EDGE_BEFORE = r"(?<![0-9\u0e50-\u0e59A-Za-z])(?<![0-9\u0e50-\u0e59][.,])"
EDGE_AFTER = r"(?![0-9\u0e50-\u0e59A-Za-z])(?![.,][0-9\u0e50-\u0e59])"
SEP = r"[ \-.\u2010-\u2013/)]?"  # one space, hyphen, dot, dash or slash between digits
EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+\s?(?:@|＠)\s?[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
NATIONAL_ID = re.compile(EDGE_BEFORE + DIGIT + rf"(?:[ \-.]?{DIGIT}){{12}}" + EDGE_AFTER)
PHONE = re.compile(
    EDGE_BEFORE
    + r"(?:(?:\+|００|00)\s?(?:66|๖๖)\s?[\-.]?\s?(?:\(0\)\s?)?|\(\+?66\)\s?|\(?[0๐])"
    + r"[1-9\u0e51-\u0e59]\)?"
    + rf"(?:[ \t]?{SEP}[ \t]?{DIGIT}){{7,8}}"  # not across lines: numbers of table cells are no phone
    + EDGE_AFTER
)
LINE_ID = re.compile(
    r"(?i)(?:(?<![A-Za-z])line\s*[-_ ]?id|(?<![A-Za-z])id\s*[-_ ]?line|ไอดี\s*ไลน์|ไลน์\s*ไอดี|ไลน์"
    r"|(?<![A-Za-z])line(?=\s*[:：=]))\s*[:：=]?\s*@?[A-Za-z0-9][A-Za-z0-9._\-]{2,30}"
)
# Thai titles and honorifics, longest first, as typed before a name (นายสมชาย, คุณ สมใจ,
# ผศ.ดร.สมศรี, ว่าที่ ร.ต.สมปอง) and the common English ones.
TITLES = (
    r"ว่าที่\s*(?:ร\.ต\.|ร้อยตรี|พ\.ต\.|ร\.อ\.)(?:\s*หญิง)?", r"นางสาว", r"น\.ส\.",
    r"นาง(?!พยาบาล|งาม|ฟ้า|แบบ|ใน)",
    r"นาย(?!ก|อำเภอ|ทะเบียน|จ้าง|ช่าง|หน้า|ด่าน|ตรวจ|ทหาร|ตำรวจ|ประกัน|ห้าง|สถานี|ทุน)",
    r"เด็กชาย", r"เด็กหญิง", r"ด\.ช\.", r"ด\.ญ\.", r"ผศ\.", r"รศ\.", r"ศ\.", r"ดร\.", r"นพ\.",
    r"พญ\.", r"ผอ\.", r"คุณ(?!ภาพ|ค่า|ลักษณ|ธรรม|สมบัติ|ประโยชน์|วุฒิ|ูปการ|ความ|าน|\s*ครู(?:\s|ทุก|และ|ผู้|$))",
    r"อาจารย์(?!ที่|ประจำ|ผู้|พิเศษ|นิเทศ|แนะแนว|ใหญ่|และ|\s)",
    r"ครู(?!และ|ผู้|ประจำ|ที่|ใน|ทุก|ทั้ง|อัตราจ้าง|พี่เลี้ยง|ชำนาญการ|ธุรการ|แนะแนว|เวร|ต้นแบบ|ดีเด่น|ภูมิปัญญา"
    r"|มืออาชีพ|อาสา|ใหญ่|คนดี|แกนนำ|\s)",
    r"(?:Mr|Mrs|Ms|Dr)\.?(?=\s)", r"Miss(?=\s)",
)  # fmt: skip
TITLE = "(?:" + "|".join(TITLES) + ")"
THAI_NAME = re.compile(
    r"(?<![\u0e01-\u0e4eA-Za-z.])(?:" + TITLE + r")+\s*(?:[\u0e01-\u0e4e]{2,}|[A-Z][a-z]+)"
    r"(?:\s+(?:[\u0e01-\u0e4e]{2,}|[A-Z][a-z]+))?"
)
# In finished outputs a title counts as a name only when a first name and a surname follow.
FULL_NAME = re.compile(
    r"(?<![\u0e01-\u0e4eA-Za-z.])(?:" + TITLE + r")+\s*(?:[\u0e01-\u0e4e]{2,}|[A-Z][a-z]+)"
    r"\s+(?:[\u0e01-\u0e4e]{2,}|[A-Z][a-z]+)"
)
STANDARD_ID = re.compile(rf"^{DIGIT}{{13}}$|^{DIGIT}([ -]){DIGIT}{{4}}\1{DIGIT}{{5}}\1{DIGIT}{{2}}\1{DIGIT}$")
THAI_TO_ARABIC = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def redact(text: str) -> str:
    """Replace e-mails, LINE IDs, national IDs, phone numbers (any separators, Thai digits,
    +66) and titled names (every Thai title and honorific) by placeholders."""
    text = EMAIL.sub("[e-mail]", text)
    text = LINE_ID.sub("[line-id]", text)
    text = NATIONAL_ID.sub("[national-id]", text)
    text = PHONE.sub("[phone]", text)
    return THAI_NAME.sub("[name]", text)


def is_national_id(candidate: str) -> bool:
    """A 13-digit number written as IDs are (contiguous, 1-2345-67890-12-3 or 1 2345 67890 12 3)
    or, in another grouping by hyphens or dots, with a valid check digit (s = sum of
    d_i * (14 - i), i = 1..12; check = (11 - s mod 11) mod 10): digits of a table separated by
    spaces are not an ID."""
    digits = re.sub(r"\D", "", candidate.translate(THAI_TO_ARABIC))
    if len(digits) != 13:
        return False
    if STANDARD_ID.match(candidate.translate(THAI_TO_ARABIC)):
        return True
    if " " in candidate:  # integers of a table row, "1480 86 612 2178", are not an ID
        return False
    total = sum(int(d) * (13 - i) for i, d in enumerate(digits[:12]))
    return (11 - total % 11) % 10 == int(digits[12])


def personal_data_kinds(text: str) -> list[str]:
    """The kinds of personal data found in finished output text: e-mail, LINE ID, national
    ID, phone number, name (a title followed by a first name and a surname)."""
    kinds = []
    if EMAIL.search(text):
        kinds.append("e-mail")
    if LINE_ID.search(text):
        kinds.append("LINE ID")
    if any(is_national_id(m.group()) for m in NATIONAL_ID.finditer(text)):
        kinds.append("national ID")
    if PHONE.search(text):
        kinds.append("phone number")
    if FULL_NAME.search(text):
        kinds.append("name")
    return kinds


def contains_personal_data(text: str) -> bool:
    """True when ``text`` holds something shaped like personal data (:func:`personal_data_kinds`)."""
    return bool(personal_data_kinds(text))


DEMO_KEYS = {"synthetic-demonstration-key"}
MIN_KEY_LENGTH = 16


def pseudonym_key(env_var: str, configured: str | None, *, synthetic: bool = False) -> bytes:
    """The HMAC key. For the synthetic example: the study config's published demonstration
    key, else the environment variable. For real data only a secret will do: the variable
    ``env_var`` or a file named by ``<env_var>_FILE`` outside the project folder, at least
    16 characters, and never the key written in the study config or a demonstration key
    (700 of 700 ids were reversed by hashing guessed e-mails with the published key)."""
    key = os.environ.get(env_var, "").strip()
    file_var = f"{env_var}_FILE"
    if not key and os.environ.get(file_var, "").strip():
        key = _key_from_file(Path(os.environ[file_var].strip()).expanduser(), file_var)
    if synthetic:  # the published key first, so that anyone reproduces the example's ids
        key = str(configured or "").strip() or key
        if not key:
            raise PhanatError(
                f"no pseudonymisation key: set the environment variable {env_var} "
                "(or pseudonym.key in the study config)"
            )
        return key.encode("utf-8")
    fix = (
        f"set the environment variable {env_var} (or {file_var}, naming a key file outside the "
        "project folder) to a secret of at least 16 characters"
    )
    if not key:
        raise PhanatError(
            "real data need a secret pseudonymisation key: " + fix + "; the key in the study config "
            "is published and is used only for the synthetic example"
        )
    if key in DEMO_KEYS or (configured and key == str(configured).strip()):
        raise PhanatError(
            f"the pseudonymisation key in {env_var} is the published one (the study config's or the "
            "demonstration key): " + fix
        )
    if len(key) < MIN_KEY_LENGTH:
        raise PhanatError(f"the pseudonymisation key in {env_var} is too short to be secret: " + fix)
    return key.encode("utf-8")


def _key_from_file(path: Path, var: str) -> str:
    from analysis.paths import PROJ_ROOT

    resolved = path.resolve()
    if resolved == PROJ_ROOT or PROJ_ROOT in resolved.parents:
        raise PhanatError(
            f"the key file named by {var} is inside the project folder, where git or a copy of the "
            "study would publish it: keep it outside",
            file=path,
        )
    try:
        return resolved.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise PhanatError(
            f"the key file named by {var} cannot be read ({exc.__class__.__name__})", file=path
        ) from None


def pseudonymous_id(respondent_key: str, key: bytes) -> str:
    """Stable id ``R`` + 12 hex digits of HMAC-SHA256(key, normalised respondent key).

    The respondent key is NFKC-normalised, stripped and lower-cased first, so that
    ``A@x.org`` and ``a@x.org `` give the same id (RFC 2104 HMAC; FIPS 180-4 SHA-256).
    """
    if not respondent_key.isascii():  # NFKC leaves ASCII as it is (most keys are e-mails)
        respondent_key = unicodedata.normalize("NFKC", respondent_key)
    norm = respondent_key.strip().casefold()
    return "R" + hmac.digest(key, norm.encode("utf-8"), "sha256").hex()[:12]  # = hmac.new(...).hexdigest()
