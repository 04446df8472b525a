// The hull-mc workload (see the README's benchmark section), shared by the benches.
export const HULL_MC =
  'v=1&s=49&k=50&t=0.38461538461538464&r=0.05&mu=0.13&vol=0.2&qty=100000&steps=252&cost=0.001&paths=10000';
export const PATH_STEPS = 10000 * 252;
// Books (the README's "Books and hedge options" benchmark): the default short
// call, a 4-leg book (long the inner strikes, short the outer), and that book
// delta-gamma hedged with a half-year call; 10,000 paths × 252 steps each.
// Keep equal to BOOKS in bench/engine.rs.
export const BOOKS = {
  'one leg': 'v=1&paths=10000&steps=252',
  '4 legs, delta': 'v=1&paths=10000&steps=252&legs=-100c90_100c95_100c105_-100c110',
  '4 legs, delta-gamma': 'v=1&paths=10000&steps=252&legs=-100c90_100c95_100c105_-100c110&greeks=delta-gamma&with=c100@0.5',
};
