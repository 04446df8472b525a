"""The hull-mc workload in vectorised numpy + scipy: the reference the engine's
speed is compared with (see bench/run.sh).

Hull's ch. 19 example: S=49, K=50, r=5%, sigma=20%, T=20 weeks, mu=13%, short
100,000 calls, rebalanced every step, proportional cost 0.001, 10,000 paths x
252 steps. Vectorised across paths, one Python-level loop over time steps:
exact GBM step, Black-Scholes delta with scipy.special.ndtr, trade, cost, interest,
and the cash-settled close at expiry. Prints one JSON line with the best of
`repeats` timings and the mean P&L (a sanity check against the engine's).
"""
import json
import sys
import time

import numpy as np
from scipy.special import ndtr

S0, K, R, VOL, T, MU, QTY, COST = 49.0, 50.0, 0.05, 0.2, 20 / 52, 0.13, 100_000.0, 0.001
PATHS, STEPS = 10_000, 252


def bs_call_price(s, tau):
    d1 = (np.log(s / K) + (R + 0.5 * VOL * VOL) * tau) / (VOL * np.sqrt(tau))
    d2 = d1 - VOL * np.sqrt(tau)
    return s * ndtr(d1) - K * np.exp(-R * tau) * ndtr(d2)


def hull_mc(seed=1):
    rng = np.random.default_rng(seed)
    dt = T / STEPS
    n = -QTY  # short calls
    log_k = np.log(K)
    drift = (MU - 0.5 * VOL * VOL) * dt
    diffusion = VOL * np.sqrt(dt)
    growth = np.expm1(R * dt)
    premium = float(bs_call_price(np.array([S0]), T)[0]) * QTY
    log_s = np.full(PATHS, np.log(S0))
    s = np.full(PATHS, S0)
    held = np.zeros(PATHS)
    cash = np.full(PATHS, premium)
    for i in range(STEPS):
        tau = T - i * dt
        d1 = (log_s - log_k + (R + 0.5 * VOL * VOL) * tau) / (VOL * np.sqrt(tau))
        target = -n * ndtr(d1)
        trade = target - held
        cash -= trade * s + COST * np.abs(trade) * s
        held = target
        log_s += drift + diffusion * rng.standard_normal(PATHS)
        s = np.exp(log_s)
        cash += cash * growth
    # Close the hedge and pay the calls' payoff in cash.
    cash += held * s - COST * np.abs(held) * s
    cash += n * np.maximum(s - K, 0.0)
    return cash * np.exp(-R * T)


def main():
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    best = float("inf")
    pnl = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        pnl = hull_mc()
        best = min(best, time.perf_counter() - t0)
    print(json.dumps({
        "name": "numpy",
        "seconds": best,
        "path_steps": PATHS * STEPS,
        "path_steps_per_second": PATHS * STEPS / best,
        "mean_pnl": float(pnl.mean()),
        "sd_pnl": float(pnl.std(ddof=1)),
        "numpy": np.__version__,
    }))


if __name__ == "__main__":
    main()
