import { OrgUnitKind } from '../org-unit/org-unit-kind';

/** `type_organisme` labels of the national directory, by unit kind. */
export const TYPE_ORGANISME: Record<OrgUnitKind, string> = {
  PREFECTURE: 'Préfecture',
  SUBPREFECTURE: 'Sous-préfecture',
  CABINET: 'Cabinet',
  DIRECTORATE: 'Direction',
  SERVICE: 'Service',
  BUREAU: 'Bureau',
  OFFICE: 'Établissement public',
  COMMISSION: 'Commission',
};

/** A date-time in the national export's `DD/MM/YYYY HH:MM:SS` form (UTC). */
export function annuaireDateTime(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(date.getUTCDate())}/${p(date.getUTCMonth() + 1)}/${date.getUTCFullYear()} ${p(date.getUTCHours())}:${p(date.getUTCMinutes())}:${p(date.getUTCSeconds())}`;
}

/** One `service` of the national export, as far as this directory holds its fields. */
export interface AnnuaireService {
  id: string;
  nom: string;
  sigle: string | null;
  type_organisme: string;
  hierarchie: Array<{ type_hierarchie: 'Service Fils' | 'Autre hiérarchie'; service: string }>;
  affectation_personne: Array<{
    fonction: string;
    personne: { nom: string; prenom: string | null; civilite: string | null; grade: string | null };
  }>;
  mission: string | null;
  date_modification: string;
  /** The unit's identifiers in those registers, when it has them (imported units). */
  itm_identifiant: string | null;
  siret: string | null;
  siren: string | null;
}
