import { defineClient } from "../../platform";

export default defineClient({
  key: "acme-billing",
  description: "ACME's billing back end reconciles orders nightly",
  owner: "partners@acme.example",
  tier: "silver",
  scopes: ["orders/read"],
  environments: ["dev", "staging", "prod"],
});
