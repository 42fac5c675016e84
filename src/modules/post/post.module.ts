import type { AppModule } from '../node/app-module';
import { Post } from './post.entity';
import { PostMutations } from './post.mutations';
import { POST_RECORD } from './post.record';
import { PostResolver } from './post.resolver';
import { PostService } from './post.service';

declare module '../../graphql/context' {
  interface Services {
    posts: PostService;
  }
}

/** Posts of units, who reports to whom, and their holders. */
export const POST_MODULE: AppModule = {
  name: 'post',
  entities: [Post],
  resolvers: [PostResolver, PostMutations],
  recordTypes: [POST_RECORD],
  services: ({ writer }) => ({ posts: new PostService(writer) }),
};
