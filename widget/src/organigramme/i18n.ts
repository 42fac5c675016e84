/** The languages the widget speaks; `fr` is the default. */
export type Lang = 'fr' | 'en';

const fr = {
  chartLabel: 'Organigramme',
  loading: 'Chargement de l’organigramme…',
  loadingMore: 'Chargement…',
  retry: 'Réessayer',
  close: 'Fermer',
  zoomIn: 'Zoom avant',
  zoomOut: 'Zoom arrière',
  fit: 'Ajuster à l’écran',
  exportSvg: 'Exporter en SVG',
  exportPng: 'Exporter en PNG',
  searchLabel: 'Rechercher une unité',
  searchPlaceholder: 'Nom, sigle…',
  results: (n: number) => (n === 0 ? 'Aucune unité trouvée' : n === 1 ? '1 unité' : `${n} unités`),
  vacant: 'Poste vacant',
  heldByUnknown: 'Titulaire non nommé',
  noHead: 'Direction non renseignée',
  head: 'Direction',
  missions: 'Missions',
  responsibilities: 'Responsabilités',
  carriedOutBy: 'Exercée par',
  relations: 'Relations',
  sources: 'Sources',
  sourceDate: 'à jour au',
  noSourceDate: 'date non indiquée',
  none: 'Rien n’est renseigné.',
  parent: 'Unité parente',
  cardOf: (name: string) => `Fiche : ${name}`,
  networkError: 'Impossible de joindre le serveur de l’annuaire.',
  lostConnection: 'La connexion au serveur de l’annuaire a été perdue.',
  rateLimited: (s: number) =>
    s > 0
      ? `Trop de requêtes : nouvel essai possible dans ${s} s.`
      : 'Trop de requêtes : vous pouvez réessayer.',
  unknownRoot: (root: string) => `Aucune unité ne correspond à « ${root} ».`,
  graphqlError: (message: string) => `Le serveur a refusé la requête : ${message}`,
  httpError: (status: number) => `Le serveur a répondu par une erreur (HTTP ${status}).`,
  empty: 'L’annuaire ne contient aucune unité.',
  relationTypes: {
    UNDER_AUTHORITY_OF: ['placée sous l’autorité de', 'a sous son autorité'],
    SUPPORTS: ['apporte son concours à', 'reçoit le concours de'],
    COORDINATES_WITH: ['en lien étroit avec', 'en lien étroit avec'],
  } as Record<string, [string, string]>,
  kinds: {
    PREFECTURE: 'Préfecture',
    SUBPREFECTURE: 'Sous-préfecture',
    CABINET: 'Cabinet',
    DIRECTORATE: 'Direction',
    SERVICE: 'Service',
    BUREAU: 'Bureau',
    OFFICE: 'Office',
    COMMISSION: 'Commission',
  } as Record<string, string>,
};

/** The widget's texts in one language. */
export type Texts = typeof fr;

const en: Texts = {
  chartLabel: 'Org chart',
  loading: 'Loading the org chart…',
  loadingMore: 'Loading…',
  retry: 'Retry',
  close: 'Close',
  zoomIn: 'Zoom in',
  zoomOut: 'Zoom out',
  fit: 'Fit to screen',
  exportSvg: 'Export as SVG',
  exportPng: 'Export as PNG',
  searchLabel: 'Search for a unit',
  searchPlaceholder: 'Name, acronym…',
  results: (n) => (n === 0 ? 'No unit found' : n === 1 ? '1 unit' : `${n} units`),
  vacant: 'Vacant post',
  heldByUnknown: 'Holder not named',
  noHead: 'No head recorded',
  head: 'Head',
  missions: 'Missions',
  responsibilities: 'Responsibilities',
  carriedOutBy: 'Carried out by',
  relations: 'Relations',
  sources: 'Sources',
  sourceDate: 'as of',
  noSourceDate: 'date not given',
  none: 'Nothing recorded.',
  parent: 'Parent unit',
  cardOf: (name) => `Card: ${name}`,
  networkError: 'The directory server cannot be reached.',
  lostConnection: 'The connection to the directory server was lost.',
  rateLimited: (s) =>
    s > 0 ? `Too many requests: you may retry in ${s} s.` : 'Too many requests: you may retry now.',
  unknownRoot: (root) => `No unit matches “${root}”.`,
  graphqlError: (message) => `The server refused the request: ${message}`,
  httpError: (status) => `The server answered with an error (HTTP ${status}).`,
  empty: 'The directory holds no unit.',
  relationTypes: {
    UNDER_AUTHORITY_OF: ['under the authority of', 'has under its authority'],
    SUPPORTS: ['supports', 'is supported by'],
    COORDINATES_WITH: ['works closely with', 'works closely with'],
  },
  kinds: {
    PREFECTURE: 'Prefecture',
    SUBPREFECTURE: 'Sub-prefecture',
    CABINET: 'Cabinet',
    DIRECTORATE: 'Directorate',
    SERVICE: 'Service',
    BUREAU: 'Bureau',
    OFFICE: 'Office',
    COMMISSION: 'Commission',
  },
};

/** The texts for a `lang` attribute value; anything but `en` gets French. */
export function texts(lang: string | null | undefined): Texts {
  return lang === 'en' ? en : fr;
}

/** Lower case without diacritics, for type-ahead and comparisons. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}
