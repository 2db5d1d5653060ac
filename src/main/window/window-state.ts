import { screen, type BrowserWindow } from 'electron';
import { readJsonFile, writeJsonFile } from '../json-file';
import { placeWindow, type SavedWindowState, type WindowPlacement } from './window-bounds';

/** Where to open the window: last run's bounds if they still fit the displays connected now. */
export function initialPlacement(file: string): WindowPlacement {
  return placeWindow(
    readJsonFile(file),
    screen.getAllDisplays().map((display) => display.workArea),
  );
}

/** Saves the window's normal bounds and maximized state as it moves, resizes and closes. */
export function rememberWindowState(window: BrowserWindow, file: string): void {
  let timer: NodeJS.Timeout | undefined;
  const save = () => {
    clearTimeout(timer);
    if (window.isDestroyed() || window.isMinimized()) return;
    const state: SavedWindowState = { bounds: window.getNormalBounds(), maximized: window.isMaximized() };
    writeJsonFile(file, state);
  };
  // Move and resize fire continuously while dragging; write once it settles.
  const saveSoon = () => {
    clearTimeout(timer);
    timer = setTimeout(save, 500);
  };
  window.on('resize', saveSoon);
  window.on('move', saveSoon);
  window.on('maximize', saveSoon);
  window.on('unmaximize', saveSoon);
  window.on('close', save);
}
