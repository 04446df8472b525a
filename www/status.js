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

/** Something failed: status 'error' and a visible message. */
export function fail(app, error) {
  setStatus(app, 'error');
  const el = box();
  el.hidden = false;
  // After a panic the trap's own error ("unreachable") says less than the panic.
  el.textContent = app.crash || `Something went wrong: ${error && error.message ? error.message : String(error)}`;
  console.warn(error);
}

/**
 * The wasm engine panicked (`where` is 'page' or 'worker'): show its message.
 * A panicked module must not be used again, so the page stops until reloaded.
 */
export function reportPanic(app, message, where = 'page') {
  app.generation += 1; // stops the run in progress
  app.crash = `The simulation engine stopped on an internal error${where === 'worker' ? ' in a Web Worker' : ''}. ` +
    `Reload the page to start again.\n${message}`;
  fail(app, new Error(message));
}
