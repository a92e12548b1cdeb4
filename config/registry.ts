/**
 * The machine-user registry `npm run synth` deploys: the platform (`./platform/`) and one file per
 * client (`./clients/<team>/<client-key>.ts`).
 *
 * To add a client, copy a client file into your team's folder, name it after the new key, edit it
 * and open a pull request. Names of environments, scopes and tiers are checked by the compiler;
 * `npm test` checks the rest.
 */
import { join } from "node:path";
import { registryFromClientFiles } from "./client-files";
import { platform } from "./platform";

export default registryFromClientFiles(platform.settings, join(__dirname, "clients"), join(__dirname, ".."));
