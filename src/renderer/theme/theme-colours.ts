import { useEffect, useState } from 'react';
import { STATE_KINDS, type StateKind } from '../task-state/task-state';
import { useTheme } from './ThemeProvider';

/** The tokens the canvas layers draw with, read from styles/tokens.css for the theme in use. */
export interface CanvasColours {
  state: Record<StateKind, string>;
  cardBg: string;
  cardLine: string;
  text: string;
  muted: string;
  edge: string;
  edgeDone: string;
  selected: string;
  clusterBg: string;
  clusterLine: string;
  canvasBg: string;
}

function readCanvasColours(root: HTMLElement = document.documentElement): CanvasColours {
  const style = getComputedStyle(root);
  const token = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const state = Object.fromEntries(STATE_KINDS.map((kind) => [kind, token(`--state-${kind}`, '#64748b')])) as Record<StateKind, string>;
  return {
    state,
    cardBg: token('--card-bg', '#ffffff'),
    cardLine: token('--card-line', '#d3d9e1'),
    text: token('--text-strong', '#0f172a'),
    muted: token('--muted', '#566070'),
    edge: token('--edge', '#8391a5'),
    edgeDone: token('--edge-done', '#16a34a'),
    selected: token('--edge-selected', '#2563eb'),
    clusterBg: token('--cluster-bg', 'rgba(100,116,139,0.08)'),
    clusterLine: token('--cluster-line', '#b8c2cf'),
    canvasBg: token('--canvas-bg', '#f4f6f8'),
  };
}

/** The canvas colours, read again whenever the theme changes (after it is applied). */
export function useCanvasColours(): CanvasColours {
  const { theme } = useTheme();
  const [colours, setColours] = useState(() => readCanvasColours());
  // biome-ignore lint/correctness/useExhaustiveDependencies: the theme is the trigger, not an input: readCanvasColours reads the CSS variables ThemeProvider's layout effect has just switched
  useEffect(() => setColours(readCanvasColours()), [theme]);
  return colours;
}
