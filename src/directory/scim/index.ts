export { ScimAppsDirectory } from './scim-apps';
export { ScimClient, scimFilterString, type ScimAppSettings } from './scim-client';
