//! # hedge-explorer
//!
//! The loop an options market maker runs, made visible: simulate the underlying's
//! price, keep an option position delta-neutral by trading the underlying — on a
//! schedule or when delta leaves a band — pay commissions and spreads, and account
//! for every dollar.
//!
//! ## Architecture: `scenario → plan → paths → hedge loop → outcomes → summaries → report/charts → page`
//!
//! One folder per stage, so that a new model, instrument or rule has an obvious
//! home (a path model beside GBM and Merton in [`paths`], an instrument beside the
//! option leg in [`instruments`], a rule in [`hedging::rules`]).
//!
//! | stage | where | what |
//! |---|---|---|
//! | scenario | [`scenario`] | the one [`Scenario`] type and its link query string (`v=1&s=…`); one table of keys |
//! | plan | [`plan`] | the scenario turned into the engine's parts once; [`plan::runs`]: the parts of a run (main, sweep, rule alone) that the page and its Web Workers split up |
//! | pricing | [`pricing`] | N(x), n(x), N⁻¹(p); Black–Scholes–Merton price and Greeks; a fast deterministic `exp` |
//! | paths | [`paths`] | a per-path seeded stream ([`paths::rng`]); GBM and Merton jump-diffusion paths, Heston/Bates ([`paths::heston`]), recorded windows replayed ([`paths::replay`]); the time grid, equal or of real dates |
//! | history | [`history`] | real prices as paths: bundled S&P 500 and DJIA windows and rolls, the reader's CSV and its `px=` link, block-bootstrapped paths |
//! | instruments | [`instruments`] | option legs held as one book |
//! | hedge loop | [`hedging`] | rebalancing rules, trading costs, the self-financing loop and its ledger |
//! | insurance | [`insurance`] | portfolio insurance on the same paths: bought put, synthetic put, CPPI and the unprotected portfolio; floor breaches, shortfall and upside |
//! | engine | [`engine`] | Monte Carlo over paths and strategies ([`engine::runner`]: an option hedger or an insured portfolio); each hot formula written once over `f64` and vectors ([`engine::lanes`]: two lanes in [`engine::simd`], four with AVX2 in [`engine::simd4`], chosen at run time by [`engine::width`]), the lane kernel hedging 16 paths at a time to the bit as path by path |
//! | results | [`results`] | outcomes → statistics, summaries, comparisons, frontiers, closed-form benchmarks; JSON and CSV |
//! | charts | `charts` (feature `charts`, always on wasm32) | chart functions generic over plotters' `DrawingBackend`; a chart by name from a plan (`charts/named.rs`, the CLI's `render`) |
//! | page | `web` (wasm32 only) | the thin wasm-bindgen shell the page talks to; its canvas backend (`web/canvas.rs`) |
//!
//! Everything above the charts row is the *core*: pure Rust with no drawing, no
//! browser, no clock and no global random generator. It compiles and is tested
//! natively. The chart and web layers sit in their own top-level folders
//! (`charts/`, `web/`) and are compiled in only where they are needed.
//!
//! ## Conventions
//!
//! - **Time** in years; a scenario's life `t` is split into `steps` equal steps
//!   (recorded prices keep their dates: a step lasts its calendar days / 365).
//! - **Volatility** annualised (0.2 = 20 %). The *realised* vol (`vol`) drives the
//!   simulated paths; the *hedging* vol (`hvol`) is the implied vol the hedger prices
//!   and hedges with. They differ on purpose: that gap is gamma scalping.
//! - **Rates** (`r`, dividend yield `q`, drift `mu`) continuously compounded, per year.
//! - **Money** in the underlying's currency; one option is on one share.
//! - **Signs**: a position's quantity is positive when long, negative when short;
//!   P&L is the hedger's, positive is a gain; *costs* are positive amounts paid.
//! - **Cost** (`cost`) is a fraction of traded notional paid on every trade
//!   (half the bid–ask spread plus commission in bps): trading `x` shares at `S`
//!   costs `cost·|x|·S`. A round trip therefore costs `2·cost` (Leland's `k`).
//! - **Band** (`band`) is in delta per option: with `n` options, the hedge is
//!   traded when the shares held differ from the target by more than `band·|n|`.
//! - **P&L** is quoted in present value at t = 0 (multiplied by `e^{−rT}`) and covers
//!   the hedger's whole position: the premium, the option's payoff, the shares,
//!   interest on cash, dividends on shares and every cost.
//! - **Determinism**: every transcendental function comes from `libm` (software,
//!   identical bits on every platform); each path has its own random stream derived
//!   from `(seed, path index)`, so results never depend on chunking or threads.

// No unsafe code but one call: the four-lane kernel compiled for AVX2, made
// only after the processor is detected to have it (engine/montecarlo.rs).
#![deny(unsafe_code)]
#![warn(missing_docs)]

pub mod engine;
pub mod hedging;
pub mod history;
pub mod instruments;
pub mod insurance;
pub mod paths;
pub mod plan;
pub mod pricing;
pub mod results;
pub mod scenario;

#[cfg(any(feature = "charts", target_arch = "wasm32"))]
#[path = "../charts/mod.rs"]
pub mod charts;

#[cfg(target_arch = "wasm32")]
#[path = "../web/mod.rs"]
pub mod web;

pub use pricing::black_scholes::{Greeks, OptionKind};
pub use scenario::{Scenario, ScenarioError};
