import { ArmbandDetailsCard } from '../armband/ui/armband-details-card';
import { LiveCard } from '../armband/ui/live-card';
import { MorningCard } from '../measurement/morning-card';
import { PacingCard } from '../pacing/pacing-card';
import { InstallCard } from '../pwa/install-card';
import { RestEntry } from '../rest/rest-entry';
import { StandTestEntry } from '../stand-test/stand-test-entry';
import { lazyPart } from '../ui/lazy';
import { ScreenHeader } from '../ui/screen-header';

/** Off by default, and reads a month of rows when on: its code waits for the first screen to be up. */
const EarlyWarningCard = lazyPart(() => import('../early-warning/early-warning-card').then((m) => m.EarlyWarningCard), 'The early warning');

/** Live heart rate from the armband (or the demo armband), with its connection and details. */
export function TodayScreen() {
  return (
    <>
      <ScreenHeader title="Today" />
      <LiveCard />
      <RestEntry />
      <MorningCard />
      <PacingCard />
      <EarlyWarningCard />
      <StandTestEntry />
      <ArmbandDetailsCard />
      <InstallCard />
    </>
  );
}
