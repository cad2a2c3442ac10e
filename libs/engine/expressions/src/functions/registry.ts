import { collectionFunctions } from './collections';
import { dateFunctions } from './dates';
import { entraOnlyFunctions } from './entra-only';
import type { FunctionDef } from './function';
import { generateFunctions } from './generate';
import { logicFunctions } from './logic';
import { replaceFunction } from './replace';
import { textFunctions } from './text';

/** Every function the language knows, by its case-sensitive name. */
export const FUNCTIONS: ReadonlyMap<string, FunctionDef> = new Map(
  [...textFunctions, replaceFunction, ...logicFunctions, ...collectionFunctions, ...dateFunctions, ...generateFunctions, ...entraOnlyFunctions].map((f) => [f.name, f]),
);
