/**
 * The platform: everything a client file may name. `defineClient` is typed against these
 * environments, scopes and tiers, so a client file with a wrong one does not compile.
 */
import { definePlatform } from "../define-platform";
import { environments } from "./environments";
import { resourceServers } from "./resource-servers";
import { routes } from "./routes";
import { platformReviewers, teams } from "./teams";
import { tiers } from "./tiers";

export const platform = definePlatform({
  project: "m2m",
  environments,
  resourceServers,
  routes,
  tiers,
  teams,
  platformReviewers,
});

export const defineClient = platform.defineClient;
