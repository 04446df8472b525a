// The page's status (`document.body.dataset.status`: loading, busy, ready,
// error) and its one message region (#message, role="alert"): a link's bad
// fields, a failure, or the engine's panic.

const box = () => document.getElementById('message');

/** Set the status; leaving 'busy' also writes the pending address. */
export function setStatus(app, status) {
  if (status !== 'busy') app.address.flush();
  document.body.dataset.status = status;
}

/** Show the link's and the page keys' problems (or hide the message). */
export function showMessages(app) {
  if (app.crash) return; // a crash message stays until the page is reloaded
  app.recovered = ''; // a new scenario: the engine's recovery is old news
  const lines = [...app.linkErrors, ...app.pageErrors].map((e) => `${e.field}: ${e.message}`);
  const el = box();
  if (lines.length === 0) {
    el.hidden = true;
    el.textContent = '';
    return;
  }
  el.hidden = false;
  // A link's bad fields take their defaults; a refused edit keeps what was on show.
  const refusedEdit = app.linkErrors.length === 0 && app.pageErrors.some((e) => e.field !== 'path' && !e.note);
  const onlyNotes = app.linkErrors.length === 0 && app.pageErrors.every((e) => e.note);
  const heading = onlyNotes
    ? 'Note:'
    : refusedEdit
      ? 'Not applied; the scenario on show is unchanged.'
      : 'This link has problems; the fields named below use their defaults.';
  el.textContent = `${heading}\n${lines.join('\n')}`;
}

/**
 * Something failed: status 'error', a visible message, and the charts of the
 * last good run left on show, marked stale (they no longer match the controls)
 * until a run draws them again.
 */
export function fail(app, error) {
  setStatus(app, 'error');
  markStale(true);
  const el = box();
  el.hidden = false;
  // After a panic the trap's own error ("unreachable") says less than the panic.
  el.textContent = app.crash || app.recovered || `Something went wrong: ${error && error.message ? error.message : String(error)}`;
  console.warn(error);
}

/** Mark the results as stale (or fresh again). */
export function markStale(stale) {
  const results = document.querySelector('.results');
  results?.classList.toggle('stale', stale);
  // A failed run is over: its results are not busy any more, only stale.
  if (stale) results?.setAttribute('aria-busy', 'false');
}

/**
 * The wasm engine panicked (`where` is 'page' or 'worker'): show its message.
 * A panicked engine must not be used again. A worker's is replaced at once
 * (workers.js); the page's is replaced by `app.restartEngine` when it can be
 * (the served page imports a fresh instance of the module), else the page asks
 * for a reload. Either way the next change runs again on a fresh engine.
 */
export function reportPanic(app, message, where = 'page') {
  app.generation += 1; // stops the run in progress
  const what = `The simulation engine stopped on an internal error${where === 'worker' ? ' in a Web Worker' : ''}.`;
  if (where === 'worker') {
    app.recovered = `${what} The worker was replaced: change any setting to run again.\n${message}`;
    fail(app, new Error(message));
    return;
  }
  app.crash = `${what} Reload the page to start again.\n${message}`;
  fail(app, new Error(message));
  app.restartEngine?.()
    .then((restarted) => {
      if (!restarted) return;
      app.crash = '';
      app.recovered = `${what} It was restarted: change any setting to run again.\n${message}`;
      fail(app, new Error(message));
    })
    .catch((error) => console.warn('hedge-explorer: the engine could not be restarted', error));
}
