/** A view transform: screen = k × point + (x, y). */
export interface View {
  k: number;
  x: number;
  y: number;
}

/**
 * Pan with a pointer drag and zoom with the wheel (around the pointer) on a viewport element.
 * Note: d3-zoom would do this, but with d3-selection, d3-transition and d3-interpolate it weighs
 * about 18 kB gzipped, nearly half the widget's budget; this needs a tenth of that.
 */
export class PanZoom {
  view: View = { k: 1, x: 0, y: 0 };
  private drag: { id: number; x: number; y: number; moved: boolean } | null = null;

  constructor(
    private readonly el: HTMLElement,
    private readonly onChange: (view: View) => void,
    private readonly enabled: () => boolean,
    private readonly min = 0.1,
    private readonly max = 2.5,
  ) {
    el.addEventListener('wheel', this.onWheel, { passive: false });
    el.addEventListener('pointerdown', this.onDown);
    el.addEventListener('pointermove', this.onMove);
    el.addEventListener('pointerup', this.onUp);
    el.addEventListener('pointercancel', this.onUp);
    // Note: a drag ends with a click on the box under the pointer; it must not open its card.
    el.addEventListener('click', this.onClick, true);
  }

  /** Sets the view. */
  set(view: View): void {
    this.view = { ...view, k: Math.min(this.max, Math.max(this.min, view.k)) };
    this.onChange(this.view);
  }

  /** Zooms by a factor around a point of the viewport (its centre by default). */
  scaleBy(factor: number, px = this.el.clientWidth / 2, py = this.el.clientHeight / 2): void {
    const { k, x, y } = this.view;
    const k2 = Math.min(this.max, Math.max(this.min, k * factor));
    this.set({ k: k2, x: px - ((px - x) * k2) / k, y: py - ((py - y) * k2) / k });
  }

  /** Pans so that a point of the drawing is at the centre of the viewport. */
  centerOn(px: number, py: number): void {
    const { k } = this.view;
    this.set({ k, x: this.el.clientWidth / 2 - px * k, y: this.el.clientHeight / 2 - py * k });
  }

  private onWheel = (event: WheelEvent) => {
    if (!this.enabled()) return;
    event.preventDefault();
    const rect = this.el.getBoundingClientRect();
    const delta = event.deltaY * (event.deltaMode === 1 ? 16 : 1);
    this.scaleBy(Math.exp(-delta * 0.002), event.clientX - rect.left, event.clientY - rect.top);
  };

  private onDown = (event: PointerEvent) => {
    if (!this.enabled() || event.button !== 0) return;
    this.drag = { id: event.pointerId, x: event.clientX, y: event.clientY, moved: false };
  };

  private onMove = (event: PointerEvent) => {
    const drag = this.drag;
    if (!drag || drag.id !== event.pointerId) return;
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < 4) return;
    if (!drag.moved) this.el.setPointerCapture(event.pointerId);
    drag.moved = true;
    drag.x = event.clientX;
    drag.y = event.clientY;
    this.set({ ...this.view, x: this.view.x + dx, y: this.view.y + dy });
  };

  private onUp = (event: PointerEvent) => {
    if (this.drag?.id !== event.pointerId) return;
    if (!this.drag.moved) this.drag = null;
  };

  private onClick = (event: MouseEvent) => {
    if (this.drag?.moved) {
      event.stopPropagation();
      event.preventDefault();
    }
    this.drag = null;
  };
}
