"""A minimal zip writer for .docx packages whose members can be compressed once and reused.

Why not ``zipfile``: it recompresses every member of every file it writes,
and cannot copy a member's compressed bytes. A .docx made by vbtool changes a
few parts per document (document.xml, sometimes the footnotes); the others
are the same bytes every time. Here a ``Member`` holds one part already
deflated, with its local header; ``package`` builds the unchanged members
once per process and ``archive`` joins them with the central directory.

The format is plain PKZIP 2.0 as zipfile writes it: deflate, no data
descriptor, no zip64 (a member and the archive stay far below 4 GB), fixed
timestamp 2024-01-01 00:00 so that the same document gives the same bytes.
tests/test_package.py opens the result with zipfile (testzip), python-docx and
LibreOffice.
"""
from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

_LOCAL = struct.Struct("<4s2B4HL2L2H")          # zipfile.structFileHeader
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")      # zipfile.structCentralDir
_END = struct.Struct("<4s4H2LH")                # zipfile.structEndArchive
_DEFLATED = 8
_VERSION = 20                                   # 2.0: deflate
_UNIX = 3
_DOS_TIME = 0                                   # 00:00:00
_DOS_DATE = (2024 - 1980) << 9 | 1 << 5 | 1     # 2024-01-01
_LIMIT = 0xFFFFFFFF


@dataclass(frozen=True)
class Member:
    """One deflated part with its local header, ready to be written anywhere in an archive."""

    name: bytes
    flags: int
    crc: int
    size: int
    compressed: bytes
    local: bytes        # local header + name + compressed data

    def central(self, offset: int) -> bytes:
        return _CENTRAL.pack(b"PK\x01\x02", _VERSION, _UNIX, _VERSION, 0, self.flags, _DEFLATED, _DOS_TIME,
                             _DOS_DATE, self.crc, len(self.compressed), self.size, len(self.name), 0, 0, 0, 0,
                             0o644 << 16, offset) + self.name


def member(name: str, data: bytes, level: int) -> Member:
    """Deflate one part (raw deflate, as in zip) at `level`."""
    try:
        raw_name, flags = name.encode("ascii"), 0
    except UnicodeEncodeError:
        raw_name, flags = name.encode("utf-8"), 0x800       # the "language encoding" flag: UTF-8 name
    c = zlib.compressobj(level, zlib.DEFLATED, -15)
    compressed = c.compress(data) + c.flush()
    if len(data) >= _LIMIT or len(compressed) >= _LIMIT:
        raise ValueError(f"{name}: phần quá lớn cho tệp zip không zip64")
    crc = zlib.crc32(data)
    header = _LOCAL.pack(b"PK\x03\x04", _VERSION, 0, flags, _DEFLATED, _DOS_TIME, _DOS_DATE, crc,
                         len(compressed), len(data), len(raw_name), 0)
    return Member(raw_name, flags, crc, len(data), compressed, header + raw_name + compressed)


def archive(members: list[Member]) -> bytes:
    """The zip file holding `members` in this order."""
    central = []
    offset = 0
    for m in members:
        central.append(m.central(offset))
        offset += len(m.local)
    directory = b"".join(central)
    if offset >= _LIMIT or len(members) >= 0xFFFF:
        raise ValueError("tệp zip quá lớn")
    end = _END.pack(b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), offset, 0)
    return b"".join([m.local for m in members]) + directory + end
