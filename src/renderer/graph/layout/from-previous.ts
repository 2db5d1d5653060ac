import type { Component } from './connected-components';
import { deriveFromPrevious, inPreviousOrder } from './derive-layout';
import type { ComponentLayout } from './layout-types';
import { unpackPrevious, type PackedPrevious } from './layout-protocol';

/**
 * A big component edited, in a layout worker (or in the thread where there are none): its layout
 * kept from the picture on screen where the edit allows (derive-layout.ts), else the component in
 * the order it stood on screen, to be laid out again.
 */
export function fromPrevious(component: Component, previous: PackedPrevious): { layout: ComponentLayout } | { ordered: Component } {
  const picture = unpackPrevious(component, previous);
  const layout = deriveFromPrevious(component, picture);
  return layout ? { layout } : { ordered: inPreviousOrder(component, picture.position) };
}
