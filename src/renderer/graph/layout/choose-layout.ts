import type { Component } from './connected-components';

/**
 * Up to this many tasks a component is laid out by ELK (its layered algorithm draws small plans
 * best); bigger ones by our own layered layout (layered-layout.ts). ELK's cost grows much faster
 * than linearly: on one connected plan of 2,000 tasks it took over a minute, and at 10,000 it
 * overflowed the worker's stack ("Maximum call stack size exceeded", its recursive graph walks).
 */
export const ELK_UP_TO = 300;

export const needsElk = (component: Component): boolean => component.nodes.length <= ELK_UP_TO;
