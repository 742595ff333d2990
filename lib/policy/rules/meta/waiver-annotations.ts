import { EXCEPTIONS_ANNOTATION, WAIVER_ANNOTATION } from '../../waiver-record';

/*
 * The waiver rules run on every object, and almost no object carries a waiver or a profile exception. These tell,
 * reading exactly what parseWaivers / parseExceptions read (`obj?.metadata?.annotations?.[annotation]`), that there is
 * nothing to parse: the rules then return before parsing (which allocates a result per object).
 */

/** True when the object has the waivers annotation (parseWaivers would read it). */
export function hasWaiverAnnotation(obj: any): boolean {
  return obj?.metadata?.annotations?.[WAIVER_ANNOTATION] !== undefined;
}

/** True when the object has the waivers or the profile-exceptions annotation. */
export function hasWaiverOrExceptionAnnotation(obj: any): boolean {
  const annotations = obj?.metadata?.annotations;
  return annotations?.[WAIVER_ANNOTATION] !== undefined || annotations?.[EXCEPTIONS_ANNOTATION] !== undefined;
}
