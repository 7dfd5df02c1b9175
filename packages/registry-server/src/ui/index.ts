export {
  catalogRoutes,
  CATALOG_CONTENT_SECURITY_POLICY,
  CATALOG_SCRIPT_PATH,
  CATALOG_STYLES_PATH,
} from './catalogRoutes.js';
