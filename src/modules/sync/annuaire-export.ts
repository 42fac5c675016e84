import { hydrate } from '../../db/hydrate';
import type { DataSource } from 'typeorm';
import { withReadSnapshot, ReadSnapshot } from './read-snapshot';
import { OrgUnit } from '../org-unit/org-unit.entity';
import { annuaireDateTime, AnnuaireService, TYPE_ORGANISME } from './annuaire-format';
import { identifiersByRecord } from './snapshot';

type Row = Record<string, unknown>;

function inList(ids: string[]): string {
  return ids.map(() => '?').join(', ');
}

async function byColumn(snap: ReadSnapshot, sql: string, ids: string[]): Promise<Row[]> {
  return ids.length ? snap.query(sql.replace('(?)', `(${inList(ids)})`), ids) : [];
}

/**
 * Streams the active units in the shape of the national Annuaire de l'administration export,
 * `{"service": [...]}`: hierarchy stored on the parent (`Service Fils` for children, and
 * `Autre hiérarchie` for units placed under its authority by a relation), current named
 * holders as `affectation_personne`, missions as text, `date_modification` as
 * `DD/MM/YYYY HH:MM:SS`.
 */
export async function writeAnnuaireExport(
  db: DataSource,
  write: (chunk: string) => Promise<void>,
): Promise<void> {
  const today = new Date().toISOString().slice(0, 10);
  await withReadSnapshot(db, async (snap) => {
    await write('{"service":[');
    let first = true;
    let last = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = await snap.query(
        `SELECT * FROM org_unit WHERE "archivedAt" IS NULL AND id > ? ORDER BY id LIMIT 500`,
        [last],
      );
      if (rows.length === 0) break;
      last = rows[rows.length - 1].id as string;
      const ids = rows.map((r) => r.id as string);
      const children = await byColumn(
        snap,
        `SELECT id, "parentId" FROM org_unit WHERE "archivedAt" IS NULL AND "parentId" IN (?) ORDER BY position, id`,
        ids,
      );
      const relations = await byColumn(
        snap,
        `SELECT "fromUnitId", "toUnitId" FROM relation WHERE type = 'UNDER_AUTHORITY_OF' AND "toUnitId" IN (?) ORDER BY slug`,
        ids,
      );
      const posts = await byColumn(
        snap,
        `SELECT id, "unitId", title FROM post WHERE "archivedAt" IS NULL AND "unitId" IN (?) ORDER BY "isHead" DESC, position, id`,
        ids,
      );
      const postIds = posts.map((p) => p.id as string);
      const appointments = await byColumn(
        snap,
        `SELECT a."postId", a."startDate", a."endDate", p."familyName", p."givenName", p.grade FROM appointment a JOIN person p ON p.id = a."personId" WHERE a."postId" IN (?)`,
        postIds,
      );
      const missions = await byColumn(
        snap,
        `SELECT "ownerUnitId", title, description FROM mission WHERE "ownerUnitId" IN (?) ORDER BY position, id`,
        ids,
      );
      // Note: the national format has no missions of posts; they join their unit's text, named.
      const postMissions = await byColumn(
        snap,
        `SELECT m."ownerPostId", m.title, m.description FROM mission m WHERE m."ownerPostId" IN (?) ORDER BY m.position, m.id`,
        postIds,
      );
      const duties = await byColumn(
        snap,
        `SELECT "ownerUnitId", title FROM responsibility WHERE "missionId" IS NULL AND "ownerUnitId" IN (?) ORDER BY position, id`,
        ids,
      );
      const identifiers = await identifiersByRecord(snap, ids);
      for (const unit of hydrate(db, OrgUnit, rows)) {
        const identifier = (scheme: string) =>
          identifiers.get(unit.uuid)?.find((i) => i.scheme === scheme)?.value ?? null;
        const holders = posts
          .filter((p) => p.unitId === unit.uuid)
          .flatMap((p) =>
            appointments
              .filter(
                (a) =>
                  a.postId === p.id &&
                  (!a.startDate || (a.startDate as string) <= today) &&
                  (!a.endDate || today <= (a.endDate as string)),
              )
              .map((a) => ({
                fonction: p.title as string,
                personne: {
                  nom: a.familyName as string,
                  prenom: (a.givenName as string) ?? null,
                  civilite: null,
                  grade: (a.grade as string) ?? null,
                },
              })),
          );
        const missionText = [
          ...missions
            .filter((m) => m.ownerUnitId === unit.uuid)
            .map((m) => [m.title, m.description].filter(Boolean).join(' : ')),
          ...posts
            .filter((p) => p.unitId === unit.uuid)
            .flatMap((p) =>
              postMissions
                .filter((m) => m.ownerPostId === p.id)
                .map((m) => [p.title, m.title, m.description].filter(Boolean).join(' : ')),
            ),
          ...duties.filter((d) => d.ownerUnitId === unit.uuid).map((d) => d.title as string),
        ].join('\n');
        const service: AnnuaireService = {
          id: unit.uuid,
          nom: unit.name,
          sigle: unit.acronym,
          type_organisme: TYPE_ORGANISME[unit.kind] ?? unit.kind,
          hierarchie: [
            ...children
              .filter((c) => c.parentId === unit.uuid)
              .map((c) => ({ type_hierarchie: 'Service Fils' as const, service: c.id as string })),
            ...relations
              .filter((r) => r.toUnitId === unit.uuid)
              .map((r) => ({
                type_hierarchie: 'Autre hiérarchie' as const,
                service: r.fromUnitId as string,
              })),
          ],
          affectation_personne: holders,
          mission: missionText || null,
          date_modification: annuaireDateTime(unit.updatedAt),
          itm_identifiant: identifier('itm'),
          siret: identifier('siret'),
          siren: identifier('siren'),
        };
        await write(`${first ? '' : ','}\n${JSON.stringify(service)}`);
        first = false;
      }
      if (rows.length < 500) break;
    }
    await write('\n]}');
  });
}
