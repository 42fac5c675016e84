/**
 * What the front-end benchmark runs inside the page (plain JavaScript, added before any script of
 * the page): `window.__probe`, which waits for boxes of the widget with requestAnimationFrame and
 * marks the times with the Performance API. The widget fires no "rendered" event, so the probe
 * checks the DOM once per frame: the first frame whose callback finds the boxes is the frame that
 * paints them; `painted` is taken in the task after that frame.
 */
export const PAGE_PROBE = `(() => {
  const boxes = () =>
    document.querySelector('annuaire-organigramme')?.shadowRoot?.querySelectorAll('[role="treeitem"]') ?? [];
  const frameWith = (test, mark) =>
    new Promise((resolve) => {
      const check = () => {
        if (!test(boxes().length)) return requestAnimationFrame(check);
        performance.mark(mark);
        const drawn = performance.now();
        setTimeout(() => resolve({ drawn, painted: performance.now() }), 0);
      };
      requestAnimationFrame(check);
    });
  const longTasks = [];
  new PerformanceObserver((list) => longTasks.push(...list.getEntries().map((e) => e.duration)))
    .observe({ type: 'longtask', buffered: true });
  const toggleOf = (level) =>
    [...boxes()].find((b) => b.getAttribute('aria-level') === String(level)).querySelector('.toggle');
  window.__probe = {
    longTasks,
    /** From the navigation (performance.timeOrigin): the first frame with n boxes. */
    async chart(n) {
      const at = await frameWith((count) => count >= n, 'chart-drawn');
      performance.measure('first-chart', { start: 0, end: 'chart-drawn' });
      const entries = performance.getEntriesByType('resource').map((r) => ({
        name: r.name, start: r.startTime, end: r.responseEnd, bytes: r.transferSize,
      }));
      return { ...at, entries };
    },
    /** From a click on the first box's toggle: the first frame with n more boxes. */
    async expand(n) {
      const before = boxes().length;
      const done = frameWith((count) => count >= before + n, 'expand-drawn');
      performance.mark('expand-start');
      const start = performance.now();
      toggleOf(1).click();
      const at = await done;
      performance.measure('expand', 'expand-start', 'expand-drawn');
      return { drawn: at.drawn - start, painted: at.painted - start };
    },
    /** Collapses the first box again, until one box is left. */
    async collapse() {
      const done = frameWith((count) => count === 1, 'collapse-drawn');
      toggleOf(1).click();
      await done;
    },
  };
})();`;
