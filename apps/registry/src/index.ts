export const appName = 'registry';
