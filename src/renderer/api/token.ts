const STORAGE_KEY = 'wg.token';

/**
 * The daemon's access token arrives once in the URL fragment (`#token=…`, never sent to a server);
 * it is kept in sessionStorage so a reload still works, and removed from the address bar.
 */
export function takeToken(location: Location, storage: Storage, history: History): string | null {
  const fragment = new URLSearchParams(location.hash.replace(/^#/, ''));
  const fromUrl = fragment.get('token');
  if (fromUrl) {
    storage.setItem(STORAGE_KEY, fromUrl);
    history.replaceState(history.state, '', `${location.pathname}${location.search}`);
    return fromUrl;
  }
  return storage.getItem(STORAGE_KEY);
}
