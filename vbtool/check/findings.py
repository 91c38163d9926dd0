"""What the checker reports: findings located in the document, and the report of one file."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

REGIME_NAMES = {"nha_nuoc": "nhà nước", "dang": "Đảng"}


@dataclass(frozen=True)
class Finding:
    """One departure from a rule, located in the document."""

    rule_id: str
    severity: str            # "error" | "warning"
    location: str            # Vietnamese: "bảng 1, hàng 2, ô 1", "đoạn 12", ...
    excerpt: str
    message: str
    nguon: str = ""          # the profile element's source, for traceability

    def as_dict(self) -> dict:
        return {"rule_id": self.rule_id, "severity": self.severity, "location": self.location,
                "excerpt": self.excerpt, "message": self.message, "nguon": self.nguon}


@dataclass
class Report:
    """The result of checking one file."""

    file: str
    profile: str
    regime: str
    detected: bool           # the regime was recognised from the header (not given)
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity != "error"]

    @property
    def rule_ids(self) -> set[str]:
        return {f.rule_id for f in self.findings}

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0

    def as_dict(self) -> dict:
        return {"file": self.file, "profile": self.profile, "regime": self.regime,
                "regime_detected": self.detected, "errors": len(self.errors),
                "warnings": len(self.warnings), "findings": [f.as_dict() for f in self.findings]}

    def human_lines(self) -> list[str]:
        out = []
        for f in self.findings:
            kind = "lỗi" if f.severity == "error" else "cảnh báo"
            where = f.location + (f', "{f.excerpt}"' if f.excerpt else "")
            out.append(f"{self.file}: [{kind}] {f.rule_id} (vị trí: {where}): {f.message}")
        how = "tự nhận biết" if self.detected else "theo tùy chọn"
        regime = f"thể thức {REGIME_NAMES.get(self.regime, self.regime)}, hồ sơ {self.profile}, {how}"
        if self.findings:
            out.append(f"{self.file}: {len(self.errors)} lỗi, {len(self.warnings)} cảnh báo ({regime})")
        else:
            out.append(f"{self.file}: đạt, không có lỗi ({regime})")
        return out


def rule_prefix(profile_name: str) -> str:
    """"nd30-2020" → "ND30", "hd36-2018" → "HD36": the rule id prefix of a profile."""
    m = re.match(r"[a-z]+\d+", profile_name)
    return (m.group() if m else profile_name).upper()


def severity_of(nguon: str) -> str:
    """An error when the source is confirmed in the regulation ([C-…]), else a warning."""
    for tag in re.findall(r"\[([^\]]*)\]", nguon or ""):
        if re.search(r"\bC-", tag):
            return "error"
    return "warning"
