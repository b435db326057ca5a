import '@testing-library/jest-dom/vitest';

import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

// jsdom has no layout, media queries or canvas: give uPlot the little it asks for, so charts
// mount in component tests (what they draw is checked in the browser tests).
window.matchMedia ??= ((query: string) => ({
  matches: false,
  media: query,
  onchange: null,
  addEventListener: () => undefined,
  removeEventListener: () => undefined,
  addListener: () => undefined,
  removeListener: () => undefined,
  dispatchEvent: () => false,
})) as typeof window.matchMedia;
const noop = new Proxy(() => undefined, { get: (target, key) => (key === 'measureText' ? () => ({ width: 0 }) : target) });
HTMLCanvasElement.prototype.getContext = (() => noop) as unknown as typeof HTMLCanvasElement.prototype.getContext;
globalThis.Path2D ??= class {
  moveTo() {}
  lineTo() {}
  rect() {}
  arc() {}
  closePath() {}
  bezierCurveTo() {}
  addPath() {}
} as unknown as typeof Path2D;

afterEach(() => {
  cleanup();
  localStorage.clear();
});
