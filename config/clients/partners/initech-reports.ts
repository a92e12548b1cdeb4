import { defineClient } from "../../platform";

export default defineClient({
  key: "initech-reports",
  description: "Initech's weekly stock report",
  owner: "data-team@initech.example",
  tier: "bronze",
  scopes: ["inventory/read"],
  environments: ["dev", "prod"],
  expires: "2028-06-30",
});
