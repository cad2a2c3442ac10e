import type { FunctionDef } from './function';

/**
 * Functions that read Entra's app role assignments, which exist only for applications
 * provisioned from Entra ID. They are known by name, so an expression copied from Entra is
 * refused by the parser with this reason (EXPRESSION.NOT_SUPPORTED), not as an unknown function.
 */
export const ENTRA_ONLY: Record<string, string> = {
  SingleAppRoleAssignment: 'it reads Entra app role assignments, which exist only when provisioning from Entra ID',
  AppRoleAssignmentsComplex: 'it reads Entra app role assignments, which exist only when provisioning from Entra ID',
};

export const entraOnlyFunctions: FunctionDef[] = Object.keys(ENTRA_ONLY).map((name) => ({
  name,
  minArgs: 1,
  maxArgs: 1,
  call: () => {
    throw new Error(`${name} is not supported`);
  },
}));
