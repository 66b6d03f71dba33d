// Starts the editor: registers the two file formats of yaml-keep.js, then Decap (vendor/decap-cms.js,
// loaded before this module) reads config.yml, which the build generated from the schema.
import YAML from './vendor/yaml/index.js';
import { yamlKeep } from './yaml-keep.js';

const formats = yamlKeep(YAML);
window.CMS.registerCustomFormat('yaml-keep', 'yml', formats.yaml);
window.CMS.registerCustomFormat('markdown-keep', 'md', formats.markdown);
window.CMS.init();
