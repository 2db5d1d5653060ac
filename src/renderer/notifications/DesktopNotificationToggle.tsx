import { useState } from 'react';
import { desktopPermission } from './desktop-notifications';

/** Asking for permission needs a click; this button is that click, shown until the user decided. */
export function DesktopNotificationToggle() {
  const [permission, setPermission] = useState(desktopPermission);
  if (permission !== 'default') return null;
  return (
    <button
      type="button"
      className="small-button"
      onClick={() => void Notification.requestPermission().then(setPermission)}
      title="Show a system notification when a task fails or all work is done"
    >
      Enable alerts
    </button>
  );
}
