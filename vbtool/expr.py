"""Expressions inside YAML text: `{{ ty_le(1487, 1611) }}`, `{{ don_vi.ten }}`.

Why a gate on the first name: a plan's prose may legitimately contain "{{" or
"{%" (and must print them literally), while drafters also want figures and,
in a batch, the unit's fields computed into the text. So an expression is
evaluated only when it starts with a number or a name vbtool provides
(``don_vi``, ``so_lieu`` and the number helpers); any other ``{{ … }}`` and
every ``{% … %}`` stays as written. Evaluation runs in Jinja2's immutable
sandbox with StrictUndefined: an unknown field is an error, never a blank.
"""
from __future__ import annotations

import re
from functools import lru_cache

from jinja2 import StrictUndefined, TemplateError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .numwords import BO_LOC

FUNCTIONS = {"ty_le", "phan_so", "so", "so_chu", "tien_chu", "thu_tu", "so_dem"}
KNOWN_ROOTS = {"don_vi", "so_lieu"} | FUNCTIONS
_EXPR = re.compile(r"\{\{(.*?)\}\}", re.S)
_ROOT = re.compile(r"\s*(-?\d|[A-Za-z_]\w*)")


class ExprError(ValueError):
    """A failed expression; the message is Vietnamese and ready to print."""


@lru_cache(maxsize=1)
def _env() -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
    env.filters.update(BO_LOC)
    env.globals.update(BO_LOC)
    return env


@lru_cache(maxsize=4096)
def _compile(expr: str):
    return _env().from_string("{{" + expr + "}}")


def is_expression(inner: str) -> bool:
    m = _ROOT.match(inner)
    return bool(m) and (m.group(1)[0].isdigit() or m.group(1)[0] == "-" or m.group(1) in KNOWN_ROOTS)


def has_expressions(text: str) -> bool:
    return "{{" in text and any(is_expression(m.group(1)) for m in _EXPR.finditer(text))


def expand(text: str, context: dict) -> str:
    """Evaluate the vbtool expressions of one string; raise ExprError."""
    def one(m: re.Match) -> str:
        inner = m.group(1)
        if not is_expression(inner):
            return m.group(0)
        root = _ROOT.match(inner).group(1)
        if root == "don_vi" and context.get("don_vi") is None:
            raise ExprError("{{ don_vi… }} chỉ dùng khi dựng hàng loạt theo đơn vị (vbtool batch)")
        try:
            return _compile(inner).render(context)
        except UndefinedError as exc:
            raise ExprError(f"biểu thức {{{{{inner}}}}}: không có trường này ({_undefined_name(exc)})") from None
        except TemplateError as exc:
            raise ExprError(f"biểu thức {{{{{inner}}}}} không hợp lệ: {exc.message}") from None
        except (ValueError, TypeError, ZeroDivisionError) as exc:
            raise ExprError(f"biểu thức {{{{{inner}}}}}: {exc}") from None
    return _EXPR.sub(one, text)


def _undefined_name(exc: UndefinedError) -> str:
    m = re.search(r"'([^']+)'(?: is undefined| has no attribute '([^']+)')", str(exc))
    if not m:
        return str(exc)
    return m.group(2) or m.group(1)
