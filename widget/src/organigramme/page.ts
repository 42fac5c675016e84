// The chart page, /organigramme[/<slug>]: the widget full-screen, a picker of every top unit, and
// an address that follows the selection so that a link opens the chart on that unit.
import { operationRequest } from './api';

interface TopUnit {
  slug: string;
  name: string;
}

const chart = document.querySelector('annuaire-organigramme')!;
const picker = document.querySelector<HTMLSelectElement>('#root-picker')!;
const prefix = '/organigramme';

function slugOfPath(): string | null {
  const rest = decodeURIComponent(location.pathname.slice(prefix.length)).replace(/^\/+|\/+$/g, '');
  return rest || null;
}

function show(slug: string | null): void {
  if (slug) chart.setAttribute('root', slug);
  else chart.removeAttribute('root');
  const value = slug ?? '';
  // Note: without a slug, « Toutes » (value ''); a unit that is not a top unit, « Autre unité ».
  picker.value = [...picker.options].some((o) => o.value === value) ? value : '-';
}

async function fillPicker(): Promise<void> {
  try {
    const { url, init } = operationRequest(
      new URL('/graphql', location.href).href,
      '{ topUnits { slug name } }',
      {},
    );
    const res = await fetch(url, init);
    const body = (await res.json()) as { data?: { topUnits: TopUnit[] } };
    for (const unit of body.data?.topUnits ?? []) picker.add(new Option(unit.name, unit.slug));
  } catch {
    // Note: the widget itself says when the server cannot be reached; the picker stays short.
  }
  show(slugOfPath());
}

picker.addEventListener('change', () => {
  if (picker.value === '-') return;
  history.pushState(
    null,
    '',
    picker.value ? `${prefix}/${encodeURIComponent(picker.value)}` : prefix,
  );
  show(picker.value || null);
});

chart.addEventListener('unit-select', (event) => {
  const { slug } = (event as CustomEvent<{ slug: string }>).detail;
  history.replaceState(null, '', `${prefix}/${encodeURIComponent(slug)}`);
});

window.addEventListener('popstate', () => show(slugOfPath()));
show(slugOfPath());
void fillPicker();
