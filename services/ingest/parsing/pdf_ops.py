"""Counting a PDF's content-stream operators before its text is extracted. Pure.

Extraction parses a page's content stream, and every form XObject it draws, each time they are used:
ten pages sharing one stream of 100,000 operators cost a million. So the count follows the same
path: each page's streams, plus each form XObject once per ``Do`` that draws it (recursively), and
stops as soon as the total passes the limit. Operators are counted as keyword tokens outside
strings and inline images, which is exact for well-formed streams and errs high for odd ones.
"""

from __future__ import annotations

import re
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ArrayObject, IndirectObject

_STRINGS = re.compile(rb"\((?:[^()\\]|\\.)*\)|<[0-9A-Fa-f\s]*>", re.S)
_INLINE_IMAGES = re.compile(rb"\bBI\b.*?\bID\b.*?\bEI\b", re.S)
_OPERATOR = re.compile(rb"(?<![\w/.+\-#])[A-Za-z'\"][A-Za-z0-9*'\"]*")
_DO = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s*Do\b")
MAX_FORM_DEPTH = 8


def count_operators(reader: PdfReader, limit: int) -> int:
    """Operators extraction would parse in ``reader``'s pages; stops once past ``limit``."""
    counter = _Counter(limit)
    total = 0
    for page in reader.pages:
        total += counter.content(page.get("/Contents"), page.get("/Resources"), 0)
        if total > limit:
            break
    return total


class _Counter:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.cache: dict[tuple[int, int], int] = {}

    def content(self, contents: Any, resources: Any, depth: int) -> int:
        key = (_key(contents), _key(resources))
        if key in self.cache:
            return self.cache[key]
        data = _INLINE_IMAGES.sub(b" ", _STRINGS.sub(b" ", _data(contents)))
        count = len(_OPERATOR.findall(data))
        resolved = _resolve(resources)
        xobjects: Any = _resolve(resolved.get("/XObject")) if resolved else None
        for name in _DO.findall(data) if xobjects else ():
            if count > self.limit:
                break
            reference = xobjects.get("/" + name.decode("latin-1"))
            form = _resolve(reference)
            if form is None or form.get("/Subtype") != "/Form":
                continue
            if depth >= MAX_FORM_DEPTH:
                return self.limit + 1  # forms nested this deep (or drawing themselves): refuse
            count += self.content(reference, form.get("/Resources") or resources, depth + 1)
        self.cache[key] = count
        return count


def _resolve(value: Any) -> Any:
    return value.get_object() if isinstance(value, IndirectObject) else value


def _key(value: Any) -> int:
    return hash((value.idnum, value.generation)) if isinstance(value, IndirectObject) else id(value)


def _data(contents: Any) -> bytes:
    contents = _resolve(contents)
    if contents is None:
        return b""
    if isinstance(contents, ArrayObject):
        return b"\n".join(_data(part) for part in contents)
    data = contents.get_data() if hasattr(contents, "get_data") else b""
    return data if isinstance(data, bytes) else bytes(data)
