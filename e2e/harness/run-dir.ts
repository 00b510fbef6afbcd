export const runDirPrefix = 'ambit-e2e-';
