import type { Component } from './connected-components';
import type { ComponentLayout } from './elk-layout';

/** Messages between the window and a layout worker: one component in, its layout out. */
export interface LayoutRequest {
  id: number;
  component: Component;
}

export type LayoutResponse = { id: number; layout: ComponentLayout } | { id: number; error: string };
