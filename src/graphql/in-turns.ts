import { setImmediate as nextTurn } from 'node:timers/promises';

/** Items that one turn of the event loop completes, at most. */
export const ITEMS_PER_TURN = 100;

/**
 * The items of a long list as promises, resolved `perTurn` at a time, one event-loop turn
 * apart. graphql-js completes each item of a list when its promise resolves, so the execution of
 * a page of 500 changes (its fields, its nested nodes) is spread over turns in which other
 * requests' I/O is served, instead of blocking the loop for the whole page. A short list is
 * returned as it is.
 * Note: the list's type stays `T[]`, which is what the schema's types declare; graphql-js accepts
 * a promise wherever a list item is expected.
 */
export function inTurns<T>(items: readonly T[], perTurn = ITEMS_PER_TURN): T[] {
  if (items.length <= perTurn) return [...items];
  const out: Array<Promise<T>> = [];
  let turn: Promise<unknown> = Promise.resolve();
  items.forEach((item, i) => {
    if (i > 0 && i % perTurn === 0) turn = turn.then(() => nextTurn());
    out.push(turn.then(() => item));
  });
  return out as unknown as T[];
}
