"""Writes tests/data/normal_reference.csv: N(x) and n(x) at 50-digit precision
(mpmath), the independent reference of the engine's normal CDF and density.

Grid: x = -40 .. 40 in steps of 0.01 (8001 points) plus points around the ends
of the engine's table (±9) and a few far-tail values. Each value is printed with
17 significant digits, enough to read back to the nearest double.

    python3 -m pip install mpmath && python3 tests/data/normal_reference.py
"""
import os
from mpmath import mp, mpf, ncdf, npdf

mp.dps = 50
xs = [mpf(i) / 100 for i in range(-4000, 4001)]
xs += [mpf(s) for s in ("-9.0000001", "-8.9999999", "8.9999999", "9.0000001", "-37.5", "-0.0001", "0.0001")]
out = os.path.join(os.path.dirname(__file__), "normal_reference.csv")
with open(out, "w") as f:
    f.write("x,cdf,pdf\n")
    for x in xs:
        f.write(f"{mp.nstr(x, 17)},{mp.nstr(ncdf(x), 17)},{mp.nstr(npdf(x), 17)}\n")
print(f"wrote {len(xs)} rows to {out}")
