import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { registerServiceWorker } from './lib/state/sw-update.svelte.js';
import { startSync } from './lib/sync/till-sync.svelte.js';
import { checkAuth } from './lib/state/auth.svelte.js';
import { restoreLanguage } from './lib/messages/index.svelte.js';
import { stored } from './lib/platform/storage.js';

document.documentElement.dataset.paper = stored.paper.get() ?? '80';
const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');
// A till kept in Bulgarian starts in Bulgarian (its texts are a separate, precached file).
await restoreLanguage().catch(() => undefined);
mount(App, { target });
registerServiceWorker();
// Whatever was waiting in the outbox when the page closed is resumed now.
void checkAuth().then(() => startSync());
