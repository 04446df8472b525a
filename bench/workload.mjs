// The hull-mc workload (see the README's benchmark section), shared by the benches.
export const HULL_MC =
  'v=1&s=49&k=50&t=0.38461538461538464&r=0.05&mu=0.13&vol=0.2&qty=100000&steps=252&cost=0.001&paths=10000';
export const PATH_STEPS = 10000 * 252;
