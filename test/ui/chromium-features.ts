/**
 * The features the tests' Chromium runs without, as one `--disable-features` switch: Chromium keeps only the last
 * one it is given, and Playwright gives its own, so ours repeats Playwright's list (its chromiumSwitches.ts).
 * chromium-features.test.ts fails when a Playwright upgrade changes that list.
 */
export const PLAYWRIGHT_DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  'msForceBrowserSignIn',
  'msEdgeUpdateLaunchServicesPreferredVersion',
] as const;

/**
 * The address bar's popups. Chromium builds them as web pages of their own for every window Playwright opens (two
 * renderer processes for each page a test opens), and no test opens the address bar. Without them Chromium took a
 * third less CPU on first-view.browser.test.ts (28.5 → 19.0 CPU-seconds, its processes sampled from /proc).
 */
const ADDRESS_BAR_POPUPS = ['WebUIOmniboxPopup', 'WebUIOmniboxAimPopup', 'WebUIOmniboxFullPopup'] as const;

export const DISABLE_FEATURES = `--disable-features=${[...PLAYWRIGHT_DISABLED_FEATURES, ...ADDRESS_BAR_POPUPS].join(',')}`;
