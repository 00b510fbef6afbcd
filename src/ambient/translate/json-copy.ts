// A deep copy of plain JSON data, so no two tables or statuses share an object that a caller might change. (Not
// structuredClone: under Jest's VM contexts its objects come from another realm, which YAML dumpers refuse.)
export const jsonCopy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
