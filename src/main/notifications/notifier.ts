import { Notification } from 'electron';
import { log } from '../logging';
import type { Notice } from './notify-decision';

// Held until dismissed: a collected Notification loses its click handler.
const shown = new Set<Notification>();

/** Shows notices as system notifications; clicking one calls `onClick` (which brings up the window). */
export function showNotices(notices: readonly Notice[], onClick: (notice: Notice) => void): void {
  for (const notice of notices) log.info(`notification: ${notice.title}: ${notice.body}`);
  if (notices.length === 0 || !Notification.isSupported()) return;
  for (const notice of notices) {
    const notification = new Notification({ title: notice.title, body: notice.body });
    shown.add(notification);
    notification.on('click', () => {
      shown.delete(notification);
      onClick(notice);
    });
    notification.on('close', () => shown.delete(notification));
    notification.show();
  }
}
