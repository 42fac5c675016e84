import { html, nothing, type TemplateResult } from 'lit';
import type { Texts } from './i18n';
import type { CardUnit, Responsibility } from './queries';

/** What the card lets a person do. */
export interface CardActions {
  close(): void;
  reveal(id: string, ancestors: string[]): void;
}

/** A date of the API (YYYY-MM-DD) written for the reader's language. */
export function formatDate(date: string, lang: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  return Number.isNaN(d.getTime())
    ? date
    : new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'fr-FR', {
        dateStyle: 'long',
        timeZone: 'UTC',
      }).format(d);
}

function responsibility(r: Responsibility): TemplateResult {
  return html`<li>
    ${r.title}${r.reference ? html`<span class="ref">${r.reference}</span>` : nothing}
  </li>`;
}

function holder(unit: CardUnit, t: Texts) {
  const head = unit.head;
  if (!head) return html`<p class="muted">${t.noHead}</p>`;
  const who =
    head.holderStatus === 'VACANT'
      ? t.vacant
      : head.holderStatus === 'HELD_BY_UNKNOWN' || !head.holder
        ? t.heldByUnknown
        : head.holder.grade
          ? `${head.holder.displayName}, ${head.holder.grade}`
          : head.holder.displayName;
  return html`<p><strong>${head.title}</strong><br />${who}</p>`;
}

/**
 * The card of a unit: what it does (missions, responsibilities with their references), who heads
 * it, its relations, and the sources with their dates: the directory's provenance, visible.
 */
export function renderCard(unit: CardUnit, t: Texts, lang: string, on: CardActions) {
  const direct = unit.responsibilities.filter((r) => !r.mission);
  // Note: the seed, like the sources, states most missions as the head post's.
  const missions = [...unit.missions, ...(unit.head?.missions ?? [])];
  return html`
    <button class="btn close" type="button" @click=${on.close}>${t.close}</button>
    <h2 id="card-title" tabindex="-1">
      ${unit.name}${unit.acronym ? html` <span class="muted">(${unit.acronym})</span>` : nothing}
    </h2>
    <p class="kind">${t.kinds[unit.kind] ?? unit.kind}</p>
    ${unit.description ? html`<p>${unit.description}</p>` : nothing}
    ${unit.parent ? html`<p>${t.parent} : ${unit.parent.name}</p>` : nothing}
    <h3>${t.head}</h3>
    ${holder(unit, t)}
    <h3>${t.missions}</h3>
    ${
      missions.length
        ? html`<ul>
            ${missions.map(
              (m) =>
                html`<li>
                  <strong>${m.title}</strong>
                  ${m.description ? html`<br />${m.description}` : nothing}
                  ${m.carriedOutBy ? html`<br />${t.carriedOutBy} : ${m.carriedOutBy.name}` : nothing}
                  ${
                    m.responsibilities.length
                      ? html`<ul>
                          ${m.responsibilities.map(responsibility)}
                        </ul>`
                      : nothing
                  }
                </li>`,
            )}
          </ul>`
        : html`<p class="muted">${t.none}</p>`
    }
    ${
      direct.length
        ? html`<h3>${t.responsibilities}</h3>
            <ul>
              ${direct.map(responsibility)}
            </ul>`
        : nothing
    }
    <h3>${t.relations}</h3>
    ${
      unit.relations.length
        ? html`<ul>
            ${unit.relations.map((r) => {
              const [out, inc] = t.relationTypes[r.type] ?? [r.type, r.type];
              const verb = r.direction === 'OUTGOING' ? out : inc;
              const o = r.other;
              return html`<li>
                ${verb}
                ${
                  o.__typename === 'OrgUnit'
                    ? html`<button
                        class="link"
                        type="button"
                        @click=${() =>
                          on.reveal(
                            o.id,
                            o.ancestors.map((a) => a.id),
                          )}
                      >
                        ${o.name}
                      </button>`
                    : html`<strong>${o.title}</strong> (${o.unit.name})`
                }
              </li>`;
            })}
          </ul>`
        : html`<p class="muted">${t.none}</p>`
    }
    <h3>${t.sources}</h3>
    ${
      unit.sources.length
        ? html`<ul class="sources">
            ${unit.sources.map(
              (s) =>
                html`<li>
                  ${s.url ? html`<a href=${s.url} rel="noopener">${s.title}</a>` : s.title},
                  ${s.publisher},
                  ${
                    s.sourceDate
                      ? html`${t.sourceDate}
                          <time datetime=${s.sourceDate}>${formatDate(s.sourceDate, lang)}</time>`
                      : t.noSourceDate
                  }
                </li>`,
            )}
          </ul>`
        : html`<p class="muted">${t.none}</p>`
    }
  `;
}
