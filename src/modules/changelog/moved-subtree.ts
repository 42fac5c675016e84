import { In, type EntityManager, type ObjectLiteral } from 'typeorm';
import { subtree, TREE_DEPTH_LIMIT } from '../org-unit/org-unit.tree';
import { Post } from '../post/post.entity';
import { Appointment } from '../person/appointment.entity';
import { Mission } from '../mission/mission.entity';
import { Responsibility } from '../mission/responsibility.entity';
import { Relation } from '../relation/relation.entity';
import { appendChange } from './append';
import { ChangeOperation } from '../node/change-operation';

/**
 * After a unit moved, logs every record below it as MOVED too (no changed fields, version
 * unchanged), scoped to both its former and its new ancestors: a subtree feed then carries each
 * record that entered or left the subtree with its unit, not only the unit itself. A full copy
 * already holds these versions and skips them.
 */
export async function logMovedSubtree(
  em: EntityManager,
  unitUuid: string,
  formerAncestors: string[],
  actor: string,
): Promise<void> {
  const units = (await subtree(em, unitUuid, TREE_DEPTH_LIMIT, true)).map((t) => t.unit);
  const unitIds = units.map((u) => u.uuid);
  const below = units.filter((u) => u.uuid !== unitUuid);
  const posts = await em.getRepository(Post).findBy({ unitId: In(unitIds) });
  const postIds = posts.map((p) => p.uuid);
  const owned = (target: typeof Mission | typeof Responsibility) =>
    em.getRepository(target).find({
      where: [
        { ownerUnitId: In(unitIds) },
        ...(postIds.length ? [{ ownerPostId: In(postIds) }] : []),
      ],
    });
  const records: Array<[string, ObjectLiteral]> = [
    ...below.map((u): [string, ObjectLiteral] => ['OrgUnit', u]),
    ...posts.map((p): [string, ObjectLiteral] => ['Post', p]),
    ...(postIds.length
      ? await em.getRepository(Appointment).findBy({ postId: In(postIds) })
      : []
    ).map((a): [string, ObjectLiteral] => ['Appointment', a]),
    ...(await owned(Mission)).map((m): [string, ObjectLiteral] => ['Mission', m]),
    ...(await owned(Responsibility)).map((r): [string, ObjectLiteral] => ['Responsibility', r]),
    ...(
      await em
        .getRepository(Relation)
        .find({ where: [{ fromUnitId: In(unitIds) }, { toUnitId: In(unitIds) }] })
    ).map((r): [string, ObjectLiteral] => ['Relation', r]),
  ];
  for (const [entityType, record] of records) {
    await appendChange(
      em,
      {
        entityType,
        entityId: record.uuid,
        operation: ChangeOperation.MOVED,
        version: record.version,
        changes: {},
        actor,
      },
      { before: null, after: record },
      formerAncestors,
    );
  }
}
