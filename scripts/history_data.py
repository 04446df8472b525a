#!/usr/bin/env python3
"""Generate data/sp500.bin and data/djia.bin from the source CSVs.

A generator, not a source: the CSVs in /work/shared/data (columns `date,close`,
ISO dates, two decimals) are the source of truth; these files are a compact copy
for the page to embed or fetch. The byte format is documented in
src/history/codec.rs and data/README.md:

    u8      header: bit 0 = has dates, bits 1-7 = format version (0)
    varint  decimals d
    varint  count n
    if dates: zigzag varint first day (days since 1970-01-01),
              then n-1 varints: the gap in days to the previous date (>= 1)
    varint  first close x 10^d
    n-1 zigzag varints: each close x 10^d minus the previous one

varint = unsigned LEB128 (7 bits a byte, low first, high bit = more follows);
zigzag maps 0, -1, 1, -2, ... to 0, 1, 2, 3, ...

Usage: python3 scripts/history_data.py [SOURCE_DIR] [OUT_DIR]
(defaults /work/shared/data and data/). Prints each file's size, raw and gzipped,
and the FNV-1a 64 digest of each source CSV (the test tests/history_data.rs
checks the decoded files against it).
"""

import datetime
import gzip
import os
import sys

SERIES = {
    "sp500": "sp500-daily-1950-2018.csv",
    "djia": "djia-daily-1885-2023.csv",
}
EPOCH = datetime.date(1970, 1, 1)


def varint(value):
    assert value >= 0
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def zigzag(value):
    return value * 2 if value >= 0 else -value * 2 - 1


def fnv1a64(data):
    digest = 0xCBF29CE484222325
    for byte in data:
        digest ^= byte
        digest = (digest * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return digest


def encode(path):
    with open(path, "rb") as f:
        raw = f.read()
    lines = raw.decode("ascii").splitlines()
    assert lines[0] == "date,close", lines[0]
    days, units = [], []
    decimals = None
    for line in lines[1:]:
        date, close = line.split(",")
        whole, frac = close.split(".")
        if decimals is None:
            decimals = len(frac)
        assert len(frac) == decimals, line
        days.append((datetime.date.fromisoformat(date) - EPOCH).days)
        units.append(int(whole + frac))
    out = bytearray([0b1])  # has dates, version 0
    out += varint(decimals) + varint(len(days))
    out += varint(zigzag(days[0]))
    for previous, day in zip(days, days[1:]):
        assert day > previous, day
        out += varint(day - previous)
    out += varint(units[0])
    for previous, unit in zip(units, units[1:]):
        out += varint(zigzag(unit - previous))
    return bytes(out), raw, len(days)


def main():
    source = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data"
    target = sys.argv[2] if len(sys.argv) > 2 else "data"
    for name, csv_name in SERIES.items():
        data, raw, rows = encode(os.path.join(source, csv_name))
        with open(os.path.join(target, name + ".bin"), "wb") as f:
            f.write(data)
        zipped = len(gzip.compress(data, 9, mtime=0))
        raw_zipped = len(gzip.compress(raw, 9, mtime=0))
        print(
            f"{name}.bin: {rows} rows, {len(data)} bytes ({zipped} gzipped); "
            f"source {csv_name}: {len(raw)} bytes ({raw_zipped} gzipped), "
            f"FNV-1a 64 0x{fnv1a64(raw):016x}"
        )


if __name__ == "__main__":
    main()
