import { LocationProvider, Route, Router } from 'preact-iso';
import { CheckInScreen } from './screens/check-in';
import { MessagesScreen } from './screens/messages';
import { NotFoundScreen } from './screens/not-found';
import { SettingsScreen } from './screens/settings';
import { SyncScreen } from './screens/sync';
import { TodayScreen } from './screens/today';
import { TrendsScreen } from './screens/trends';
import { NavBar } from './ui/nav-bar';
import { StatusBanners } from './ui/status-banners';

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
            <Route path="/trends" component={TrendsScreen} />
            <Route path="/sync" component={SyncScreen} />
            <Route path="/messages" component={MessagesScreen} />
            <Route path="/settings" component={SettingsScreen} />
            <Route default component={NotFoundScreen} />
          </Router>
        </main>
      </div>
    </LocationProvider>
  );
}
