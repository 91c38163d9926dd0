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

from .numwords import BO_LOC

# Jinja2 is imported on the first expression only: most plans have none, and
# importing it costs a third of a `vbtool render` (bench/render.py).

FUNCTIONS = {"ty_le", "phan_so", "so", "so_chu", "tien_chu", "thu_tu", "so_dem"}
KNOWN_ROOTS = {"don_vi", "so_lieu"} | FUNCTIONS
_EXPR = re.compile(r"\{\{(.*?)\}\}", re.S)
_ROOT = re.compile(r"\s*(-?\d|[A-Za-z_]\w*)")


class ExprError(ValueError):
    """A failed expression; the message is Vietnamese and ready to print."""


MAX_RESULT = 10_000          # characters one expression may produce
MAX_POWER = 64               # largest exponent of **
MAX_REPEAT = 1_000           # largest repetition of a string or list by *


def _strict(fn):
    """A helper given an undefined value names the missing field instead of
    saying "không phải là số: Undefined"."""
    from jinja2 import Undefined

    def wrapped(*args, **kwargs):
        for a in (*args, *kwargs.values()):
            if isinstance(a, Undefined):
                a._fail_with_undefined_error()
        return fn(*args, **kwargs)
    return wrapped


@lru_cache(maxsize=1)
def _env():
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class _Env(ImmutableSandboxedEnvironment):
        """The sandbox also bounds arithmetic: `9**9**9` or `'x' * 10**8` would
        otherwise hang the process or fill the memory."""

        intercepted_binops = frozenset(["**", "*"])

        def call_binop(self, context, operator, left, right):
            if operator == "**" and isinstance(right, (int, float)) and abs(right) > MAX_POWER:
                raise ValueError(f"số mũ quá lớn (tối đa {MAX_POWER})")
            if operator == "*" and (isinstance(left, (str, list)) or isinstance(right, (str, list))):
                n = right if isinstance(left, (str, list)) else left
                if isinstance(n, int) and n > MAX_REPEAT:
                    raise ValueError(f"lặp chuỗi quá nhiều lần (tối đa {MAX_REPEAT})")
            return super().call_binop(context, operator, left, right)

    env = _Env(undefined=StrictUndefined, autoescape=False)
    helpers = {name: _strict(fn) for name, fn in BO_LOC.items()}
    env.filters.update(helpers)
    env.globals.update(helpers)
    return env


@lru_cache(maxsize=4096)
def _compile(expr: str):
    return _env().from_string("{{" + expr + "}}")


_FILTER = re.compile(r"\|\s*(" + "|".join(sorted(FUNCTIONS)) + r")\b")


def is_expression(inner: str) -> bool:
    """Evaluated: starts with a number or a vbtool name, or pipes into a vbtool helper."""
    m = _ROOT.match(inner)
    if m and (m.group(1)[0].isdigit() or m.group(1)[0] == "-" or m.group(1) in KNOWN_ROOTS):
        return True
    return bool(_FILTER.search(inner))


def has_expressions(text: str) -> bool:
    return "{{" in text and any(is_expression(m.group(1)) for m in _EXPR.finditer(text))


def expand(text: str, context: dict) -> str:
    """Evaluate the vbtool expressions of one string; raise ExprError."""
    def one(m: re.Match) -> str:
        inner = m.group(1)
        if not is_expression(inner):
            return m.group(0)
        m_root = _ROOT.match(inner)
        root = m_root.group(1) if m_root else ""
        if root == "don_vi" and context.get("don_vi") is None:
            raise ExprError("{{ don_vi… }} chỉ dùng khi dựng hàng loạt theo đơn vị (vbtool batch)")
        from jinja2 import TemplateError, UndefinedError
        try:
            out = _compile(inner).render(context)
            if len(out) > MAX_RESULT:
                raise ValueError(f"kết quả dài quá {MAX_RESULT} ký tự")
            return out
        except UndefinedError as exc:
            raise ExprError(f"biểu thức {{{{{inner}}}}}: không có trường này ({_undefined_name(exc)})") from None
        except TemplateError as exc:
            raise ExprError(f"biểu thức {{{{{inner}}}}} không hợp lệ: {exc.message}") from None
        except (ValueError, ZeroDivisionError) as exc:
            raise ExprError(f"biểu thức {{{{{inner}}}}}: {exc}") from None
        except (TypeError, OverflowError, ArithmeticError):
            raise ExprError(f"biểu thức {{{{{inner}}}}}: phép tính không thực hiện được với các giá trị này") from None
    return _EXPR.sub(one, text)


def _undefined_name(exc) -> str:
    m = re.search(r"'([^']+)'(?: is undefined| has no attribute '([^']+)')", str(exc))
    if not m:
        return str(exc)
    return m.group(2) or m.group(1)
