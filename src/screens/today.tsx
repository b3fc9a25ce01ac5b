import { ArmbandDetailsCard } from '../armband/ui/armband-details-card';
import { LiveCard } from '../armband/ui/live-card';
import { MorningCard } from '../measurement/morning-card';
import { PacingCard } from '../pacing/pacing-card';
import { InstallCard } from '../pwa/install-card';
import { RestEntry } from '../rest/rest-entry';
import { StandTestEntry } from '../stand-test/stand-test-entry';
import { ScreenHeader } from '../ui/screen-header';

/** Live heart rate from the armband (or the demo armband), with its connection and details. */
export function TodayScreen() {
  return (
    <>
      <ScreenHeader title="Today" />
      <LiveCard />
      <RestEntry />
      <MorningCard />
      <PacingCard />
      <StandTestEntry />
      <ArmbandDetailsCard />
      <InstallCard />
    </>
  );
}
