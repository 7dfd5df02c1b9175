// The registry's `build` step after tsc: bundles the web catalog into dist/ui/assets/.
import { writeCatalogAssets } from '../dist/ui/catalogBundle.js';

writeCatalogAssets();
