/** The resource servers and the scopes clients may be granted: `<server>/<scope>`. */
import { defineResourceServers } from "../define-platform";

export const resourceServers = defineResourceServers({
  orders: {
    name: "Orders API",
    scopes: {
      read: "Read orders and their status",
      write: "Create and cancel orders",
    },
  },
  inventory: {
    name: "Inventory API",
    scopes: {
      read: "Read stock levels",
      reserve: "Reserve stock for an order",
    },
  },
});
