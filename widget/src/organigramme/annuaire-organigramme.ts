import { LitElement, html, nothing, svg as svgTemplate, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { styleMap } from 'lit/directives/style-map.js';
import { PanZoom, type View } from './pan-zoom';
import { ChartFailure, GraphQLClient, type Failure } from './api';
import { fold, texts, type Texts } from './i18n';
import { BOX, ChartModel, connector, type Layout, type PlacedNode } from './model';
import { chartSvg, download, holderLine, svgToPng, type Palette } from './export';
import { renderCard } from './card';
import { styles } from './styles';
import {
  CARD,
  CHART,
  FOREST,
  SEARCH,
  TOPS,
  type CardData,
  type CardUnit,
  type ChartData,
  type ForestData,
  type SearchData,
  type SearchHit,
} from './queries';

/** The GraphQL URL for an `endpoint` attribute: an origin, or a URL ending in `/graphql`. */
export function graphqlUrl(endpoint: string | null, scriptUrl: string): string {
  const url = new URL(endpoint || new URL(scriptUrl).origin, scriptUrl);
  if (!url.pathname.endsWith('/graphql')) url.pathname = url.pathname.replace(/\/?$/, '/graphql');
  return url.href;
}

/** The `unit-select` event's detail. */
export interface UnitSelectDetail {
  id: string;
  slug: string;
}

type Alert = { failure: Failure; retry: () => void };

/**
 * `<annuaire-organigramme>`: the org chart of the directory, drawn from its GraphQL API, as a
 * WAI-ARIA tree of boxes with lazy expansion, search, a card per unit and exports.
 */
export class AnnuaireOrganigramme extends LitElement {
  static override styles = styles;
  static override properties = {
    endpoint: { type: String },
    root: { type: String },
    depth: { type: Number },
    lang: { type: String, reflect: true },
    theme: { type: String, reflect: true },
    status: { state: true },
    alert: { state: true },
    layout: { state: true },
    selectedId: { state: true },
    focusId: { state: true },
    busyId: { state: true },
    card: { state: true },
    narrow: { state: true },
    hits: { state: true },
    activeHit: { state: true },
    searchOpen: { state: true },
    waitSeconds: { state: true },
  };

  declare endpoint: string | null;
  declare root: string | null;
  declare depth: number;
  declare lang: string;
  declare theme: string;
  declare status: 'loading' | 'ready' | 'failed';
  declare alert: Alert | null;
  declare layout: Layout;
  declare selectedId: string | null;
  declare focusId: string | null;
  declare busyId: string | null;
  declare card: CardUnit | null;
  declare narrow: boolean;
  declare hits: SearchHit[] | null;
  declare activeHit: number;
  declare searchOpen: boolean;
  declare waitSeconds: number;

  private model = new ChartModel();
  private loaded = false;
  private loadSeq = 0;
  private searchSeq = 0;
  private searchTimer?: ReturnType<typeof setTimeout>;
  private waitTimer?: ReturnType<typeof setInterval>;
  private typed = '';
  private typedAt = 0;
  private cards = new Map<string, CardUnit>();
  private panZoom?: PanZoom;
  private resize = new ResizeObserver(([entry]) => {
    this.narrow = entry.contentRect.width < 600;
  });
  private printQuery = window.matchMedia('print');
  private onPrint = () => this.fillPrint();

  constructor() {
    super();
    this.endpoint = null;
    this.root = null;
    this.depth = 2;
    this.lang = 'fr';
    this.theme = 'light';
    this.status = 'loading';
    this.alert = null;
    this.layout = { nodes: [], links: [], width: 0, height: 0 };
    this.selectedId = null;
    this.focusId = null;
    this.busyId = null;
    this.card = null;
    this.narrow = false;
    this.hits = null;
    this.activeHit = -1;
    this.searchOpen = false;
    this.waitSeconds = 0;
  }

  private get t(): Texts {
    return texts(this.lang);
  }

  private get client() {
    return new GraphQLClient(graphqlUrl(this.endpoint, import.meta.url));
  }

  private get levels(): number {
    const d = Math.floor(Number(this.depth));
    return Number.isFinite(d) ? Math.min(Math.max(d, 0), 10) : 2;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.resize.observe(this);
    this.printQuery.addEventListener('change', this.onPrint);
    window.addEventListener('beforeprint', this.onPrint);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resize.disconnect();
    this.printQuery.removeEventListener('change', this.onPrint);
    window.removeEventListener('beforeprint', this.onPrint);
    clearInterval(this.waitTimer);
    clearTimeout(this.searchTimer);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!this.loaded || changed.has('root') || changed.has('depth') || changed.has('endpoint')) {
      this.loaded = true;
      void this.load();
    }
  }

  protected override firstUpdated(): void {
    const viewport = this.renderRoot.querySelector<HTMLElement>('.viewport')!;
    this.panZoom = new PanZoom(
      viewport,
      () => this.applyView(),
      () => !this.narrow,
    );
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('narrow') && !this.narrow) this.fit();
    this.applyView();
  }

  /** Puts the pan and zoom on the canvas; Lit does not manage its transform. */
  private applyView(): void {
    const canvas = this.renderRoot.querySelector<HTMLElement>('.canvas');
    const v: View | undefined = this.panZoom?.view;
    if (canvas && v) canvas.style.transform = `translate(${v.x}px, ${v.y}px) scale(${v.k})`;
  }

  // --- Loading -------------------------------------------------------------------------------

  /** Loads the chart from the root (or the top units) down to `depth`. */
  private async load(): Promise<void> {
    const seq = ++this.loadSeq;
    const refocus = this.matches(':focus-within');
    this.status = 'loading';
    this.alert = null;
    this.card = null;
    this.cards.clear();
    const model = new ChartModel();
    const depth = this.levels;
    try {
      if (this.root) {
        const data = await this.client.request<ChartData>(
          CHART,
          { root: this.root, depth },
          this.root,
        );
        this.fillFromChart(model, data.orgChart.nodes, depth);
        model.roots = data.orgChart.nodes.slice(0, 1).map((n) => n.id);
      } else {
        const data = await this.client.request<ForestData>(depth > 0 ? FOREST : TOPS, { depth });
        for (const top of data.topUnits) {
          const nodes = [
            { id: top.id, parentId: null, depth: 0, hasChildren: top.hasChildren, unit: top },
            ...(top.descendants ?? []).map((d) => ({
              id: d.id,
              parentId: d.parent.id,
              depth: 0,
              hasChildren: d.hasChildren,
              unit: d,
            })),
          ];
          // Note: descendants carry no relative depth; a unit's children are loaded when the
          // unit has some among the results, or sits above the cut.
          this.fillFromChart(model, nodes, depth, true);
        }
        model.roots = data.topUnits.map((u) => u.id);
      }
    } catch (error) {
      if (seq !== this.loadSeq) return;
      this.status = 'failed';
      this.fail(error, () => void this.load());
      return;
    }
    if (seq !== this.loadSeq) return;
    this.model = model;
    this.status = 'ready';
    this.focusId = model.roots[0] ?? null;
    this.relayout();
    await this.updateComplete;
    this.fit();
    if (refocus) this.focusNode(this.focusId);
  }

  private fillFromChart(
    model: ChartModel,
    nodes: ChartData['orgChart']['nodes'],
    depth: number,
    forest = false,
  ): void {
    const kids = new Map<string, string[]>();
    for (const n of nodes) {
      model.put(n.id, n.parentId, n.unit, n.hasChildren);
      if (n.parentId) kids.set(n.parentId, [...(kids.get(n.parentId) ?? []), n.id]);
    }
    const levels = new Map<string, number>();
    for (const n of nodes) {
      const level = n.parentId ? (levels.get(n.parentId) ?? 0) + 1 : 0;
      levels.set(n.id, forest ? level : n.depth);
      const node = model.nodes.get(n.id)!;
      if (!n.hasChildren) node.children = [];
      else if (levels.get(n.id)! < depth) {
        node.children = kids.get(n.id) ?? [];
        node.expanded = true;
      }
    }
  }

  /** Loads the children of a unit once (one request), then shows them. */
  private async expand(id: string): Promise<void> {
    const node = this.model.nodes.get(id);
    if (!node || !node.hasChildren) return;
    if (!node.children) {
      this.busyId = id;
      try {
        const data = await this.client.request<ChartData>(CHART, { root: id, depth: 1 });
        const children = data.orgChart.nodes.filter((n) => n.parentId === id);
        for (const c of children) {
          this.model.put(c.id, id, c.unit, c.hasChildren).children ??= c.hasChildren ? null : [];
        }
        this.model.setChildren(
          id,
          children.map((c) => c.id),
        );
      } finally {
        this.busyId = null;
      }
    }
    node.expanded = true;
    this.relayout();
  }

  private collapse(id: string): void {
    const node = this.model.nodes.get(id);
    if (!node?.expanded) return;
    node.expanded = false;
    this.relayout();
  }

  private toggle(id: string): void {
    const node = this.model.nodes.get(id);
    if (node?.expanded) this.collapse(id);
    else void this.attempt(() => this.expand(id));
  }

  private relayout(): void {
    this.layout = this.model.layout();
  }

  // --- Failures ------------------------------------------------------------------------------

  /** Runs an action; a failure shows its message with « Réessayer », which runs it again. */
  private async attempt(action: () => Promise<void>): Promise<void> {
    try {
      await action();
      this.alert = null;
    } catch (error) {
      this.fail(error, () => void this.attempt(action));
    }
  }

  private fail(error: unknown, retry: () => void): void {
    const failure: Failure =
      error instanceof ChartFailure
        ? error.failure
        : { kind: 'graphql', message: error instanceof Error ? error.message : String(error) };
    this.alert = { failure, retry };
    clearInterval(this.waitTimer);
    this.waitSeconds = failure.kind === 'rate-limited' ? failure.retryAfter : 0;
    if (this.waitSeconds > 0) {
      this.waitTimer = setInterval(() => {
        this.waitSeconds = Math.max(0, this.waitSeconds - 1);
        if (this.waitSeconds === 0) clearInterval(this.waitTimer);
      }, 1000);
    }
  }

  private failureText(failure: Failure, initial: boolean): string {
    const t = this.t;
    switch (failure.kind) {
      case 'network':
        return initial ? t.networkError : t.lostConnection;
      case 'rate-limited':
        return t.rateLimited(this.waitSeconds);
      case 'unknown-root':
        return t.unknownRoot(failure.root);
      case 'graphql':
        return t.graphqlError(failure.message);
      case 'http':
        return t.httpError(failure.status);
    }
  }

  private retry(): void {
    const alert = this.alert;
    if (!alert || this.waitSeconds > 0) return;
    this.alert = null;
    alert.retry();
  }

  // --- Selection, focus, view ----------------------------------------------------------------

  private placed(id: string | null): PlacedNode | undefined {
    return this.layout.nodes.find((p) => p.node.id === id);
  }

  private select(id: string): void {
    const node = this.model.nodes.get(id);
    if (!node) return;
    this.selectedId = id;
    this.dispatchEvent(
      new CustomEvent<UnitSelectDetail>('unit-select', {
        detail: { id, slug: node.unit.slug },
        bubbles: true,
        composed: true,
      }),
    );
  }

  private async focusNode(id: string | null, center = false): Promise<void> {
    if (!id) return;
    this.focusId = id;
    await this.updateComplete;
    const el = this.renderRoot.querySelector<HTMLElement>(`[data-id="${CSS.escape(id)}"]`);
    if (!el) return;
    el.focus({ preventScroll: !this.narrow });
    if (this.narrow) el.scrollIntoView({ block: 'nearest' });
    else this.bringIntoView(id, center);
  }

  /** Pans the chart so that a box is in view: centred when asked, else only when outside. */
  private bringIntoView(id: string, center: boolean): void {
    const p = this.placed(id);
    const viewport = this.renderRoot.querySelector<HTMLElement>('.viewport');
    if (!p || !viewport || !this.panZoom) return;
    const { k, x, y } = this.panZoom.view;
    const outside =
      p.x * k + x < 0 ||
      p.y * k + y < 0 ||
      (p.x + BOX.width) * k + x > viewport.clientWidth ||
      (p.y + BOX.height) * k + y > viewport.clientHeight;
    if (center || outside) this.panZoom.centerOn(p.x + BOX.width / 2, p.y + BOX.height / 2);
  }

  /** « Ajuster à l'écran »: the whole visible chart in the viewport, at most at full size. */
  fit(): void {
    const viewport = this.renderRoot.querySelector<HTMLElement>('.viewport');
    if (!viewport || !this.panZoom || this.narrow || !this.layout.width) return;
    const pad = 16;
    const w = viewport.clientWidth;
    const h = viewport.clientHeight;
    const k = Math.min((w - pad * 2) / this.layout.width, (h - pad * 2) / this.layout.height, 1);
    const x = (w - this.layout.width * k) / 2;
    this.panZoom.set({ k, x, y: pad });
  }

  private zoomBy(factor: number): void {
    this.panZoom?.scaleBy(factor);
  }

  /** Reveals a unit: expands its ancestors, selects it, scrolls it into view and focuses it. */
  async reveal(id: string, ancestors: string[]): Promise<void> {
    const chain = [...ancestors, id];
    const start = chain.findIndex((a) => this.model.roots.includes(a));
    if (start < 0) return;
    for (const ancestor of chain.slice(start, -1)) await this.expand(ancestor);
    this.select(id);
    await this.focusNode(id, true);
  }

  // --- Keyboard (WAI-ARIA tree view) ---------------------------------------------------------

  private onTreeKey(event: KeyboardEvent): void {
    const nodes = this.layout.nodes;
    const i = nodes.findIndex((p) => p.node.id === this.focusId);
    const current = nodes[i];
    if (!current) return;
    const go = (p: PlacedNode | undefined) => p && void this.focusNode(p.node.id);
    const node = current.node;
    switch (event.key) {
      case 'ArrowDown':
        go(nodes[i + 1]);
        break;
      case 'ArrowUp':
        go(nodes[i - 1]);
        break;
      case 'Home':
        go(nodes[0]);
        break;
      case 'End':
        go(nodes[nodes.length - 1]);
        break;
      case 'ArrowRight':
        if (node.hasChildren && !node.expanded) void this.attempt(() => this.expand(node.id));
        else if (node.expanded) go(nodes[i + 1]);
        break;
      case 'ArrowLeft':
        if (node.expanded) this.collapse(node.id);
        else go(this.placed(node.parentId));
        break;
      case 'Enter':
        this.select(node.id);
        void this.openCard(node.id);
        break;
      case ' ':
        this.select(node.id);
        break;
      default:
        if (event.key.length !== 1 || event.ctrlKey || event.metaKey || event.altKey) return;
        this.typeAhead(event.key, i);
    }
    event.preventDefault();
  }

  /** Moves focus to the next unit whose name starts with the letters typed in a short while. */
  private typeAhead(key: string, from: number): void {
    const now = Date.now();
    this.typed = now - this.typedAt < 700 ? this.typed + fold(key) : fold(key);
    this.typedAt = now;
    const nodes = this.layout.nodes;
    const start = this.typed.length > 1 ? from : from + 1;
    for (let k = 0; k < nodes.length; k++) {
      const p = nodes[(start + k) % nodes.length];
      if (fold(p.node.unit.name).startsWith(this.typed)) {
        void this.focusNode(p.node.id);
        return;
      }
    }
  }

  private onNodeClick(event: MouseEvent, id: string): void {
    if ((event.target as HTMLElement).closest('.toggle')) {
      this.toggle(id);
      return;
    }
    this.focusId = id;
    this.select(id);
    void this.openCard(id);
  }

  // --- Card ----------------------------------------------------------------------------------

  private async openCard(id: string): Promise<void> {
    const cached = this.cards.get(id);
    if (cached) return this.showCard(cached);
    await this.attempt(async () => {
      const data = await this.client.request<CardData>(CARD, { id });
      if (!data.unit) return;
      this.cards.set(id, data.unit);
      await this.showCard(data.unit);
    });
  }

  private async showCard(unit: CardUnit): Promise<void> {
    this.card = unit;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#card-title')?.focus();
  }

  private closeCard(): void {
    if (!this.card) return;
    const id = this.card.id;
    this.card = null;
    void this.focusNode(this.model.nodes.has(id) ? id : this.focusId);
  }

  // --- Search (WAI-ARIA combobox) ------------------------------------------------------------

  private onSearchInput(event: Event): void {
    const q = (event.target as HTMLInputElement).value.trim();
    clearTimeout(this.searchTimer);
    if (q.length < 2) {
      this.hits = null;
      this.searchOpen = false;
      return;
    }
    this.searchTimer = setTimeout(() => void this.attempt(() => this.search(q)), 200);
  }

  private async search(q: string): Promise<void> {
    const seq = ++this.searchSeq;
    const data = await this.client.request<SearchData>(SEARCH, { q });
    if (seq !== this.searchSeq) return;
    const root = this.model.roots;
    this.hits = data.search.nodes.filter(
      (h) => h.id && (root.includes(h.id) || h.ancestors.some((a) => root.includes(a.id))),
    );
    this.activeHit = -1;
    this.searchOpen = true;
  }

  private onSearchKey(event: KeyboardEvent): void {
    const hits = this.hits ?? [];
    if (event.key === 'ArrowDown' && hits.length) {
      this.searchOpen = true;
      this.activeHit = (this.activeHit + 1) % hits.length;
    } else if (event.key === 'ArrowUp' && hits.length) {
      this.searchOpen = true;
      this.activeHit = this.activeHit <= 0 ? hits.length - 1 : this.activeHit - 1;
    } else if (event.key === 'Enter' && this.searchOpen) {
      const hit = hits[Math.max(this.activeHit, 0)];
      if (hit) void this.choose(hit);
    } else if (event.key === 'Escape' && this.searchOpen) {
      this.searchOpen = false;
      event.stopPropagation();
    } else return;
    event.preventDefault();
  }

  private async choose(hit: SearchHit): Promise<void> {
    this.searchOpen = false;
    this.activeHit = -1;
    const input = this.renderRoot.querySelector<HTMLInputElement>('input[type="search"]');
    if (input) input.value = hit.name;
    await this.attempt(() =>
      this.reveal(
        hit.id,
        hit.ancestors.map((a) => a.id),
      ),
    );
  }

  // --- Export and print ----------------------------------------------------------------------

  private palette(): Palette {
    const style = getComputedStyle(this);
    const v = (name: string) => style.getPropertyValue(name).trim();
    return {
      background: v('--ao-background'),
      box: v('--ao-box'),
      border: v('--ao-connector'),
      accent: v('--ao-accent'),
      text: v('--ao-text'),
      muted: v('--ao-muted'),
      font: style.fontFamily || 'sans-serif',
    };
  }

  private svg(): string {
    const root = this.model.nodes.get(this.model.roots[0] ?? '');
    const title =
      this.root && root ? `${this.t.chartLabel} : ${root.unit.name}` : this.t.chartLabel;
    return chartSvg(this.layout, this.t, this.palette(), title);
  }

  private exportSvg(): void {
    download(
      new Blob([this.svg()], { type: 'image/svg+xml' }),
      'organigramme.svg',
      this.renderRoot,
    );
  }

  private async exportPng(): Promise<void> {
    await this.attempt(async () => {
      const png = await svgToPng(this.svg(), this.layout.width + 32, this.layout.height + 32);
      download(png, 'organigramme.png', this.renderRoot);
    });
  }

  private fillPrint(): void {
    const print = this.renderRoot.querySelector('.print');
    if (print && this.status === 'ready') print.innerHTML = this.svg();
  }

  // --- Rendering -----------------------------------------------------------------------------

  private onKey(event: KeyboardEvent): void {
    if (event.key === 'Escape' && this.card) {
      event.preventDefault();
      this.closeCard();
    }
  }

  override render() {
    const t = this.t;
    return html`<div class="layout ${this.narrow ? 'narrow' : ''}" @keydown=${this.onKey}>
      <div class="toolbar">
        ${this.renderSearch(t)}
        <span class="spacer"></span>
        <span class="zoom">
          <button class="btn" type="button" @click=${() => this.zoomBy(1.25)}>${t.zoomIn}</button>
          <button class="btn" type="button" @click=${() => this.zoomBy(0.8)}>${t.zoomOut}</button>
          <button class="btn" type="button" @click=${() => this.fit()}>${t.fit}</button>
        </span>
        <button class="btn" type="button" @click=${this.exportSvg}>${t.exportSvg}</button>
        <button class="btn" type="button" @click=${this.exportPng}>${t.exportPng}</button>
      </div>
      <div class="body">
        <div class="viewport">${this.renderChart(t)}</div>
        ${this.renderState(t)}
        ${
          this.card
            ? html`<section
                class="card"
                role="dialog"
                aria-modal="false"
                aria-labelledby="card-title"
              >
                ${renderCard(this.card, t, this.lang, {
                  close: () => this.closeCard(),
                  reveal: (id, ancestors) => void this.attempt(() => this.reveal(id, ancestors)),
                })}
              </section>`
            : nothing
        }
      </div>
      <div class="print" aria-hidden="true"></div>
    </div>`;
  }

  private renderSearch(t: Texts) {
    const hits = this.hits ?? [];
    const open = this.searchOpen && hits.length > 0;
    return html`<div class="search">
      <label class="visually-hidden" for="search">${t.searchLabel}</label>
      <input
        id="search"
        type="search"
        role="combobox"
        autocomplete="off"
        aria-autocomplete="list"
        aria-expanded=${open ? 'true' : 'false'}
        aria-controls="hits"
        aria-activedescendant=${open && this.activeHit >= 0 ? `hit-${this.activeHit}` : nothing}
        placeholder=${t.searchPlaceholder}
        @input=${this.onSearchInput}
        @keydown=${this.onSearchKey}
        @blur=${() => setTimeout(() => (this.searchOpen = false), 150)}
      />
      <ul id="hits" class="listbox" role="listbox" aria-label=${t.searchLabel} ?hidden=${!open}>
        ${hits.map(
          (h, i) =>
            html`<li
              id="hit-${i}"
              role="option"
              aria-selected=${i === this.activeHit ? 'true' : 'false'}
              @mousedown=${(e: Event) => e.preventDefault()}
              @click=${() => void this.choose(h)}
            >
              ${h.name}${h.acronym ? ` (${h.acronym})` : ''}
              <span class="option-path">${h.ancestors.map((a) => a.name).join(' › ')}</span>
            </li>`,
        )}
      </ul>
      <span class="visually-hidden" role="status"
        >${this.hits && this.searchOpen ? t.results(hits.length) : ''}</span
      >
    </div>`;
  }

  private renderChart(t: Texts) {
    if (this.status !== 'ready') return nothing;
    const { nodes, links, width, height } = this.layout;
    return html`<div
      class="canvas"
      style=${styleMap({ width: `${width}px`, height: `${height}px` })}
    >
      <svg class="links" width=${width} height=${height} aria-hidden="true">
        ${links.map(({ from, to }) => svgPath(connector(from, to)))}
      </svg>
      <div role="tree" aria-label=${t.chartLabel} @keydown=${this.onTreeKey}>
        ${repeat(
          nodes,
          (p) => p.node.id,
          (p) => this.renderNode(p, t),
        )}
      </div>
    </div>`;
  }

  private renderNode(p: PlacedNode, t: Texts) {
    const { node } = p;
    const u = node.unit;
    const focusable = node.id === this.focusId || (!this.focusId && p === this.layout.nodes[0]);
    return html`<div
      class="node"
      role="treeitem"
      data-id=${node.id}
      tabindex=${focusable ? '0' : '-1'}
      aria-level=${p.level}
      aria-posinset=${p.posinset}
      aria-setsize=${p.setsize}
      aria-selected=${node.id === this.selectedId ? 'true' : 'false'}
      aria-expanded=${node.hasChildren ? String(node.expanded) : nothing}
      aria-busy=${this.busyId === node.id ? 'true' : nothing}
      style="transform: translate(${p.x}px, ${p.y}px); --level: ${p.level}"
      @click=${(e: MouseEvent) => this.onNodeClick(e, node.id)}
      @focus=${() => (this.focusId = node.id)}
    >
      <div class="kind">${t.kinds[u.kind] ?? u.kind}</div>
      <div class="name">${u.name}</div>
      ${u.acronym ? html`<div class="muted">${u.acronym}</div>` : nothing}
      ${u.head ? html`<div class="line">${u.head.title}</div>` : nothing}
      <div class="line muted">${holderLine(u.head, t)}</div>
      ${
        node.hasChildren
          ? html`<span class="toggle" aria-hidden="true"
              >${this.busyId === node.id ? '…' : node.expanded ? '−' : '+'}</span
            >`
          : nothing
      }
    </div>`;
  }

  private renderState(t: Texts) {
    const alert = this.alert;
    const retry = html`<button
      class="btn primary"
      type="button"
      ?disabled=${this.waitSeconds > 0}
      @click=${this.retry}
    >
      ${t.retry}
    </button>`;
    if (this.status === 'failed' && alert) {
      return html`<div class="message error" role="alert">
        <p>${this.failureText(alert.failure, true)}</p>
        ${retry}
      </div>`;
    }
    if (this.status === 'loading') {
      return html`<div class="message" role="status">${t.loading}</div>`;
    }
    if (this.status === 'ready' && !this.layout.nodes.length) {
      return html`<div class="message" role="status">${t.empty}</div>`;
    }
    if (alert) {
      return html`<div class="alert" role="alert">
        <span>${this.failureText(alert.failure, false)}</span>${retry}
      </div>`;
    }
    return nothing;
  }
}

function svgPath(d: string) {
  return svgTemplate`<path d=${d}></path>`;
}

if (!customElements.get('annuaire-organigramme')) {
  customElements.define('annuaire-organigramme', AnnuaireOrganigramme);
}

declare global {
  interface HTMLElementTagNameMap {
    'annuaire-organigramme': AnnuaireOrganigramme;
  }
}
