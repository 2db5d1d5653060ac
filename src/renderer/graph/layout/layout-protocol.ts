import type { Component } from './connected-components';
import type { ComponentLayout } from './dagre-layout';

/** Messages between the window and a layout worker: some components in, their layouts out. */
export interface LayoutRequest {
  id: number;
  fast: boolean;
  components: Component[];
}

export type LayoutResponse = { id: number; layouts: ComponentLayout[] } | { id: number; error: string };
