// The worker pool's chunking (no browser: www/workers.js alone, with a pool
// that has no workers, so the queued chunks stay in its queue): a run is cut
// into whole lane groups that cover it once, handed out in the order the
// engine gives (its spread_order, tested natively in tests/assembly.rs).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPool, submitJob } from '../www/workers.js';

/** The chunks a job of `paths` paths is queued as, with `order` for the engine's order. */
function queued(paths, order) {
  const pool = createPool({ onPanic() {}, onFailure() {} });
  const counts = [];
  const spreadChunks = (count) => {
    counts.push(count);
    return order(count);
  };
  const parts = [{ part: 'main', paths, hedgers: 5 }];
  submitJob(pool, { chunkMultiple: 16, spreadChunks }, 'v=1', 252, parts, { onChunk() {}, onError() {} });
  return { chunks: pool.queue.map(({ start, end }) => [start, end]), counts };
}

test('chunks are whole lane groups covering the run once, in the order given', () => {
  const backwards = (count) => Array.from({ length: count }, (_, i) => count - 1 - i);
  for (const paths of [1, 16, 77, 2000, 100000]) {
    const { chunks, counts } = queued(paths, backwards);
    assert.deepEqual(counts, [chunks.length], `${paths}: one order asked for, of every chunk`);
    // Backwards: the run's last chunk first (perhaps shorter), each ending
    // where the one queued after it starts, all others of one size, whole
    // lane groups.
    assert.equal(chunks[0][1], paths, `${paths}`);
    assert.equal(chunks.at(-1)[0], 0, `${paths}`);
    const size = chunks.at(-1)[1];
    assert.ok(chunks.length === 1 || size % 16 === 0, `${paths}: chunks of ${size} paths`);
    for (let i = 1; i < chunks.length; i += 1) {
      assert.equal(chunks[i][1], chunks[i - 1][0], `${paths}: chunk ${i}`);
      assert.equal(chunks[i][1] - chunks[i][0], size, `${paths}: chunk ${i}`);
    }
  }
  assert.ok(queued(100000, backwards).chunks.length > 1, 'a large run is cut');
});
