/** The system notification API, when the browser has it and the user allowed it. */

function desktopNotificationsSupported(): boolean {
  return typeof Notification !== 'undefined';
}

export function desktopPermission(): NotificationPermission | 'unsupported' {
  return desktopNotificationsSupported() ? Notification.permission : 'unsupported';
}

/** `tag`: a later notification with the same tag replaces this one in the system's list rather than adding to it. */
export function showDesktopNotification(title: string, body: string, tag?: string): void {
  if (desktopPermission() !== 'granted') return;
  try {
    new Notification(title, tag === undefined ? { body } : { body, tag });
  } catch {
    // Some platforms only allow notifications from a service worker; the in-app toast still shows.
  }
}
