import type { Services } from '../../graphql/context';
import type { WriteContext } from '../node/record-writer';
import { OrgUnit } from '../org-unit/org-unit.entity';
import { OrgUnitKind } from '../org-unit/org-unit-kind';
import { Mission } from '../mission/mission.entity';
import { Relation } from '../relation/relation.entity';
import { RelationType } from '../relation/relation-type';
import type { AnnuaireRecord } from './annuaire-record';
import type { HierarchyPlan } from './annuaire-plan';
import type { RecordLog } from './import-report';
import { importUuid, missionTitle } from './annuaire-values';
import { findByIdentifier } from '../source/external-identifiers';
import { slugOf, writeHolders } from './annuaire-holders';

/** The identifier scheme of the national directory's ids. */
export const ANNUAIRE_SCHEME = 'annuaire';

/**
 * Writes the records of one file through the services, in the import's transaction: each
 * service as a unit (parents first) with its identifiers, posts, people and mission, then the
 * `Autre hiérarchie` relations once every unit exists. Links to ids that are neither in the
 * file nor in the directory are reported on the record's log.
 */
export class AnnuaireWriter {
  /** National id → uuid of the units written by this import. */
  private readonly units = new Map<string, string>();
  /** National ids of the readable records of the file. */
  private readonly fileIds: Set<string>;

  constructor(
    private readonly services: Services,
    private readonly tx: WriteContext,
    private readonly plan: HierarchyPlan,
    /** National id → index of the records of the file left out (malformed or rejected). */
    private readonly leftOut: Map<string, number>,
  ) {
    this.fileIds = new Set(plan.order.map((r) => r.id));
  }

  /** Writes the unit of a record, with all it holds except relations. */
  async writeService(r: AnnuaireRecord, log: RecordLog): Promise<void> {
    const { em } = this.tx;
    const knownId = await findByIdentifier(em, ANNUAIRE_SCHEME, r.id, 'OrgUnit');
    const existing = knownId ? await em.getRepository(OrgUnit).findOneBy({ uuid: knownId }) : null;
    const { record: unit, outcome } = await this.services.units.upsert(this.tx, {
      uuid: existing?.uuid ?? importUuid('OrgUnit', r.id),
      slug: existing?.slug ?? `annuaire-${r.id}`,
      name: r.name,
      acronym: r.acronym,
      kind: r.kind ?? existing?.kind ?? OrgUnitKind.SERVICE,
      ...(await this.placement(r, existing, log)),
    });
    log.count('OrgUnit', outcome);
    const { outcomes } = await this.services.units.putIdentifiers(this.tx, unit, [
      { scheme: ANNUAIRE_SCHEME, value: r.id },
      ...r.identifiers,
    ]);
    for (const { scheme, value, outcome: put } of outcomes) {
      if (put === 'taken')
        log.warn(`${scheme} ${value} already identifies another unit: left there`);
      else log.count('ExternalIdentifier', put);
    }
    await this.adoptChildren(r, unit.uuid, log);
    await writeHolders(this.services, this.tx, r, unit.uuid, log);
    await this.writeMission(r, unit.uuid, log);
    this.units.set(r.id, unit.uuid);
  }

  /** Forgets a record whose writes were rolled back. */
  forget(id: string): void {
    this.units.delete(id);
  }

  /** Writes the `Autre hiérarchie` links of a record: each listed unit is under its authority. */
  async writeRelations(r: AnnuaireRecord, log: RecordLog): Promise<void> {
    const toUnitId = this.units.get(r.id);
    if (!toUnitId) return;
    const done = new Set<string>();
    for (const link of r.underAuthority) {
      if (link.id === r.id) log.warn(`hierarchie[${link.at}] lists the service itself: ignored`);
      if (link.id === r.id || done.has(link.id)) continue;
      done.add(link.id);
      const fromUnitId = await this.resolve(link.id);
      if (!fromUnitId) {
        this.missing(log, link, 'Autre hiérarchie');
        continue;
      }
      const uuid = importUuid('Relation', `${link.id}/${r.id}`);
      const { outcome } = await this.services.relations.upsert(this.tx, {
        uuid,
        slug: await slugOf(this.tx, Relation, uuid, `annuaire-${link.id}-under-${r.id}`),
        type: RelationType.UNDER_AUTHORITY_OF,
        fromUnitId,
        toUnitId,
        description: 'Autre hiérarchie',
      });
      log.count('Relation', outcome);
    }
  }

  /**
   * The parent and position the file gives a unit; a unit it does not place (or whose parent
   * was left out) stays where it was, or becomes a top unit if it is new.
   */
  private async placement(r: AnnuaireRecord, existing: OrgUnit | null, log: RecordLog) {
    const placed = this.plan.placement.get(r.id);
    const parentId = placed ? await this.resolve(placed.parentId) : null;
    if (placed && parentId) return { parentId, position: placed.position };
    if (placed) log.warn(`its parent ${placed.parentId} was left out: the unit stays where it was`);
    return { parentId: existing?.parentId ?? null, position: existing?.position ?? 0 };
  }

  /**
   * `Service Fils` links to units that are not in the file: one already in the directory moves
   * under this unit; an unknown one is reported.
   */
  private async adoptChildren(r: AnnuaireRecord, parentId: string, log: RecordLog) {
    for (const [position, link] of r.children.entries()) {
      if (link.id === r.id || this.fileIds.has(link.id)) continue;
      const uuid = await findByIdentifier(this.tx.em, ANNUAIRE_SCHEME, link.id, 'OrgUnit');
      const child = uuid ? await this.tx.em.getRepository(OrgUnit).findOneBy({ uuid }) : null;
      if (!child) {
        this.missing(log, link, 'Service Fils');
        continue;
      }
      if (child.parentId === parentId && child.position === position) continue;
      if (child.archivedAt) {
        log.warn(`hierarchie[${link.at}] names the archived unit "${child.slug}": left as it is`);
        continue;
      }
      await this.services.units.move(this.tx, child.uuid, { parentId, position }, child.version);
      log.count('OrgUnit', 'updated');
    }
  }

  private async writeMission(r: AnnuaireRecord, ownerUnitId: string, log: RecordLog) {
    if (!r.mission) return;
    let description = r.mission;
    if (description.length > 10_000) {
      log.warn('mission is longer than 10000 characters: cut');
      description = `${description.slice(0, 9_999)}…`;
    }
    const uuid = importUuid('Mission', r.id);
    const { outcome } = await this.services.missions.upsert(this.tx, {
      uuid,
      slug: await slugOf(this.tx, Mission, uuid, `annuaire-${r.id}-mission`),
      title: missionTitle(r.mission),
      description,
      ownerUnitId,
      position: 0,
    });
    log.count('Mission', outcome);
  }

  /** The uuid of the unit with this national id: written by this import, or in the directory. */
  private async resolve(id: string): Promise<string | null> {
    return (
      this.units.get(id) ?? (await findByIdentifier(this.tx.em, ANNUAIRE_SCHEME, id, 'OrgUnit'))
    );
  }

  private missing(log: RecordLog, link: { id: string; at: number }, type: string): void {
    const left = this.leftOut.get(link.id);
    const where =
      left === undefined
        ? 'neither in the file nor in the directory'
        : `left out of the import (service[${left}]) and not in the directory`;
    log.missing(link.id, `hierarchie[${link.at}] (${type}) names ${link.id}, ${where}`);
  }
}
