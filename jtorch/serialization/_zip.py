"""torch's checkpoint container: an uncompressed zip whose records all sit under one folder.

Writer: every record is stored (no compression) and its data starts at a multiple of 64 bytes
(torch pads the local header with an ``FB`` extra field), so a loaded file can be memory-mapped
and each storage viewed in place. Reader: Python's ``zipfile`` parses the central directory;
record bytes are then read straight from their offsets (torch does not check data CRCs
either). Every failure is raised as torch's ``PytorchStreamReader`` RuntimeError.
"""
import struct
import zipfile
import zlib

ALIGN = 64
_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_END64 = struct.Struct("<IQHHIIQQQQ")
_LOCATOR64 = struct.Struct("<IIQI")
_MAX32 = 0xFFFFFFFF
_MINIZ_HINT = (
    " This is an internal miniz error. If you are seeing this error, there is a high likelihood "
    "that your checkpoint file is corrupted. This can happen if the checkpoint was not saved "
    "properly, was transferred incorrectly, or the file was modified after saving.")


def reader_error(what):
    """torch's message for an archive miniz could not read."""
    return RuntimeError(f"PytorchStreamReader failed reading zip archive: {what}.{_MINIZ_HINT}")


class ZipWriter:
    """Writes records one after another to a binary file object, then the central directory."""

    def __init__(self, f):
        self.f = f
        self.pos = f.tell() if f.seekable() else 0
        self.start = self.pos
        self.entries = []

    def write_record(self, name, data):
        """``data``: bytes or any buffer (a NumPy array's memory is written without a copy)."""
        view = memoryview(data).cast("B")
        size = view.nbytes
        crc = zlib.crc32(view)
        name_b = name.encode("utf-8")
        big = size >= _MAX32
        zip64 = struct.pack("<HHQQ", 1, 16, size, size) if big else b""
        offset = self.pos - self.start
        head = _LOCAL.size + len(name_b) + len(zip64)
        pad = (-(self.pos + head + 4)) % ALIGN
        extra = zip64 + struct.pack("<HH", 0x4246, pad) + b"Z" * pad
        size32 = _MAX32 if big else size
        header = _LOCAL.pack(0x04034B50, 45 if big else 20, 0x800, 0, 0, 0x21, crc, size32,
                             size32, len(name_b), len(extra))
        self.f.write(header + name_b + extra)
        self.f.write(view)
        self.pos += len(header) + len(name_b) + len(extra) + size
        self.entries.append((name_b, crc, size, offset))

    def close(self):
        cd_start = self.pos - self.start
        for name_b, crc, size, offset in self.entries:
            big = size >= _MAX32 or offset >= _MAX32
            extra = struct.pack("<HHQQQ", 1, 24, size, size, offset) if big else b""
            s32, o32 = (_MAX32, _MAX32) if big else (size, offset)
            rec = _CENTRAL.pack(0x02014B50, 45 if big else 20, 45 if big else 20, 0x800, 0, 0,
                                0x21, crc, s32, s32, len(name_b), len(extra), 0, 0, 0, 0, o32)
            self.f.write(rec + name_b + extra)
            self.pos += len(rec) + len(name_b) + len(extra)
        cd_size = self.pos - self.start - cd_start
        n = len(self.entries)
        if n >= 0xFFFF or cd_start >= _MAX32 or cd_size >= _MAX32:
            end64_at = self.pos - self.start
            self.f.write(_END64.pack(0x06064B50, 44, 45, 45, 0, 0, n, n, cd_size, cd_start))
            self.f.write(_LOCATOR64.pack(0x07064B50, 0, end64_at, 1))
            self.pos += _END64.size + _LOCATOR64.size
            n, cd_size, cd_start = 0xFFFF, _MAX32, _MAX32
        self.f.write(_END.pack(0x06054B50, 0, 0, n, n, cd_size, cd_start, 0))
        self.pos += _END.size


class ZipReader:
    """The records of a torch archive: ``names``, ``prefix`` (the archive folder), ``read``,
    ``data_offset`` (where a record's bytes start in the file, for mmap)."""

    def __init__(self, f):
        self.f = f
        start = f.tell()
        size = f.seek(0, 2)
        f.seek(start)
        if size - start < 22:
            raise reader_error("not a ZIP archive")
        try:
            zf = zipfile.ZipFile(f)
            infos = zf.infolist()
        except (zipfile.BadZipFile, ValueError, OSError, EOFError, struct.error, KeyError):
            raise reader_error("failed finding central directory") from None
        self.infos = {i.filename: i for i in infos}
        self.names = [i.filename for i in infos]
        if not self.names:
            raise reader_error("failed finding central directory")
        first = self.names[0]
        if "/" not in first:
            raise RuntimeError(f"PytorchStreamReader failed reading zip archive: file in archive "
                               f"is not in a subdirectory: {first}")
        self.prefix = first.split("/", 1)[0] + "/"
        self._offsets = {}

    def has(self, name):
        return self.prefix + name in self.infos

    def _info(self, name):
        info = self.infos.get(self.prefix + name)
        if info is None:
            raise RuntimeError(f"PytorchStreamReader failed locating file {name}: file not found")
        if info.compress_type != zipfile.ZIP_STORED:
            raise RuntimeError(f"PytorchStreamReader failed reading file {name}: compressed "
                               "records are not supported")
        return info

    def data_offset(self, name):
        """Absolute file offset of a record's first byte, and its size."""
        off = self._offsets.get(name)
        if off is None:
            info = self._info(name)
            # (zipfile has already made header_offset absolute, whatever precedes the zip)
            self.f.seek(info.header_offset)
            head = self.f.read(_LOCAL.size)
            if len(head) != _LOCAL.size or head[:4] != b"PK\x03\x04":
                raise RuntimeError(f"PytorchStreamReader failed reading file {name}: invalid "
                                   "header or archive is corrupted")
            fields = _LOCAL.unpack(head)
            off = (info.header_offset + _LOCAL.size + fields[9] + fields[10],
                   info.file_size)
            self._offsets[name] = off
        return off

    def read_into(self, name, buf):
        """Fill the writable buffer ``buf`` (exactly the record's size) from the file."""
        offset, size = self.data_offset(name)
        mv = memoryview(buf).cast("B")
        if mv.nbytes != size:
            raise RuntimeError(f"PytorchStreamReader failed reading file {name}: record holds "
                               f"{size} bytes, expected {mv.nbytes}")
        self.f.seek(offset)
        got = self.f.readinto(mv) if hasattr(self.f, "readinto") else None
        if got is None:
            chunk = self.f.read(size)
            got = len(chunk)
            mv[:got] = chunk
        if got != size:
            raise RuntimeError(f"PytorchStreamReader failed reading file {name}: file read "
                               "failed (truncated archive)")

    def read(self, name):
        buf = bytearray(self._info(name).file_size)
        self.read_into(name, buf)
        return bytes(buf)
