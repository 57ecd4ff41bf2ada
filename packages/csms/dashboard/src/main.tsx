import { render } from 'preact';
import { App } from './app';
// Order matters: the phone rules come last and override the others.
import './styles/base.css';
import './styles/forms-and-tables.css';
import './styles/station.css';
import './styles/chart-and-sign-in.css';
import './styles/phone.css';

render(<App />, document.getElementById('app') as HTMLElement);
