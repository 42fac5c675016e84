import { GLOBAL_TAG, typeTag } from '../graphql/answer-tags';

/** Longest `Surrogate-Key` header sent, in bytes: under Fastly's 16 kB, and most proxies' 8 kB. */
export const SURROGATE_KEY_MAX = 8000;

/**
 * The `Surrogate-Key` header of a public answer (Fastly; Varnish's xkey reads it too): its tags,
 * space-separated, so that a CDN in front can purge, for each committed change, the keys of
 * `tagsOfChange`. Too many to send, record tags (`<Type>:<uuid>`) give way to their type's
 * (`type:<Type>`), then everything to `all`: coarser keys are purged by more writes, never fewer.
 */
export function surrogateKey(tags: Iterable<string>): string {
  const sorted = [...new Set(tags)].sort();
  const whole = sorted.join(' ');
  if (whole.length <= SURROGATE_KEY_MAX) return whole;
  const coarser = new Set<string>();
  for (const tag of sorted) {
    const record = /^([A-Z]\w*):/.exec(tag);
    coarser.add(record ? typeTag(record[1]) : tag);
  }
  const shorter = [...coarser].sort().join(' ');
  return shorter.length <= SURROGATE_KEY_MAX ? shorter : GLOBAL_TAG;
}
