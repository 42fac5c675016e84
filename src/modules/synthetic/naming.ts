import { OrgUnitKind } from '../org-unit/org-unit-kind';
import type { Departement } from './departements';
import type { UnitRow } from './synthetic.types';

const lower = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** Title of the post that heads a unit, as French administration words it. */
export function headTitle(unit: Pick<UnitRow, 'name' | 'kind'>, dept: Departement): string {
  const name = unit.name;
  if (unit.kind === OrgUnitKind.PREFECTURE) return `Préfet ${dept.ofName}`;
  if (unit.kind === OrgUnitKind.CABINET) return 'Directeur de cabinet du préfet';
  const rules: Array<[RegExp, (m: RegExpExecArray) => string]> = [
    [/^Secrétariat général commun/, () => `Directeur du ${lower(name)}`],
    [/^Secrétariat général$/, () => 'Secrétaire général de la préfecture'],
    [/^Direction départementale (.+)$/, (m) => `Directeur départemental ${m[1]}`],
    [/^Direction (.+)$/, (m) => `Directeur ${m[1]}`],
    [/^Services du cabinet$/, () => 'Chef des services du cabinet'],
    [/^Sous-préfecture de (.+)$/, (m) => `Sous-préfet de l'arrondissement de ${m[1]}`],
    [/^(Service|Bureau|Centre|Point) /, () => `Chef du ${lower(name)}`],
    [/^Pôle /, () => `Responsable du ${lower(name)}`],
    [/^(Cellule|Délégation) /, () => `Responsable de la ${lower(name)}`],
    [/^Unité /, () => `Responsable de l'${lower(name)}`],
  ];
  for (const [pattern, title] of rules) {
    const m = pattern.exec(name);
    if (m) return title(m);
  }
  return `Responsable : ${name}`;
}
