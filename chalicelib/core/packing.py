"""JSON stored deflated against a preset dictionary of the words it always holds: the first byte names
the dictionary, so a dictionary once shipped never changes (a better one is added under the next
number) and everything ever written stays readable. Used where item size is capacity: the order
document (orders/codec.py) and the audit entries an item carries (core/records.py)."""
import base64
import json
import zlib

_RAW_DEFLATE = -15  # no zlib header or checksum: the stored bytes are the whole cost


def pack(value, dictionaries: dict[int, bytes], current: int, separators=(", ", ": ")) -> bytes:
    text = json.dumps(value, ensure_ascii=False, separators=separators).encode()
    packer = zlib.compressobj(9, zlib.DEFLATED, _RAW_DEFLATE, 9, zlib.Z_DEFAULT_STRATEGY, zdict=dictionaries[current])
    return bytes([current]) + packer.compress(text) + packer.flush()


def unpack(stored: bytes | bytearray | memoryview | str, dictionaries: dict[int, bytes]):
    """The value from its stored bytes, or from base64 text as a Lambda stream event carries a binary."""
    raw = base64.b64decode(stored) if isinstance(stored, str) else bytes(stored)
    unpacker = zlib.decompressobj(_RAW_DEFLATE, zdict=dictionaries[raw[0]])
    return json.loads(unpacker.decompress(raw[1:]) + unpacker.flush())
