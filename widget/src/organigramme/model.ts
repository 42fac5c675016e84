import { hierarchy, tree, type HierarchyNode } from 'd3-hierarchy';
import type { BoxUnit } from './queries';

/** Size of a box and the gaps between boxes, in CSS pixels. */
export const BOX = { width: 240, height: 132, gapX: 24, gapY: 56 };

/** A unit of the chart as the widget holds it. */
export interface ChartNode {
  id: string;
  parentId: string | null;
  unit: BoxUnit;
  hasChildren: boolean;
  /** Ids of the children, or null while they have not been loaded. */
  children: string[] | null;
  expanded: boolean;
}

/** A node as drawn: its place in the tree (ARIA) and on the canvas (top-left corner). */
export interface PlacedNode {
  node: ChartNode;
  level: number;
  posinset: number;
  setsize: number;
  x: number;
  y: number;
}

/** What one layout pass gives: nodes in depth-first order, connectors, the canvas size. */
export interface Layout {
  nodes: PlacedNode[];
  links: Array<{ from: PlacedNode; to: PlacedNode }>;
  width: number;
  height: number;
}

type Datum = { node: ChartNode | null; children: Datum[] };

/**
 * The units loaded so far and which are expanded. Several roots make a forest (the top units),
 * laid out under an invisible common root.
 */
export class ChartModel {
  readonly nodes = new Map<string, ChartNode>();
  roots: string[] = [];

  /** Adds or refreshes a unit. */
  put(id: string, parentId: string | null, unit: BoxUnit, hasChildren: boolean): ChartNode {
    const known = this.nodes.get(id);
    if (known) {
      Object.assign(known, { unit, hasChildren, parentId });
      return known;
    }
    const node: ChartNode = { id, parentId, unit, hasChildren, children: null, expanded: false };
    this.nodes.set(id, node);
    return node;
  }

  /** Records the loaded children of a unit, in order. */
  setChildren(id: string, children: string[]): void {
    const node = this.nodes.get(id);
    if (node) node.children = children;
  }

  /** The visible units, depth-first, placed with d3-hierarchy's tidy tree. */
  layout(): Layout {
    const datum = (node: ChartNode): Datum => ({
      node,
      children:
        node.expanded && node.children ? node.children.map((id) => datum(this.nodes.get(id)!)) : [],
    });
    const top: Datum = { node: null, children: this.roots.map((id) => datum(this.nodes.get(id)!)) };
    const root = hierarchy(top, (d) => d.children);
    tree<Datum>()
      .nodeSize([BOX.width + BOX.gapX, BOX.height + BOX.gapY])
      .separation((a, b) => (a.parent === b.parent ? 1 : 1.15))(root);
    let minX = Infinity;
    let maxX = -Infinity;
    let maxY = 0;
    root.each((h) => {
      if (!h.data.node) return;
      minX = Math.min(minX, h.x!);
      maxX = Math.max(maxX, h.x!);
      maxY = Math.max(maxY, (h.depth - 1) * (BOX.height + BOX.gapY));
    });
    const placed = new Map<HierarchyNode<Datum>, PlacedNode>();
    const nodes: PlacedNode[] = [];
    const links: Layout['links'] = [];
    root.eachBefore((h) => {
      if (!h.data.node) return;
      const siblings = h.parent!.children!;
      const p: PlacedNode = {
        node: h.data.node,
        level: h.depth,
        posinset: siblings.indexOf(h) + 1,
        setsize: siblings.length,
        x: h.x! - minX,
        y: (h.depth - 1) * (BOX.height + BOX.gapY),
      };
      placed.set(h, p);
      nodes.push(p);
      const parent = h.parent && placed.get(h.parent);
      if (parent) links.push({ from: parent, to: p });
    });
    return {
      nodes,
      links,
      width: nodes.length ? maxX - minX + BOX.width : 0,
      height: nodes.length ? maxY + BOX.height : 0,
    };
  }

  /** The ids from a root down to `id`, or null when the unit is not loaded. */
  pathTo(id: string): string[] | null {
    const path: string[] = [];
    let node = this.nodes.get(id);
    while (node) {
      path.unshift(node.id);
      if (this.roots.includes(node.id)) return path;
      node = node.parentId ? this.nodes.get(node.parentId) : undefined;
    }
    return null;
  }
}

/** The SVG path of a connector, from the bottom of a parent box to the top of a child box. */
export function connector(from: PlacedNode, to: PlacedNode): string {
  const x1 = from.x + BOX.width / 2;
  const y1 = from.y + BOX.height;
  const x2 = to.x + BOX.width / 2;
  const y2 = to.y;
  const mid = y1 + BOX.gapY / 2;
  return `M${x1},${y1}V${mid}H${x2}V${y2}`;
}
