import fs from 'node:fs';
import path from 'node:path';
import { printAppSchema } from '../graphql/schema';
import { buildAppSchema } from '../app/schema';

/** `npm run schema`: writes the sorted SDL to schema/schema.graphql (or the path given). */
async function main(): Promise<void> {
  const target = path.resolve(process.argv[2] ?? 'schema/schema.graphql');
  fs.writeFileSync(target, printAppSchema(await buildAppSchema()));
  console.log(`Wrote ${path.relative(process.cwd(), target)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
