import { askNotificationPermission } from './pacing-alert';
import { notificationPermission } from './pacing-state';

/**
 * What the notification permission means for pacing alerts, and the button that asks for it.
 * Shown only where alerts are on: asking when the person has just chosen alerts is the moment
 * the request makes sense to them.
 */
export function AllowAlerts() {
  const permission = notificationPermission.value;
  if (permission === 'granted') return null;
  if (permission === 'default') {
    return (
      <div class="pacing-permission" data-testid="pacing-permission">
        <p class="small">
          Allow notifications so an alert reaches you while Steady is in the background. Until then alerts show only here.
        </p>
        <button type="button" class="button primary" onClick={() => void askNotificationPermission()}>
          Allow alerts
        </button>
      </div>
    );
  }
  return (
    <p class="small pacing-permission" data-testid="pacing-permission">
      {permission === 'denied'
        ? "Notifications are blocked for Steady, so alerts show only here while it is open. To get them in the background, allow notifications in the browser's site settings."
        : 'This browser cannot show notifications: alerts show only here while Steady is open.'}
    </p>
  );
}
