export const appName = 'controller';
