import {
  byUnique,
  byUuid,
  groupedBy,
  loaderGroup,
  type LoaderSource,
} from '../../graphql/loader-utils';
import type { Context } from '../../graphql/context';
import { below, type Selection } from '../../graphql/selection';
import { personLoaders } from '../person/person.loaders';
import { Post } from './post.entity';

const HEAD = '"isHead" = true';

/** Per-request loaders of posts. */
export function createPostLoaders(source: LoaderSource) {
  return {
    post: byUuid(source, Post),
    postBySlug: byUnique(source, Post, 'slug'),
    postsByUnit: groupedBy(
      source,
      Post,
      'unitId',
      {
        isHead: 'DESC',
        position: 'ASC',
        title: 'ASC',
        uuid: 'ASC',
      },
      'subtree',
      { activeOnly: true },
    ),
    /**
     * The head of each unit, alone (at most one: index UQ_post_active_head): what `head` reads,
     * without the other posts of the unit, which a chart does not show.
     */
    headsByUnit: groupedBy(
      source,
      Post,
      'unitId',
      { position: 'ASC', title: 'ASC', uuid: 'ASC' },
      'subtree',
      { activeOnly: true, where: HEAD },
    ),
    postsByReportsTo: groupedBy(
      source,
      Post,
      'reportsToId',
      { position: 'ASC', title: 'ASC', uuid: 'ASC' },
      'type',
    ),
  };
}

/** The request's Post loaders, built on first use in the request. */
export const postLoaders = loaderGroup('post', createPostLoaders);

/**
 * Loads the heads of `unitIds` ahead, when `head` (the selections of `OrgUnit.head` below a
 * list of units) asks for them, then their appointments covering today when it asks for a
 * holder or its status without a date, then today's holders when it asks for `holder` without a date: the very batches the
 * resolvers would send, in the same statements, so that the resolvers then find them settled
 * and answer at once (`SettlingLoader.now`). A chart of a hundred units so resolves without
 * the few hundred promises, and their microtasks, that each level of loads costs.
 */
export async function readAheadHeads(
  ctx: Context,
  unitIds: readonly string[],
  head: Selection,
): Promise<void> {
  if (head.length === 0 || unitIds.length === 0) return;
  const groups = await postLoaders(ctx).headsByUnit.loadMany(unitIds);
  const posts = groups.flatMap((g) => (g instanceof Error ? [] : g));
  const holder = below(head, 'holder');
  // Note: a holder or a status at another date than today is left to its resolver.
  const today = (field: Selection) => field.some((f) => f.args.at == null);
  if (posts.length === 0 || !(today(holder) || today(below(head, 'holderStatus')))) return;
  const appointments = await personLoaders(ctx).appointmentsByPostToday.loadMany(
    posts.map((p) => p.uuid),
  );
  if (!today(holder)) return;
  const people = new Set<string>();
  for (const list of appointments) {
    if (list instanceof Error) continue;
    const current = list.find((a) => a.covers(ctx.today));
    if (current?.personId) people.add(current.personId);
  }
  if (people.size > 0) await personLoaders(ctx).person.loadMany([...people]);
}
