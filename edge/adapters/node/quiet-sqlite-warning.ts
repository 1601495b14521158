// node:sqlite prints an ExperimentalWarning on load (Node 22). It is the one warning we expect, so
// it alone is silenced: Node's own printer stays attached for every other warning. Imported before
// node:sqlite.
const printers = process.listeners('warning');
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name === 'ExperimentalWarning' && warning.message.includes('SQLite')) return;
  for (const print of printers) print(warning);
});
