import { render } from 'preact';
import { ensureAccount } from './account/account';
import { App } from './app';
import { registerServiceWorker } from './pwa/registration';
import './styles/app.css';

// Entry: wiring only.
render(<App />, document.getElementById('app') as HTMLElement);
registerServiceWorker();
void ensureAccount(new AbortController().signal);
