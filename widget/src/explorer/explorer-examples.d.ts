/** The example operations of `schema/operations`, bundled by `widget/build-explorer.mjs`. */
declare module 'explorer:examples' {
  const examples: ReadonlyArray<{ name: string | null; query: string; variables?: string }>;
  export default examples;
}
