import { BOX, connector, type Layout } from './model';
import type { Texts } from './i18n';

/** Colours of an exported drawing, read from the widget's custom properties. */
export interface Palette {
  background: string;
  box: string;
  border: string;
  accent: string;
  text: string;
  muted: string;
  font: string;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Splits a text into at most `max` lines of about `width` characters. */
export function wrap(text: string, width: number, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && (line + ' ' + word).length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  if (lines.length > max) {
    lines.length = max;
    lines[max - 1] = lines[max - 1].replace(/.?$/, '…');
  }
  return lines;
}

/** The holder line of a box: the holder's name, « Poste vacant » or « Titulaire non nommé ». */
export function holderLine(head: Layout['nodes'][number]['node']['unit']['head'], t: Texts) {
  if (!head) return t.noHead;
  if (head.holderStatus === 'VACANT') return t.vacant;
  if (head.holderStatus === 'HELD_BY_UNKNOWN' || !head.holder) return t.heldByUnknown;
  return head.holder.displayName;
}

/** A standalone SVG document of the visible chart: boxes, their texts and the connectors. */
export function chartSvg(layout: Layout, t: Texts, p: Palette, title: string): string {
  const pad = 16;
  const w = layout.width + pad * 2;
  const h = layout.height + pad * 2;
  const parts: string[] = [];
  for (const { from, to } of layout.links) {
    parts.push(
      `<path d="${connector(from, to)}" fill="none" stroke="${p.border}" stroke-width="1.5"/>`,
    );
  }
  for (const { node, x, y } of layout.nodes) {
    const u = node.unit;
    const lines: Array<[string, number, string, string]> = [
      [t.kinds[u.kind] ?? u.kind, 12, p.accent, '700'],
      ...wrap(u.name, 30, 3).map((l): [string, number, string, string] => [l, 14, p.text, '700']),
      ...(u.acronym ? [[u.acronym, 12, p.muted, '400'] as [string, number, string, string]] : []),
      ...(u.head
        ? wrap(u.head.title, 34, 1).map((l): [string, number, string, string] => [
            l,
            12,
            p.text,
            '400',
          ])
        : []),
      [holderLine(u.head, t), 12, p.muted, '400'],
    ];
    let ty = y + 20;
    const texts = lines.map(([text, size, fill, weight]) => {
      const out = `<text x="${x + 12}" y="${ty}" font-size="${size}" font-weight="${weight}" fill="${fill}">${escape(text)}</text>`;
      ty += size + 5;
      return out;
    });
    parts.push(
      `<g><rect x="${x}" y="${y}" width="${BOX.width}" height="${BOX.height}" rx="4" fill="${p.box}" stroke="${p.border}"/>` +
        `<rect x="${x}" y="${y}" width="${BOX.width}" height="4" fill="${p.accent}"/>${texts.join('')}</g>`,
    );
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="${escape(p.font)}">` +
    `<title>${escape(title)}</title><rect width="100%" height="100%" fill="${p.background}"/>` +
    `<g transform="translate(${pad},${pad})">${parts.join('')}</g></svg>`
  );
}

/** Makes the browser download a blob under a file name. */
export function download(blob: Blob, name: string, within: Node): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.hidden = true;
  within.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** Rasterizes an SVG document to a PNG blob at twice its size. */
export async function svgToPng(svg: string, width: number, height: number): Promise<Blob> {
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = width * 2;
  canvas.height = height * 2;
  const ctx = canvas.getContext('2d')!;
  ctx.scale(2, 2);
  ctx.drawImage(img, 0, 0, width, height);
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'),
  );
}
