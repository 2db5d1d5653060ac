import type { Component } from './connected-components';
import { deriveFromPrevious, inPreviousOrder, type PreviousPicture } from './derive-layout';
import type { ComponentLayout } from './layout-types';

/**
 * A big component edited, in a layout worker: its layout kept from the picture on screen where the
 * edit allows (derive-layout.ts), else the component in the order it stood on screen, to be laid
 * out again.
 */
export function fromPrevious(component: Component, picture: PreviousPicture): { layout: ComponentLayout } | { ordered: Component } {
  const layout = deriveFromPrevious(component, picture);
  return layout ? { layout } : { ordered: inPreviousOrder(component, picture.position) };
}
