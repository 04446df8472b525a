// The order the worker pool hands out a run's chunks in (no browser: the
// function alone, from www/workers.js): every chunk exactly once, and the
// first ones spread over the run, so that a back-test's first estimate stands
// on windows from across its history rather than its first years.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spreadOrder } from '../www/workers.js';

test('every chunk is handed out once', () => {
  for (let count = 0; count <= 100; count += 1) {
    const order = spreadOrder(count);
    assert.deepEqual([...order].sort((a, b) => a - b), Array.from({ length: count }, (_, i) => i), `${count}`);
  }
  assert.deepEqual(spreadOrder(8), [0, 4, 2, 6, 1, 5, 3, 7]);
});

test('the first chunks in spread over the whole run', () => {
  // Of any count, the first k handed out leave no gap of more than about
  // count / k chunks (twice that, for counts between powers of two).
  for (let count = 2; count <= 100; count += 1) {
    const order = spreadOrder(count);
    for (let k = 2; k <= count; k += 1) {
      const first = order.slice(0, k).sort((a, b) => a - b);
      const gaps = first.map((c, i) => (i + 1 < k ? first[i + 1] : count) - c);
      const widest = Math.max(first[0], ...gaps);
      assert.ok(widest <= Math.ceil((4 * count) / k), `${count} chunks, first ${k}: ${first} (widest gap ${widest})`);
    }
  }
});
