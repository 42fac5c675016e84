import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Tagged } from '../../graphql/answer-tags';
import { Context } from '../../graphql/context';
import { RelationTarget } from './relation.types';
import { Relation } from './relation.entity';
import { OrgUnit } from '../org-unit/org-unit.entity';
import { Post } from '../post/post.entity';
import { SourcesResolver } from '../source/sources.resolver';
import { postLoaders } from '../post/post.loaders';
import { unitLoaders } from '../org-unit/org-unit.loaders';

/** The fields of `Relation` that need loading. */
@Resolver(() => Relation)
export class RelationResolver extends SourcesResolver(Relation, 'relation') {
  @Tagged()
  @FieldResolver(() => OrgUnit, { description: 'The unit the relation starts from.' })
  async from(@Root() relation: Relation, @Ctx() ctx: Context): Promise<OrgUnit> {
    return (await unitLoaders(ctx).unit.load(relation.fromUnitId))!;
  }

  @Tagged()
  @FieldResolver(() => RelationTarget, { description: 'The unit or post the relation points to.' })
  async to(@Root() relation: Relation, @Ctx() ctx: Context): Promise<OrgUnit | Post> {
    const target = relation.toPostId
      ? await postLoaders(ctx).post.load(relation.toPostId)
      : await unitLoaders(ctx).unit.load(relation.toUnitId!);
    return target!;
  }
}
