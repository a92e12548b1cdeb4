// Adds the cdktf Testing matchers (toHaveResource, toHaveResourceWithProperties, toBeValidTerraform…).
const { Testing } = require("cdktf");
Testing.setupJest();
