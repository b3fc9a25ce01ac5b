import { LocationProvider, Route, Router } from 'preact-iso';
import { MeasureRoute } from './measurement/measure-route';
import { CheckInScreen } from './screens/check-in';
import { NotFoundScreen } from './screens/not-found';
import { TodayScreen } from './screens/today';
import { StandTestRoute } from './stand-test/stand-test-route';
import { lazyScreen } from './ui/lazy';
import { NavBar } from './ui/nav-bar';
import { StatusBanners } from './ui/status-banners';

// Today is the first screen; the others load on first visit (all are precached, so offline too),
// keeping the first screen's JavaScript small on a slow phone.
const RestScreen = lazyScreen(() => import('./rest/rest-screen').then((m) => m.RestScreen), 'Rest mode');
const MessagesScreen = lazyScreen(() => import('./screens/messages').then((m) => m.MessagesScreen), 'Messages');
const SettingsScreen = lazyScreen(() => import('./screens/settings').then((m) => m.SettingsScreen), 'Settings');
const SyncScreen = lazyScreen(() => import('./screens/sync').then((m) => m.SyncScreen), 'Sync');
const ReportScreen = lazyScreen(() => import('./screens/report').then((m) => m.ReportScreen), 'Report');
const TrendsScreen = lazyScreen(() => import('./screens/trends').then((m) => m.TrendsScreen), 'Trends');

/** The app shell: navigation, banners, and one screen at a time. */
export function App() {
  return (
    <LocationProvider>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <div class="shell">
        <NavBar />
        <main id="main" class="screen" tabIndex={-1}>
          <StatusBanners />
          <Router>
            <Route path="/" component={TodayScreen} />
            <Route path="/check-in" component={CheckInScreen} />
            <Route path="/measure" component={MeasureRoute} />
            <Route path="/stand-test" component={StandTestRoute} />
            <Route path="/trends" component={TrendsScreen} />
            <Route path="/report" component={ReportScreen} />
            <Route path="/sync" component={SyncScreen} />
            <Route path="/messages" component={MessagesScreen} />
            <Route path="/settings" component={SettingsScreen} />
            <Route path="/rest" component={RestScreen} />
            <Route default component={NotFoundScreen} />
          </Router>
        </main>
      </div>
    </LocationProvider>
  );
}
