import { OrgUnitKind } from '../org-unit/org-unit-kind';

/**
 * One unit of the shape every synthetic prefecture follows: present with probability `p`
 * (default 1), `repeat` times when it is a numbered series, with the missions of its `domain`.
 */
export interface UnitShape {
  name: string;
  acronym?: string;
  kind: OrgUnitKind;
  domain: string;
  description?: string;
  p?: number;
  repeat?: [number, number];
  children?: UnitShape[];
}

const { CABINET, DIRECTORATE, SERVICE, BUREAU } = OrgUnitKind;

const b = (name: string, domain: string, p?: number): UnitShape => ({
  name,
  kind: BUREAU,
  domain,
  p,
});

/** Départements whose territories directorate is a DDTM, « et de la mer ». */
export const COASTAL = new Set(
  '06 11 13 14 17 2A 2B 22 29 30 33 34 35 40 44 50 56 59 62 64 66 76 80 83 85 971 972 973 974 976'.split(
    ' ',
  ),
);

/**
 * The shape of a prefecture below its top unit, after the real ones: the prefect's cabinet, the
 * general secretariat and its directorates, the interministerial departmental directorates.
 * Sub-prefectures are added per arrondissement.
 */
export function prefectureShape(coastal: boolean): UnitShape[] {
  return [
    {
      name: 'Cabinet du préfet',
      kind: CABINET,
      domain: 'cabinet',
      description:
        "Le cabinet du préfet est placé sous l'autorité du sous-préfet, directeur de cabinet. Il assure la sécurité, l'ordre public, la communication et la représentation de l'État.",
      children: [
        {
          name: 'Direction des sécurités',
          kind: DIRECTORATE,
          domain: 'securite',
          description:
            "La direction des sécurités prépare et conduit l'action de l'État en matière de défense, de protection civile, d'ordre public et de sécurité routière.",
          children: [
            {
              name: 'Service interministériel de défense et de protection civiles',
              acronym: 'SIDPC',
              kind: SERVICE,
              domain: 'protection-civile',
              children: [
                b('Bureau de la planification et de la gestion de crise', 'protection-civile'),
                b('Bureau de la prévention des risques', 'risques', 0.7),
              ],
            },
            b("Bureau de l'ordre public", 'ordre-public'),
            b('Bureau de la sécurité routière', 'securite-routiere'),
            b('Bureau des polices administratives', 'polices'),
            b('Cellule de prévention de la radicalisation', 'ordre-public', 0.8),
            b('Bureau de la sécurité intérieure', 'ordre-public', 0.5),
            b('Bureau de la défense et de la sécurité économique', 'protection-civile', 0.6),
          ],
        },
        {
          name: 'Services du cabinet',
          kind: SERVICE,
          domain: 'representation',
          children: [
            b('Bureau de la communication interministérielle', 'communication'),
            b("Bureau de la représentation de l'État", 'representation'),
            b('Bureau des distinctions honorifiques', 'representation', 0.6),
            b('Bureau du cabinet', 'cabinet', 0.8),
          ],
        },
      ],
    },
    {
      name: 'Secrétariat général',
      kind: SERVICE,
      domain: 'coordination',
      description:
        "Le secrétariat général coordonne l'action des services de l'État dans le département et anime les directions de la préfecture.",
      children: [
        { name: "Mission d'appui au pilotage", kind: SERVICE, domain: 'coordination', p: 0.7 },
        {
          name: 'Direction de la citoyenneté et de la légalité',
          acronym: 'DCL',
          kind: DIRECTORATE,
          domain: 'legalite',
          children: [
            b('Bureau des élections et de la réglementation', 'elections'),
            b('Bureau du contrôle de légalité', 'legalite'),
            b('Bureau de la réglementation générale', 'polices'),
            b("Centre d'expertise et de ressources titres", 'titres', 0.4),
            b('Bureau des associations et des fondations', 'polices', 0.6),
            b('Bureau des professions réglementées', 'polices', 0.5),
          ],
        },
        {
          name: 'Direction des relations avec les collectivités territoriales',
          acronym: 'DRCT',
          kind: DIRECTORATE,
          domain: 'collectivites',
          children: [
            b('Bureau des finances locales', 'finances-locales'),
            b('Bureau du contrôle budgétaire', 'finances-locales'),
            b("Bureau de l'intercommunalité et de l'aménagement", 'collectivites'),
            b("Bureau des dotations de l'État", 'finances-locales', 0.6),
            b('Bureau de la fonction publique territoriale', 'legalite', 0.5),
          ],
        },
        {
          name: "Direction des migrations et de l'intégration",
          acronym: 'DMI',
          kind: DIRECTORATE,
          domain: 'etrangers',
          children: [
            b('Bureau du séjour', 'etrangers'),
            b("Bureau de l'éloignement", 'etrangers'),
            b("Bureau de l'asile", 'etrangers', 0.6),
            b('Bureau de la naturalisation', 'etrangers', 0.7),
            b("Bureau de l'accueil et de l'intégration", 'etrangers', 0.5),
          ],
        },
        {
          name: "Direction de la coordination des politiques publiques et de l'appui territorial",
          acronym: 'DCPPAT',
          kind: DIRECTORATE,
          domain: 'coordination',
          children: [
            b("Bureau de l'environnement et de l'utilité publique", 'environnement'),
            b('Bureau de la coordination interministérielle', 'coordination'),
            b("Pôle d'appui territorial", 'appui'),
            b('Bureau des installations classées', 'icpe', 0.7),
          ],
        },
        {
          name: 'Secrétariat général commun départemental',
          acronym: 'SGCD',
          kind: DIRECTORATE,
          domain: 'moyens',
          children: [
            {
              name: 'Service des ressources humaines',
              kind: SERVICE,
              domain: 'rh',
              children: [
                b('Bureau de la gestion des personnels', 'rh'),
                b('Bureau de la formation', 'rh', 0.7),
                b("Bureau de l'action sociale", 'rh', 0.5),
              ],
            },
            {
              name: 'Service du budget et des achats',
              kind: SERVICE,
              domain: 'budget',
              children: [
                b("Bureau de l'exécution budgétaire", 'budget'),
                b('Bureau de la commande publique', 'budget', 0.7),
              ],
            },
            {
              name: "Service de la logistique et de l'immobilier",
              kind: SERVICE,
              domain: 'logistique',
              children: [
                b("Bureau de l'immobilier", 'logistique', 0.7),
                b('Bureau du courrier', 'logistique', 0.5),
                b('Bureau du parc automobile', 'logistique', 0.5),
              ],
            },
            {
              name: "Service départemental des systèmes d'information et de communication",
              acronym: 'SIDSIC',
              kind: SERVICE,
              domain: 'numerique',
              children: [
                b('Bureau des infrastructures', 'numerique', 0.6),
                b("Bureau de l'assistance aux utilisateurs", 'numerique', 0.6),
              ],
            },
          ],
        },
      ],
    },
    {
      name: coastal
        ? 'Direction départementale des territoires et de la mer'
        : 'Direction départementale des territoires',
      acronym: coastal ? 'DDTM' : 'DDT',
      kind: DIRECTORATE,
      domain: 'territoires',
      children: [
        {
          name: 'Secrétariat général de la direction départementale des territoires',
          kind: SERVICE,
          domain: 'moyens',
          p: 0.8,
          children: [b('Bureau des ressources humaines de proximité', 'rh', 0.5)],
        },
        {
          name: 'Service connaissance et territoires',
          kind: SERVICE,
          domain: 'urbanisme',
          p: 0.8,
          children: [
            b("Bureau de l'observation territoriale", 'urbanisme', 0.7),
            b("Bureau de l'information géographique", 'numerique', 0.6),
          ],
        },
        {
          name: 'Service économie agricole',
          kind: SERVICE,
          domain: 'agriculture',
          children: [
            b('Bureau des aides directes', 'agriculture'),
            b('Bureau des structures agricoles', 'agriculture', 0.8),
          ],
        },
        {
          name: 'Service eau, environnement et forêt',
          kind: SERVICE,
          domain: 'eau',
          children: [
            b("Bureau de la police de l'eau", 'eau'),
            b('Bureau forêt et chasse', 'eau', 0.8),
            b('Bureau de la biodiversité', 'environnement', 0.6),
          ],
        },
        {
          name: 'Service urbanisme et habitat',
          kind: SERVICE,
          domain: 'urbanisme',
          children: [
            b('Bureau de la planification', 'urbanisme'),
            b("Bureau de l'habitat", 'logement'),
            b("Bureau de l'application du droit des sols", 'urbanisme', 0.7),
          ],
        },
        {
          name: 'Service sécurité, risques et crises',
          kind: SERVICE,
          domain: 'risques',
          children: [
            b('Bureau de la prévention des risques naturels', 'risques'),
            b("Bureau de l'éducation routière", 'securite-routiere'),
          ],
        },
        ...(coastal
          ? [
              {
                name: 'Délégation à la mer et au littoral',
                kind: SERVICE,
                domain: 'mer',
                children: [b('Bureau des cultures marines', 'mer', 0.7)],
              },
            ]
          : []),
      ],
    },
    {
      name: "Direction départementale de l'emploi, du travail et des solidarités",
      acronym: 'DDETS',
      kind: DIRECTORATE,
      domain: 'emploi',
      children: [
        {
          name: 'Pôle appui et ressources',
          kind: SERVICE,
          domain: 'moyens',
          p: 0.8,
          children: [b('Bureau du pilotage des ressources', 'budget', 0.6)],
        },
        {
          name: 'Pôle travail',
          kind: SERVICE,
          domain: 'travail',
          children: [
            { name: 'Unité de contrôle', kind: BUREAU, domain: 'travail', repeat: [2, 5] },
            b('Service de renseignement en droit du travail', 'travail'),
          ],
        },
        {
          name: 'Pôle emploi et insertion',
          kind: SERVICE,
          domain: 'emploi',
          children: [
            b("Bureau de l'insertion par l'activité économique", 'emploi'),
            b('Bureau des mutations économiques', 'emploi', 0.8),
            b("Bureau de l'emploi des personnes handicapées", 'emploi', 0.5),
          ],
        },
        {
          name: 'Pôle solidarités',
          kind: SERVICE,
          domain: 'logement',
          children: [
            b("Bureau de l'hébergement et du logement", 'logement'),
            b('Bureau de la protection des personnes vulnérables', 'solidarites'),
            b('Bureau de la politique de la ville', 'solidarites', 0.6),
          ],
        },
      ],
    },
    {
      name: 'Direction départementale de la protection des populations',
      acronym: 'DDPP',
      kind: DIRECTORATE,
      domain: 'protection-populations',
      children: [
        {
          name: 'Service sécurité sanitaire des aliments',
          kind: SERVICE,
          domain: 'alimentation',
          children: [
            b('Bureau de la restauration collective', 'alimentation'),
            b("Bureau des abattoirs et de l'inspection en abattoir", 'alimentation', 0.7),
          ],
        },
        {
          name: 'Service santé et protection animales',
          kind: SERVICE,
          domain: 'animaux',
          children: [
            b('Bureau de la santé animale', 'animaux'),
            b('Bureau de la protection animale', 'animaux', 0.8),
            b("Bureau des élevages et de l'environnement", 'icpe', 0.5),
          ],
        },
        {
          name: 'Service concurrence, consommation et répression des fraudes',
          kind: SERVICE,
          domain: 'consommation',
          children: [b('Bureau des enquêtes de consommation', 'consommation', 0.8)],
        },
      ],
    },
  ];
}

/** The units of a sub-prefecture, below the sub-prefecture itself. */
export const SUB_PREFECTURE_SHAPE: UnitShape[] = [
  b('Bureau de la réglementation et des collectivités', 'collectivites'),
  b("Bureau de l'appui territorial et de l'ingénierie", 'appui', 0.9),
  b("Point d'accueil numérique", 'titres', 0.7),
];
