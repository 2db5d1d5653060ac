/** The system notification API, when the browser has it and the user allowed it. */

function desktopNotificationsSupported(): boolean {
  return typeof Notification !== 'undefined';
}

export function desktopPermission(): NotificationPermission | 'unsupported' {
  return desktopNotificationsSupported() ? Notification.permission : 'unsupported';
}

export function showDesktopNotification(title: string, body: string): void {
  if (desktopPermission() !== 'granted') return;
  try {
    new Notification(title, { body });
  } catch {
    // Some platforms only allow notifications from a service worker; the in-app toast still shows.
  }
}
