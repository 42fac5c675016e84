import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Context } from '../../graphql/context';
import { RelationTarget } from '../../graphql/unions';
import { Relation } from './relation.entity';
import { OrgUnit } from '../org-unit/org-unit.entity';
import { Post } from '../post/post.entity';
import { SourcesResolver } from '../source/sources.resolver';

/** The fields of `Relation` that need loading. */
@Resolver(() => Relation)
export class RelationResolver extends SourcesResolver(Relation, 'relation') {
  @FieldResolver(() => OrgUnit, { description: 'The unit the relation starts from.' })
  async from(@Root() relation: Relation, @Ctx() ctx: Context): Promise<OrgUnit> {
    return (await ctx.loaders.unit.load(relation.fromUnitId))!;
  }

  @FieldResolver(() => RelationTarget, { description: 'The unit or post the relation points to.' })
  async to(@Root() relation: Relation, @Ctx() ctx: Context): Promise<OrgUnit | Post> {
    const target = relation.toPostId
      ? await ctx.loaders.post.load(relation.toPostId)
      : await ctx.loaders.unit.load(relation.toUnitId!);
    return target!;
  }
}
