import { DataSource } from 'typeorm';
import { byUnique, byUuid, groupedBy, loaderGroup } from '../../graphql/loader-utils';
import { Post } from './post.entity';

/** Per-request loaders of posts. */
export function createPostLoaders(db: DataSource) {
  return {
    post: byUuid(db, Post),
    postBySlug: byUnique(db, Post, 'slug'),
    postsByUnit: groupedBy(
      db,
      Post,
      'unitId',
      {
        isHead: 'DESC',
        position: 'ASC',
        title: 'ASC',
        uuid: 'ASC',
      },
      { activeOnly: true },
    ),
    postsByReportsTo: groupedBy(db, Post, 'reportsToId', {
      position: 'ASC',
      title: 'ASC',
      uuid: 'ASC',
    }),
  };
}

/** The request's Post loaders, built on first use in the request. */
export const postLoaders = loaderGroup('post', createPostLoaders);
