import { type Capability, CapabilityList } from '../ui/capability-list';
import { detectBackgroundCapabilities } from './background-capabilities';

/** Settings: the background APIs Steady uses, whether this browser has each, and what Steady does instead. */
export function BackgroundCapabilitiesCard() {
  const caps = detectBackgroundCapabilities();
  const rows: Capability[] = [
    {
      name: 'Periodic Background Sync',
      has: caps.periodicSync,
      use: 'Syncs about once a day while Steady is closed (installed app only; the browser decides when).',
      instead: 'No nightly sync while Steady is closed. It syncs each time you open it, and the server can wake it with a push.',
    },
    {
      name: 'Background Sync',
      has: caps.backgroundSync,
      use: 'Finishes uploads once the network is back, even after you close Steady.',
      instead: 'Uploads that fail offline finish the next time Steady is open and online; nothing is lost meanwhile.',
    },
    {
      name: 'Background Fetch',
      has: caps.backgroundFetch,
      use: 'Large backup downloads go on when you leave the page, with the browser’s own progress notice.',
      instead: 'Backups move inside the page and resume from where they stopped if the page closes.',
    },
    {
      name: 'Push',
      has: caps.push,
      use: 'Lets the server wake Steady to fetch new data and messages.',
      instead: 'The server cannot wake Steady: new data and messages arrive when you open it.',
    },
    {
      name: 'Notifications',
      has: caps.notifications,
      use: 'Pacing alerts and news from your other devices, also when the tab is hidden.',
      instead: 'Pacing alerts show inside Steady only, with vibration where the device allows.',
    },
  ];
  return (
    <section class="card" aria-labelledby="background-caps-title">
      <h2 id="background-caps-title" class="card-title">
        Background work in this browser
      </h2>
      <CapabilityList rows={rows} testId="background-capabilities" />
    </section>
  );
}
