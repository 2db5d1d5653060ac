import { describe, expect, it } from 'vitest';
import { DEFAULT_SIZE, MIN_SIZE, placeWindow, type Rect } from '../../../src/main/window/window-bounds';

const laptop: Rect = { x: 0, y: 25, width: 1440, height: 875 };
const rightMonitor: Rect = { x: 1440, y: 0, width: 2560, height: 1440 };
const saved = (bounds: Rect, maximized = false) => ({ bounds, maximized });

describe('placeWindow', () => {
  it('restores bounds that fit a display', () => {
    expect(placeWindow(saved({ x: 100, y: 100, width: 1200, height: 700 }), [laptop])).toEqual({
      bounds: { x: 100, y: 100, width: 1200, height: 700 },
      maximized: false,
    });
  });

  it('restores a window on a second display and its maximized state', () => {
    expect(placeWindow(saved({ x: 2000, y: 200, width: 1600, height: 1000 }, true), [laptop, rightMonitor])).toEqual({
      bounds: { x: 2000, y: 200, width: 1600, height: 1000 },
      maximized: true,
    });
  });

  it('centers at the default size when its display is gone', () => {
    expect(placeWindow(saved({ x: 2000, y: 200, width: 1600, height: 1000 }), [laptop])).toEqual({
      bounds: DEFAULT_SIZE,
      maximized: false,
    });
  });

  it('centers when the title bar is above the top of every display', () => {
    expect(placeWindow(saved({ x: 100, y: -500, width: 1000, height: 700 }), [laptop]).bounds).toEqual(DEFAULT_SIZE);
  });

  it('keeps a window that is mostly off screen but reachable, pulled back inside', () => {
    const placement = placeWindow(saved({ x: 1300, y: 100, width: 1000, height: 600 }), [laptop]);
    expect(placement.bounds).toEqual({ x: 440, y: 100, width: 1000, height: 600 });
  });

  it('shrinks a window larger than its display', () => {
    const placement = placeWindow(saved({ x: 0, y: 25, width: 3000, height: 2000 }), [laptop]);
    expect(placement.bounds).toEqual({ x: 0, y: 25, width: 1440, height: 875 });
  });

  it('never goes below the minimum size', () => {
    const placement = placeWindow(saved({ x: 10, y: 40, width: 50, height: 20 }), [laptop]);
    expect(placement.bounds).toMatchObject({ width: MIN_SIZE.width, height: MIN_SIZE.height });
  });

  it('ignores missing, corrupt or non-finite data', () => {
    for (const bad of [undefined, null, 'x', {}, { bounds: { x: 1 } }, saved({ x: Number.NaN, y: 0, width: 800, height: 600 })]) {
      expect(placeWindow(bad, [laptop])).toEqual({ bounds: DEFAULT_SIZE, maximized: false });
    }
  });

  it('uses the default when no display is known', () => {
    expect(placeWindow(saved({ x: 0, y: 0, width: 800, height: 600 }), []).bounds).toEqual(DEFAULT_SIZE);
  });

  it('keeps maximized even when the bounds are unusable', () => {
    expect(placeWindow(saved({ x: 9000, y: 9000, width: 800, height: 600 }, true), [laptop]).maximized).toBe(true);
  });
});
