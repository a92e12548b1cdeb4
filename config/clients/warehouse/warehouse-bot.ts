import { defineClient } from "../../platform";

export default defineClient({
  key: "warehouse-bot",
  description: "Our warehouse robot controller reserves stock",
  owner: "team-warehouse",
  tier: "gold",
  scopes: ["inventory/read", "inventory/reserve"],
  environments: ["dev", "staging", "prod"],
  accessTokenValidityMinutes: 15,
});
