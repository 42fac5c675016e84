/** What units of one domain do: mission titles, responsibility titles, references of plans. */
export interface Domain {
  missions: string[];
  responsibilities: string[];
  references?: string[];
}

const GENERIC: Domain = {
  missions: [
    "Pilotage et coordination de l'activité du service",
    'Accueil et information du public',
    'Instruction des dossiers et suivi des procédures',
  ],
  responsibilities: [
    'Tenue des tableaux de bord',
    'Réponse aux courriers des usagers',
    'Suivi des contentieux',
    'Préparation des arrêtés préfectoraux',
    'Animation du réseau des correspondants',
  ],
};

/** Missions and responsibilities of each domain of the prefecture shape. */
export const DOMAINS: Record<string, Domain> = {
  cabinet: {
    missions: [
      'Suivi des événements politiques et relations publiques',
      'Sécurité des personnes et des biens',
      'Préparation des visites officielles',
    ],
    responsibilities: [
      'Relations avec les élus et les parlementaires',
      'Organisation des cérémonies patriotiques',
      'Suivi de la vie politique locale',
      'Veille et remontée des informations sensibles',
    ],
  },
  securite: {
    missions: [
      'Défense et protection civile',
      'Ordre public et prévention de la délinquance',
      'Sécurité routière',
      'Réglementation en matière de sécurité',
    ],
    responsibilities: [
      'Animation du conseil départemental de prévention de la délinquance',
      'Plan départemental de prévention de la délinquance',
      'Plan départemental d’actions de sécurité routière',
      'Organisation de la réponse de sécurité civile',
      'Vidéoprotection',
    ],
    references: ['ORSEC', 'PDASR', 'PDPD', 'FIPD'],
  },
  'protection-civile': {
    missions: [
      'Planification de la réponse aux crises',
      'Gestion des crises et du centre opérationnel départemental',
      'Information préventive des populations',
    ],
    responsibilities: [
      'Dispositif ORSEC départemental',
      "Plans particuliers d'intervention",
      'Exercices de sécurité civile',
      'Astreinte de sécurité civile',
      'Dossier départemental des risques majeurs',
      'Agrément des associations de sécurité civile',
    ],
    references: ['ORSEC', 'PPI', 'DDRM', 'COD'],
  },
  risques: {
    missions: [
      'Prévention des risques naturels et technologiques',
      'Connaissance des aléas',
      "Préparation à l'inondation",
    ],
    responsibilities: [
      "Plans de prévention des risques d'inondation",
      'Surveillance des digues',
      'Information des acquéreurs et locataires',
      'Référent départemental inondation',
      'Cartographie des zones à risque',
    ],
    references: ['PPRI', 'PPRN', 'PPRT', 'PGRI'],
  },
  'ordre-public': {
    missions: [
      "Maintien de l'ordre public",
      'Prévention de la radicalisation',
      'Suivi des manifestations sur la voie publique',
    ],
    responsibilities: [
      'Déclarations de manifestation',
      'Grands rassemblements festifs',
      'Cellule départementale de suivi de la radicalisation',
      'Interdictions administratives de stade',
      'Mesures de police administrative',
    ],
    references: ['CPRAF', 'GED'],
  },
  'securite-routiere': {
    missions: [
      'Politique locale de sécurité routière',
      'Éducation routière et examens du permis de conduire',
      'Mesures administratives sur le permis de conduire',
    ],
    responsibilities: [
      'Observatoire départemental de sécurité routière',
      'Commissions médicales du permis de conduire',
      'Suspensions administratives du permis de conduire',
      'Agrément des écoles de conduite',
      'Document général d’orientations',
    ],
    references: ['PDASR', 'DGO'],
  },
  polices: {
    missions: [
      'Polices administratives spéciales',
      'Réglementation des activités professionnelles',
      'Autorisations relatives aux armes',
    ],
    responsibilities: [
      "Autorisations d'acquisition et de détention d'armes",
      'Débits de boissons',
      'Activités privées de sécurité',
      'Taxis et voitures de transport avec chauffeur',
      'Ventes au déballage',
      'Chiens dangereux',
    ],
    references: ['SIA'],
  },
  communication: {
    missions: [
      "Valorisation de l'action des services de l'État",
      'Communication de crise',
      'Relations avec la presse',
    ],
    responsibilities: [
      'Site internet des services de l’État',
      'Réseaux sociaux de la préfecture',
      'Revue de presse quotidienne',
      'Communiqués et conférences de presse',
    ],
  },
  representation: {
    missions: [
      "Représentation de l'État",
      'Organisation des déplacements officiels',
      'Relations avec les cultes',
    ],
    responsibilities: [
      'Prises de parole du préfet',
      'Distinctions honorifiques',
      'Protocole et préséances',
      'Cérémonies patriotiques',
      'Réponses aux interventions',
    ],
  },
  coordination: {
    missions: [
      "Coordination de l'action des services de l'État",
      'Pilotage des politiques publiques prioritaires',
      'Animation du collège des chefs de service',
    ],
    responsibilities: [
      'Préparation des comités de l’administration régionale',
      'Suivi des programmes interministériels',
      'Tableau de bord des politiques prioritaires',
      "Fonds d'intervention",
    ],
  },
  legalite: {
    missions: [
      'Contrôle de légalité des actes des collectivités',
      'Conseil juridique aux collectivités',
      'Réglementation générale',
    ],
    responsibilities: [
      'Contrôle des actes d’urbanisme',
      'Contrôle de la commande publique locale',
      'Déférés au tribunal administratif',
      'Fonction publique territoriale',
      'Télétransmission des actes',
    ],
  },
  elections: {
    missions: [
      'Organisation des élections politiques',
      'Tenue du répertoire électoral unique',
      'Élections professionnelles et consulaires',
    ],
    responsibilities: [
      'Réception des candidatures',
      'Commission de propagande',
      'Recensement des votes',
      'Commissions de contrôle des listes électorales',
      'Financement des campagnes électorales',
    ],
    references: ['REU'],
  },
  titres: {
    missions: [
      'Instruction des titres réglementaires',
      'Lutte contre la fraude documentaire',
      'Accompagnement numérique des usagers',
    ],
    responsibilities: [
      "Certificats d'immatriculation",
      'Permis de conduire',
      "Cartes nationales d'identité et passeports",
      'Médiation numérique',
    ],
    references: ['ANTS', 'SIV'],
  },
  collectivites: {
    missions: [
      'Conseil et appui aux collectivités',
      'Intercommunalité et coopération locale',
      'Aménagement du territoire',
    ],
    responsibilities: [
      'Schéma départemental de coopération intercommunale',
      'Commission départementale de coopération intercommunale',
      'Fusions de communes',
      'Syndicats mixtes',
      'Conventions de revitalisation',
    ],
    references: ['SDCI', 'CDCI'],
  },
  'finances-locales': {
    missions: [
      'Finances locales',
      'Contrôle budgétaire des collectivités',
      "Dotations et subventions de l'État",
    ],
    responsibilities: [
      "Dotation d'équipement des territoires ruraux",
      'Dotation de soutien à l’investissement local',
      'Contrôle des budgets primitifs',
      'Fonds de compensation de la TVA',
      'Chambre régionale des comptes : saisines',
    ],
    references: ['DETR', 'DSIL', 'FCTVA'],
  },
  etrangers: {
    missions: [
      'Séjour des étrangers',
      'Éloignement des étrangers en situation irrégulière',
      'Accès à la nationalité française',
    ],
    responsibilities: [
      'Titres de séjour',
      'Regroupement familial',
      'Obligations de quitter le territoire français',
      'Assignations à résidence',
      'Entretiens d’assimilation',
      'Accueil des demandeurs d’asile',
    ],
    references: ['OQTF', 'ANEF'],
  },
  environnement: {
    missions: [
      'Procédures environnementales',
      "Déclarations d'utilité publique",
      'Protection de la biodiversité',
    ],
    responsibilities: [
      'Enquêtes publiques',
      'Autorisations environnementales',
      'Expropriations',
      'Sites Natura 2000',
      'Commission départementale de la nature, des paysages et des sites',
    ],
    references: ['DUP', 'CDNPS'],
  },
  icpe: {
    missions: [
      'Installations classées pour la protection de l’environnement',
      'Carrières et déchets',
    ],
    responsibilities: [
      'Arrêtés d’autorisation ICPE',
      'Sanctions administratives',
      'Conseil départemental de l’environnement et des risques sanitaires et technologiques',
      'Plans de prévention des risques technologiques',
    ],
    references: ['ICPE', 'CODERST', 'PPRT'],
  },
  appui: {
    missions: [
      'Appui territorial et ingénierie de projet',
      'Accompagnement des projets des collectivités',
    ],
    responsibilities: [
      'Contrats de relance et de transition écologique',
      'Programme Petites villes de demain',
      'Maisons France services',
      'Revitalisation des centres-bourgs',
    ],
    references: ['CRTE', 'PVD'],
  },
  moyens: {
    missions: [
      'Gestion mutualisée des moyens',
      'Pilotage des ressources des services départementaux',
    ],
    responsibilities: [
      'Dialogue social',
      'Schéma directeur immobilier',
      'Plan de continuité d’activité',
      'Conseiller de prévention',
    ],
  },
  rh: {
    missions: ['Gestion des ressources humaines', 'Formation des agents', 'Action sociale'],
    responsibilities: [
      'Paie et positions administratives',
      'Recrutements',
      'Plan de formation',
      'Prévention des risques professionnels',
      'Restauration collective des agents',
    ],
  },
  budget: {
    missions: ['Exécution budgétaire', 'Commande publique', 'Contrôle interne comptable'],
    responsibilities: [
      'Engagements juridiques',
      'Marchés publics',
      'Service facturier',
      'Dialogue de gestion',
    ],
    references: ['Chorus'],
  },
  logistique: {
    missions: ['Logistique et immobilier', 'Gestion du parc automobile'],
    responsibilities: [
      'Maintenance des bâtiments',
      'Courrier et reprographie',
      'Sécurité des sites',
      'Accueil physique',
    ],
  },
  numerique: {
    missions: [
      "Systèmes d'information et de communication",
      'Sécurité des systèmes d’information',
      'Assistance aux utilisateurs',
    ],
    responsibilities: [
      'Réseaux et téléphonie',
      'Postes de travail',
      'Transmissions de crise',
      'Habilitations',
    ],
    references: ['INPT', 'RIE'],
  },
  territoires: {
    missions: [
      'Aménagement durable des territoires',
      'Politiques agricoles, de l’eau et de l’habitat',
      'Prévention des risques',
    ],
    responsibilities: [
      'Porter à connaissance',
      'Plan local d’urbanisme : association',
      'Commission départementale de préservation des espaces naturels',
      'Gestion de crise routière',
    ],
    references: ['PLU', 'SCoT', 'CDPENAF'],
  },
  agriculture: {
    missions: ['Aides de la politique agricole commune', 'Structures agricoles'],
    responsibilities: [
      'Aides découplées',
      'Contrôle des structures',
      'Installation des jeunes agriculteurs',
      'Calamités agricoles',
    ],
    references: ['PAC', 'DJA'],
  },
  eau: {
    missions: ["Police de l'eau", 'Forêt et chasse', 'Gestion de la ressource en eau'],
    responsibilities: [
      'Déclarations loi sur l’eau',
      'Arrêtés sécheresse',
      'Plans de chasse',
      'Défrichements',
      'Continuité écologique des cours d’eau',
    ],
    references: ['SAGE', 'SDAGE'],
  },
  urbanisme: {
    missions: ['Planification urbaine', 'Application du droit des sols'],
    responsibilities: [
      'Instruction des permis de construire',
      'Fiscalité de l’urbanisme',
      'Accessibilité des établissements recevant du public',
      'Schémas de cohérence territoriale',
    ],
    references: ['ADS', 'SCoT', 'PLUi'],
  },
  logement: {
    missions: ['Hébergement et logement', 'Habitat et rénovation'],
    responsibilities: [
      'Droit au logement opposable',
      'Plan départemental d’action pour le logement des personnes défavorisées',
      'Lutte contre l’habitat indigne',
      'Service intégré d’accueil et d’orientation',
      'Aides à la pierre',
    ],
    references: ['DALO', 'PDALHPD', 'SIAO'],
  },
  mer: {
    missions: ['Gestion du domaine public maritime', 'Cultures marines et pêche'],
    responsibilities: [
      'Concessions de plage',
      'Schéma des structures des exploitations de cultures marines',
      'Sécurité des loisirs nautiques',
    ],
    references: ['DPM'],
  },
  travail: {
    missions: ['Inspection du travail', 'Renseignement en droit du travail'],
    responsibilities: [
      'Contrôle des chantiers',
      'Lutte contre le travail illégal',
      'Accidents du travail',
      'Ruptures conventionnelles',
      'Dialogue social en entreprise',
    ],
  },
  emploi: {
    missions: [
      "Politiques de l'emploi",
      "Insertion par l'activité économique",
      'Mutations économiques',
    ],
    responsibilities: [
      'Structures d’insertion par l’activité économique',
      'Activité partielle',
      'Plans de sauvegarde de l’emploi',
      'Contrats aidés',
      'Service public de l’insertion et de l’emploi',
    ],
    references: ['IAE', 'PSE', 'SPIE'],
  },
  solidarites: {
    missions: ['Protection des personnes vulnérables', 'Politique de la ville'],
    responsibilities: [
      'Mandataires judiciaires à la protection des majeurs',
      'Contrats de ville',
      'Quartiers prioritaires',
      'Égalité entre les femmes et les hommes',
    ],
    references: ['QPV'],
  },
  'protection-populations': {
    missions: [
      'Sécurité sanitaire de l’alimentation',
      'Santé et protection animales',
      'Protection économique du consommateur',
    ],
    responsibilities: [
      'Alertes sanitaires',
      'Plan d’intervention sanitaire d’urgence',
      'Toxi-infections alimentaires collectives',
    ],
    references: ['TIAC'],
  },
  alimentation: {
    missions: ['Contrôle de la sécurité sanitaire des aliments', 'Inspection en abattoir'],
    responsibilities: [
      'Restauration collective',
      'Agréments sanitaires',
      'Contrôles à la remise directe',
      'Inspection ante et post mortem',
    ],
  },
  animaux: {
    missions: ['Santé animale', 'Protection animale'],
    responsibilities: [
      'Épizooties',
      'Établissements détenant des animaux',
      'Maltraitance animale',
      'Identification des carnivores domestiques',
    ],
    references: ['PISU'],
  },
  consommation: {
    missions: ['Protection économique du consommateur', 'Loyauté des transactions'],
    responsibilities: [
      'Enquêtes de concurrence',
      'Sécurité des produits',
      'Pratiques commerciales trompeuses',
      'Médiation de la consommation',
    ],
  },
};

/** The missions of a domain, or generic ones for a domain without its own. */
export function domainOf(name: string): Domain {
  return DOMAINS[name] ?? GENERIC;
}

/** Family names of the synthetic people: common French names, not anyone's record. */
export const FAMILY_NAMES =
  'Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel Lefebvre Leroy Roux David Bertrand Morel Fournier Girard Bonnet Dupont Lambert Fontaine Rousseau Vincent Muller Lefèvre Faure André Mercier Blanc Guérin Boyer Garnier Chevalier François Legrand Gauthier Garcia Perrin Robin Clément Morin Nicolas Henry Roussel Mathieu Gautier Masson Marchand Duval Denis Dumont Marie Lemaire Noël Meyer Dufour Meunier Brun Blanchard Giraud Joly Rivière Lucas Brunet Gaillard Barbier Arnaud Martinez Gérard Roche Renard Schmitt Roy Leroux Colin Vidal Caron Picard Roger Fabre Aubert Lemoine Renaud Dumas Lacroix Olivier Philippe Bourgeois Pierre Benoît Rey Leclerc Payet Rolland Leclercq Guillaume Lecomte'.split(
    ' ',
  );

/** Given names of the synthetic people. */
export const GIVEN_NAMES =
  'Marie Jean Nathalie Philippe Isabelle Michel Sylvie Alain Catherine Patrick Françoise Nicolas Christine Christophe Valérie Stéphane Sandrine Laurent Céline Frédéric Stéphanie Olivier Véronique Éric Sophie David Aurélie Julien Émilie Sébastien Julie Thomas Camille Pierre Claire Antoine Anne Guillaume Hélène Vincent Laure Mathieu Caroline Jérôme Élodie Benoît Agnès François Lucie Arnaud Pauline Damien Florence Xavier Mélanie Hugo Léa Yann Chloé Karim Inès'.split(
    ' ',
  );

/** Grades of agents; every one is marked « (fictif) » when given to a person. */
export const GRADES = [
  "attaché d'administration de l'État",
  'attaché principal',
  'secrétaire administratif',
  'adjoint administratif',
  'ingénieur des travaux publics de l’État',
  'technicien supérieur du développement durable',
  'inspecteur du travail',
  'contrôleur du travail',
  'inspecteur de santé publique vétérinaire',
  'inspecteur de la concurrence',
  "conseiller d'administration de l'intérieur",
  "administrateur de l'État",
];

/** Titles of the posts of a unit beside its head and deputy. */
export const STAFF_TITLES = [
  'Chargé de mission',
  'Gestionnaire administratif',
  'Instructeur',
  'Assistant de direction',
  'Référent',
  "Chargé d'études",
  'Juriste',
  'Contrôleur',
];

/** Parts of the names of the synthetic towns that seat sub-prefectures. */
export const TOWN_SAINTS =
  'Saint-Julien Saint-Martin Saint-Amand Sainte-Marie Saint-Pierre Saint-Laurent Saint-Germain Sainte-Croix Saint-Hilaire Saint-Aubin Saint-Florent Saint-Sever'.split(
    ' ',
  );
export const TOWN_RIVERS =
  'sur-Meuse sur-Loire sur-Garonne en-Vallée les-Bois sur-Mer le-Château sur-Aisne la-Forêt sur-Dordogne les-Vignes en-Plaine sur-Cher le-Haut'.split(
    ' ',
  );
