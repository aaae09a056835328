/** Tiny DOM helpers. User text only ever goes through `textContent`, never innerHTML. */

type Attrs = Record<string, string | number | boolean | undefined>;

/** Create an element with a class, attributes and children (strings become text nodes). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  attrs?: Attrs,
  children?: ReadonlyArray<Node | string>,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === false) continue;
      e.setAttribute(k, v === true ? '' : String(v));
    }
  }
  if (children) for (const c of children) e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return e;
}

/** Set an element's text (no-op when unchanged, so polling does not churn the DOM). */
export function setText(e: Element, text: string): void {
  if (e.textContent !== text) e.textContent = text;
}

/** Remove every child of `e`. */
export function clear(e: Element): void {
  e.replaceChildren();
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** A 20×20 line icon from an SVG path (icons are drawn, not emoji: not every system has an emoji font). */
export function icon(path: string): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '18');
  svg.setAttribute('height', '18');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'icon');
  const p = document.createElementNS(SVG_NS, 'path');
  p.setAttribute('d', path);
  svg.append(p);
  return svg;
}

/** Speaker with a cross (muted). */
export const ICON_MUTED = 'M4 9v6h4l5 4V5L8 9H4zm12.5 0l5 6m0-6l-5 6';
/** Four corners (fullscreen). */
export const ICON_FULLSCREEN = 'M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5';
