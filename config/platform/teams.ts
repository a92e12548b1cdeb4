/**
 * The teams that own clients. Each team's clients are the files of `config/clients/<team>/`, and
 * `npm run codeowners` makes its reviewers the owners of that folder.
 */
import { defineTeams } from "../define-platform";

export const teams = defineTeams({
  partners: {
    description: "Partner integrations: external companies' back ends",
    reviewers: ["@example-org/partner-integrations"],
  },
  warehouse: {
    description: "Warehouse automation",
    reviewers: ["@example-org/warehouse"],
  },
  platform: {
    description: "The platform team's own clients (load tests, smoke tests)",
    reviewers: ["@example-org/platform"],
  },
});

/** Who reviews `config/platform/` and the code. */
export const platformReviewers = ["@example-org/platform"] as const;
