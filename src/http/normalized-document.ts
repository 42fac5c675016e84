import { DocumentNode, parse, print } from 'graphql';
import { LRUCache } from 'lru-cache';

/**
 * The normal form of GraphQL documents, for cache keys: `print(parse(text))`, the same for every
 * variant of a document in whitespace, commas and comments. Normal forms of texts are kept in a
 * small LRU cache by raw text, so that a repeated text is parsed once; those of documents that
 * Apollo has parsed are kept beside the document.
 */
export class DocumentNormalizer {
  private readonly byText: LRUCache<string, string | false>;
  private readonly byDocument = new WeakMap<DocumentNode, string>();

  constructor(
    private readonly maxTokens: number,
    maxBytes = 4 * 1024 * 1024,
  ) {
    this.byText = new LRUCache<string, string | false>({
      maxSize: maxBytes,
      sizeCalculation: (normal, text) => text.length + (normal ? normal.length : 0) + 64,
    });
  }

  /** The normal form of a document's text; null when it does not parse (Apollo will say why). */
  ofText(text: string): string | null {
    let normal = this.byText.get(text);
    if (normal === undefined) {
      try {
        normal = print(parse(text, { noLocation: true, maxTokens: this.maxTokens }));
      } catch {
        normal = false;
      }
      this.byText.set(text, normal);
    }
    return normal || null;
  }

  /** The normal form of a parsed document. */
  ofDocument(document: DocumentNode): string {
    let normal = this.byDocument.get(document);
    if (normal === undefined) this.byDocument.set(document, (normal = print(document)));
    return normal;
  }
}
