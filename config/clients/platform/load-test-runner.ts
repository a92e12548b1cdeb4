import { defineClient } from "../../platform";

export default defineClient({
  key: "load-test-runner",
  description: "Load tests before releases",
  owner: "team-platform",
  tier: "silver",
  scopes: ["orders/read", "orders/write"],
  environments: ["dev", "staging"],
});
