import type { Services } from '../../graphql/context';
import type { WriteContext } from '../node/record-writer';
import { Post } from '../post/post.entity';
import { Person } from '../person/person.entity';
import { Appointment } from '../person/appointment.entity';
import type { AnnuaireRecord } from './annuaire-record';
import type { RecordLog } from './import-report';
import { boundedSlug, digest, importUuid } from './annuaire-values';
import { slugify } from '../node/slug';

/** The slug a record already has (an editor may have changed it), else `fallback`. */
export async function slugOf(
  tx: WriteContext,
  target: { new (): { slug: string } },
  uuid: string,
  fallback: string,
): Promise<string> {
  const existing = await tx.em.getRepository(target).findOneBy({ uuid } as never);
  return (existing as { slug: string } | null)?.slug ?? fallback;
}

/** The day `days` days after (or before) a YYYY-MM-DD day. */
function shiftDay(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Writes a record's `affectation_personne`: one post per fonction in the unit (one per person
 * when several people share a fonction), and for each named person a person and an open
 * appointment. Keys are the service id, the fonction and the person's name, so a rerun finds
 * every record again.
 */
export async function writeHolders(
  services: Services,
  tx: WriteContext,
  r: AnnuaireRecord,
  unitId: string,
  log: RecordLog,
): Promise<void> {
  const fonctions = new Map<string, number>();
  for (const h of r.holders) {
    const key = slugify(h.fonction) || 'poste';
    fonctions.set(key, (fonctions.get(key) ?? 0) + 1);
  }
  const seen = new Set<string>();
  for (const [position, h] of r.holders.entries()) {
    const fonction = slugify(h.fonction) || 'poste';
    const name = h.person
      ? slugify([h.person.givenName, h.person.familyName].filter(Boolean).join(' ')) || 'personne'
      : 'vacant';
    const shared = fonctions.get(fonction)! > 1;
    const postKey = shared ? `${r.id}/${fonction}/${name}` : `${r.id}/${fonction}`;
    if (seen.has(postKey)) {
      log.warn(`affectation_personne[${position}] repeats a fonction and person: ignored`);
      continue;
    }
    seen.add(postKey);
    const postSlug = boundedSlug(
      ['annuaire', r.id, fonction, ...(shared ? [name, digest(postKey, 6)] : [])],
      postKey,
    );
    const postId = importUuid('Post', postKey);
    const post = await services.posts.upsert(tx, {
      uuid: postId,
      slug: await slugOf(tx, Post, postId, postSlug),
      title: h.fonction,
      unitId,
      position,
    });
    log.count('Post', post.outcome);
    if (!h.person) continue;
    const holderKey = shared ? postKey : `${postKey}/${name}`;
    const personId = importUuid('Person', holderKey);
    const person = await services.people.upsert(tx, {
      uuid: personId,
      slug: await slugOf(tx, Person, personId, boundedSlug([name, digest(holderKey)], holderKey)),
      ...h.person,
    });
    log.count('Person', person.outcome);
    await appoint(services, tx, { postId, personId, key: holderKey, day: r.modified?.day }, log);
  }
}

/**
 * Keeps the person's open appointment to the post, or opens one. The first holder on record
 * starts on an unknown date; a new holder after others starts on the record's modification
 * day (else today), and the previous open holders end the day before.
 */
async function appoint(
  services: Services,
  tx: WriteContext,
  a: { postId: string; personId: string; key: string; day: string | undefined },
  log: RecordLog,
): Promise<void> {
  const repo = tx.em.getRepository(Appointment);
  const others = await repo.findBy({ postId: a.postId });
  const mine = others.find((o) => o.personId === a.personId && o.endDate === null);
  if (mine) {
    const { uuid, postId, personId, startDate, note } = mine;
    const kept = await services.people.appoint(tx, { uuid, postId, personId, startDate, note });
    log.count('Appointment', kept.outcome);
    return;
  }
  let startDate: string | null = null;
  if (others.length > 0) {
    startDate = a.day ?? new Date().toISOString().slice(0, 10);
    const lastEnd = others
      .map((o) => o.endDate ?? '')
      .sort()
      .pop();
    if (lastEnd && lastEnd >= startDate) startDate = shiftDay(lastEnd, 1);
    for (const o of others.filter((o) => o.endDate === null)) {
      const end = shiftDay(startDate, -1);
      const endDate = o.startDate && end < o.startDate ? o.startDate : end;
      await services.people.endAppointment(tx, o.uuid, endDate, o.version);
      log.count('Appointment', 'updated');
    }
  }
  let uuid = importUuid('Appointment', a.key);
  if (others.some((o) => o.uuid === uuid))
    uuid = importUuid('Appointment', `${a.key}@${startDate}`);
  const { outcome } = await services.people.appoint(tx, {
    uuid,
    postId: a.postId,
    personId: a.personId,
    startDate,
    endDate: null,
  });
  log.count('Appointment', outcome);
}
