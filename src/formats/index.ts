/** Readers and writers: instance and allocation JSON, CATS text, CPLEX LP export, files. */
export { parseInstanceJson, instanceToJson, parseAllocationJson, parseJsonText } from './json.js';
export { parseCats, instanceToCats, detectCatsDialect, type CatsDialect } from './cats.js';
export { instanceToLp, lpVariableName } from './lp.js';
export {
  readInstanceFile, readAllocationFile, readCertificateFile, writeInstance, parseInstanceText, formatOfPath,
  INSTANCE_FORMATS, type InstanceFormat,
} from './files.js';
export * from './certificate.js';
