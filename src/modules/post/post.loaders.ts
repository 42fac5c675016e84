import {
  byUnique,
  byUuid,
  groupedBy,
  loaderGroup,
  type LoaderSource,
} from '../../graphql/loader-utils';
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
